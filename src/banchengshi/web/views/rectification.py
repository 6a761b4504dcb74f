"""Rectification on the workbench (R-KB-2): the list (a unit's people see their units' items,
the office all of them with its counts per unit on top) and an item's page with its deadline
explained, the cases behind it, its history, reminders and evidence, and the forms of what the
person may do now: report it done with evidence, verify it or send it back, link the
knowledge entry that records the fix. A refused action is shown with the action's message on
the item's page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from banchengshi.cases.queues import page_of
from banchengshi.errors import ActionRefused, InvalidInput, NotFound
from banchengshi.knowledge.models import Entry, EntryStatus, RectificationStatus
from banchengshi.knowledge.rectification import actions
from banchengshi.knowledge.rectification.access import may_report, may_verify
from banchengshi.knowledge.rectification.clock import item_colour
from banchengshi.knowledge.rectification.files import find_file
from banchengshi.knowledge.rectification.selectors import (
    ItemDetail,
    counts_by_unit,
    item_detail,
    items,
)
from banchengshi.knowledge.selectors import staff_entries
from banchengshi.org.models import Unit
from banchengshi.org.scope import Scope
from banchengshi.policy.reminders import ReminderLevel
from banchengshi.web.case_display import DAY_REASONS
from banchengshi.web.forms.rectification import (
    PER_PAGE,
    DoneForm,
    EntryLinkForm,
    EntrySearchForm,
    RectificationFilterForm,
    SendBackForm,
    VerifyForm,
)
from banchengshi.web.staff import signed_in, staff_view

REMINDER_LABELS = {
    ReminderLevel.BEFORE_YELLOW.value: gettext_lazy("deadline approaching"),
    ReminderLevel.YELLOW.value: gettext_lazy("Due soon"),
    ReminderLevel.RED.value: gettext_lazy("Overdue"),
}
# Entries offered to link: a search's best, or the newest drafted from the item's cases.
ENTRY_CHOICES = 10


@require_safe
@staff_view
def rectifications(request: HttpRequest) -> HttpResponse:
    scope = signed_in(request).scope
    now = timezone.now()
    overview = counts_by_unit(scope, now=now)
    form = RectificationFilterForm(request.GET, _units(scope, overview))
    chosen = form.chosen()
    page = page_of(
        items(
            scope,
            status=chosen["status"],
            unit_id=chosen["unit_id"],
            target=chosen["target"],
            now=now,
        ),
        chosen["page"],
        per_page=PER_PAGE,
    )
    rows = page.with_rows([(item, item_colour(item, now)) for item in page.rows])
    context = {"form": form, "page": rows, "overview": overview}
    return render(request, "web/rectifications.html", context)


def _units(scope: Scope, overview: list[Any]) -> list[tuple[int, str]]:
    """The units to filter by: the office's those with items (its overview's), anyone
    else's the units in their reach."""
    if scope.sees_all:
        return [(row.unit_id, row.unit) for row in overview]
    units = Unit.objects.filter(pk__in=sorted(scope.visible_unit_ids)).order_by("path")
    return list(units.values_list("pk", "name"))


@require_safe
@staff_view
def rectification(request: HttpRequest, item_id: int) -> HttpResponse:
    return _page(request, item_id)


