"""The case library and knowledge base on the workbench (R-KB-1): the list with its Chinese
search and filters, writing an entry by hand, one entry's page (its text, source cases,
published versions, the edit form) and the reviewer's publish and withdraw buttons.

Every staff role reads the library (it is shared by all centers); writing and reviewing
follow knowledge.actions (may_write, edit_refusal, may_review)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banchengshi.cases import causes
from banchengshi.cases.queues import page_of
from banchengshi.cases.selectors import COUNT_CAP
from banchengshi.errors import Forbidden, InvalidInput, NotFound
from banchengshi.knowledge.actions import (
    check_create_entry,
    check_edit_entry,
    check_publish_entry,
    check_withdraw_entry,
    edit_refusal,
    may_review,
    may_write,
)
from banchengshi.knowledge.highlight import highlight
from banchengshi.knowledge.models import Entry, EntryStatus
from banchengshi.knowledge.selectors import (
    DRAFTS_CAP,
    drafts_waiting,
    hidden_source_cases,
    matter_choices,
    pending_changes,
    source_cases,
    staff_entries,
    staff_entry,
    unit_choices,
    version_rows,
)
from banchengshi.web.forms.knowledge import PER_PAGE, EntryFilterForm, EntryForm, PublishForm
from banchengshi.web.staff import Person, signed_in, staff_view


@require_GET
@staff_view
def library(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    form = EntryFilterForm(request.GET, matters=matter_choices(), units=unit_choices())
    filters = form.filters()
    entries = staff_entries(**filters).select_related("author").prefetch_related("matters")
    found = page_of(entries, form.cleaned_data.get("page") or 1, per_page=PER_PAGE, cap=COUNT_CAP)
    text = filters["text"]
    rows = [
        {
            "entry": entry,
            "problem": highlight(entry.problem, text),
            "solution": highlight(entry.solution, text),
            "cause": _cause_label(entry.cause_code),
        }
        for entry in found.rows
    ]
    reviewer = may_review(person.user)
    context = {
        "form": form,
        "found": found,
        "rows": rows,
        "searching": bool(text.strip()),
        "filtered": any(v for k, v in form.cleaned_data.items() if k != "page"),
        "may_write": may_write(person.user),
        "drafts": drafts_waiting() if reviewer else None,
        "drafts_cap": DRAFTS_CAP,
    }
    return render(request, "web/knowledge.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def new_entry(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    if not may_write(person.user):
        raise Forbidden(_("Your roles do not allow you to write knowledge entries."))
    form = _entry_form(request, person)
    if request.method == "POST" and form.is_valid():
        try:
            entry = check_create_entry(person.user, form.fields_value())
        except InvalidInput as invalid:
            form.add_engine_errors(invalid.errors)
        else:
            messages.success(request, _("The draft is saved: a reviewer publishes it."))
            return redirect("web:knowledge_entry", entry.pk)
    status = 422 if form.errors else 200
    return render(request, "web/knowledge_new.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    """GET shows the entry; POST is its edit form."""
    person = signed_in(request)
    entry = _entry(entry_id)
    visible = source_cases(person.scope, entry)
    refused = edit_refusal(person.user, entry)
    form = None
    status = 200
    if refused is None:
        initial = EntryForm.initial_of(entry, [case.tracking_no for case in visible])
        form = _entry_form(request, person, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    check_edit_entry(person.user, entry.pk, form.fields_value())
                except InvalidInput as invalid:
                    form.add_engine_errors(invalid.errors)
                else:
                    messages.success(request, _("The changes are saved as a draft."))
                    return redirect("web:knowledge_entry", entry.pk)
            status = 422
    elif request.method == "POST":
        raise Forbidden(refused)
    return render(
        request,
        "web/knowledge_entry.html",
        _entry_context(person, entry, visible=visible, form=form),
        status=status,
    )


@require_POST
@staff_view
def publish(request: HttpRequest, entry_id: int) -> HttpResponse:
    form = PublishForm(request.POST)
    visibility = form.cleaned_data["visibility"] if form.is_valid() else None
    check_publish_entry(signed_in(request).user, entry_id, visibility=visibility)
    messages.success(request, _("The entry is published."))
    return redirect("web:knowledge_entry", entry_id)


@require_POST
@staff_view
def withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    check_withdraw_entry(signed_in(request).user, entry_id)
    messages.success(request, _("The entry is withdrawn: search and the FAQ no longer show it."))
    return redirect("web:knowledge_entry", entry_id)


def _entry(entry_id: int) -> Entry:
    entry = staff_entry(entry_id)
    if entry is None:
        raise NotFound(_("No knowledge entry with this number."))
    return entry


def _entry_form(request: HttpRequest, person: Person, **kwargs: Any) -> EntryForm:
    return EntryForm(
        request.POST if request.method == "POST" else None,
        scope=person.scope,
        matters=matter_choices(),
        units=unit_choices(),
        **kwargs,
    )


def _cause_label(code: str) -> str:
    cause = causes.get(code) if code else None
    return str(cause.label) if cause else ""


def _labels(names: tuple[str, ...]) -> list[str]:
    words = {
        "problem": _("Problem"),
        "cause_code": _("Cause"),
        "solution": _("Solution"),
        "tags": _("Tags"),
    }
    return [words[name] for name in names]


def _entry_context(
    person: Person, entry: Entry, *, visible: list[Any], form: EntryForm | None
) -> dict[str, Any]:
    versions = version_rows(entry)
    reviewer = may_review(person.user)
    return {
        "entry": entry,
        "cause": _cause_label(entry.cause_code),
        "cases": visible,
        "hidden_cases": hidden_source_cases(person.scope, entry),
        "versions": [(row.version, _labels(row.changed)) for row in versions],
        "pending": _labels(pending_changes(entry, versions)),
        "form": form,
        "publish_form": (
            PublishForm(initial={"visibility": entry.visibility})
            if reviewer and entry.status == EntryStatus.DRAFT
            else None
        ),
        "may_withdraw": reviewer and entry.status != EntryStatus.WITHDRAWN,
    }