def _page(
    request: HttpRequest,
    item_id: int,
    posted: dict[str, forms.Form] | None = None,
    *,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    person = signed_in(request)
    detail = item_detail(person.scope, item_id)
    item = detail.item
    may_link = may_report(person.user, item.unit_id) or may_verify(person.user)
    posted = posted or {}
    context: dict[str, Any] = {
        "detail": detail,
        "item": item,
        "done_form": None,
        "verify_form": None,
        "send_back_form": None,
        "may_link": may_link,
        "refusal": refusal,
        "skipped": [(day, DAY_REASONS.get(why, why)) for day, why in detail.clock.skipped],
        "hidden_cases": detail.case_count - len(detail.cases),
        "reminders": [
            (reminder, REMINDER_LABELS.get(reminder.level, reminder.level))
            for reminder in detail.reminders
        ],
    }
    if item.status == RectificationStatus.OPEN and may_report(person.user, item.unit_id):
        context["done_form"] = posted.get("done") or DoneForm()
    if item.status == RectificationStatus.DONE and may_verify(person.user):
        context["verify_form"] = posted.get("verify") or VerifyForm()
        context["send_back_form"] = posted.get("send_back") or SendBackForm()
    if may_link:
        search = EntrySearchForm(request.GET, label_suffix="")
        search.is_valid()
        query = search.cleaned_data.get("entry_q", "")
        context["entry_search"] = search
        context["entry_query"] = query
        context["entry_choices"] = _entry_choices(detail, query)
        context["link_form"] = posted.get("link") or EntryLinkForm()
    return render(request, "web/rectification.html", context, status=status)


def _entry_choices(detail: ItemDetail, query: str) -> list[Entry]:
    """A search finds published entries (only they are indexed); without one, the drafts
    and entries made from the item's own cases come first, the place a fix is written up."""
    if query.strip():
        return list(staff_entries(text=query)[:ENTRY_CHOICES])
    return list(
        Entry.objects.filter(source_cases__in=[case.id for case in detail.cases])
        .exclude(status=EntryStatus.WITHDRAWN)
        .distinct()
        .order_by("-id")[:ENTRY_CHOICES]
    )


def _perform(
    request: HttpRequest, item_id: int, key: str, form: forms.Form, run: Any
) -> HttpResponse:
    """Run `run(form)` when the form is valid; its success redirects to the item, its
    refusal shows the item's page with the action's message on the form."""
    if form.is_valid():
        try:
            message = run(form)
        except InvalidInput as invalid:
            for field, errors in invalid.errors.items():
                target = field if field in form.fields else None
                form.add_error(target, [str(error) for error in errors])
        except ActionRefused as refused:
            if isinstance(refused, NotFound):
                raise
            # Shown above the page: the refused form may not be on it (not the person's to use).
            return _page(
                request, item_id, {key: form}, status=refused.status, refusal=str(refused.message)
            )
        else:
            messages.success(request, message)
            return redirect("web:rectification", item_id)
    return _page(request, item_id, {key: form}, status=422)


@require_POST
@staff_view
def report_done(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in(request).user

    def run(form: DoneForm) -> str:
        actions.check_report_done(
            user, item_id, evidence=form.cleaned_data["evidence"], files=form.uploads()
        )
        return _("The rectification is reported done; the office will verify it.")

    return _perform(request, item_id, "done", DoneForm(request.POST, request.FILES), run)


@require_POST
@staff_view
def verify(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in(request).user

    def run(form: VerifyForm) -> str:
        actions.check_verify(user, item_id, note=form.cleaned_data["note"])
        return _("The rectification is verified.")

    return _perform(request, item_id, "verify", VerifyForm(request.POST), run)


@require_POST
@staff_view
def send_back(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in(request).user

    def run(form: SendBackForm) -> str:
        actions.check_send_back(user, item_id, reason=form.cleaned_data["reason"])
        return _("The rectification is sent back to the unit.")

    return _perform(request, item_id, "send_back", SendBackForm(request.POST), run)


@require_POST
@staff_view
def link_entry(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in(request).user

    def run(form: EntryLinkForm) -> str:
        if form.cleaned_data["unlink"]:
            actions.check_link_entry(user, item_id, entry_id=None)
            return _("The knowledge entry is unlinked.")
        entry_id = form.cleaned_data["entry_id"]
        if entry_id is None:
            raise InvalidInput({"entry_id": [_("Choose a knowledge entry.")]})
        actions.check_link_entry(user, item_id, entry_id=entry_id)
        return _("The knowledge entry is linked.")

    return _perform(request, item_id, "link", EntryLinkForm(request.POST), run)


@require_safe
@staff_view
def rectification_file(request: HttpRequest, item_id: int, file_id: int) -> HttpResponse:
    kept = find_file(signed_in(request).scope, item_id, file_id)
    try:
        handle = kept.file.open("rb")
    except FileNotFoundError:
        raise NotFound(
            _("The file of this attachment is missing from storage; tell your administrator.")
        ) from None
    response = FileResponse(
        handle, as_attachment=True, filename=kept.name, content_type=kept.content_type
    )
    # Never shown as a page of this site, whatever the bytes are.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return cast(HttpResponse, response)
