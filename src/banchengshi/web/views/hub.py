"""The dispatch hub (区行政服务中心): manual and repeated dispatch, in bulk; extension and
suspension requests to decide; the supervision lists (R-DIS-1, R-DIS-2, R-SLA-5, R-RV-3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from banchengshi.cases import queues
from banchengshi.cases.actions.clock_requests import check_decide_request
from banchengshi.cases.actions.dispatch import check_dispatch_case
from banchengshi.cases.errors import ActionRefused
from banchengshi.cases.selectors import MAX_PER_PAGE, handling_units
from banchengshi.web.staff import scope, staff_view

LISTS = ("dispatch", "returned", "requests", "supervise", "overdue", "reopened")


def _page(request: HttpRequest, name: str) -> int:
    value = request.GET.get(f"{name}_page", "")
    return int(value) if value.isdigit() else 1


@require_GET
@staff_view
def hub(request: HttpRequest) -> HttpResponse:
    person = scope(request)
    pages = {name: _page(request, name) for name in LISTS}
    lists: dict[str, queues.Bounded[Any]] = {
        "dispatch": queues.dispatch_queue(person, pages["dispatch"]),
        "returned": queues.dispatch_queue(person, pages["returned"], returned=True),
        "requests": queues.pending_requests(person, pages["requests"]),
        "supervise": queues.supervision_queue(person, pages["supervise"]),
        "overdue": queues.overdue_at_units(person, pages["overdue"]),
        "reopened": queues.reopened_cases(person, pages["reopened"]),
    }
    pagers = {name: _pager(request, name, found) for name, found in lists.items()}
    context = {**lists, "pagers": pagers, "targets": handling_units()}
    return render(request, "web/hub.html", context)


def _pager(request: HttpRequest, name: str, found: queues.Bounded[Any]) -> dict[str, str]:
    """Links to the neighbouring pages of one list, the other lists staying where they are."""

    def query(page: int) -> str:
        params = request.GET.copy()
        params[f"{name}_page"] = str(page)
        return f"?{params.urlencode()}"

    return {
        "previous": query(found.previous_page) if found.has_previous else "",
        "next": query(found.next_page) if found.has_next else "",
    }


class BulkDispatchForm(forms.Form):
    unit = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose the unit to dispatch to."),
            "invalid_choice": gettext_lazy("Choose a department or service center."),
        },
    )
    case = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose the cases to dispatch."),
            "invalid_choice": gettext_lazy("Choose the cases to dispatch."),
        },
    )

    def __init__(self, data: Any, targets: list[tuple[int, str]]) -> None:
        super().__init__(data)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = targets
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.TypedMultipleChoiceField)
        # Any case number is accepted here; the action says for each case whether it can go.
        case_field.choices = [(v, v) for v in data.getlist("case") if v.isdigit() and len(v) < 19]

    def clean_case(self) -> list[int]:
        chosen: list[int] = list(dict.fromkeys(self.cleaned_data["case"]))
        if len(chosen) > MAX_PER_PAGE:
            raise forms.ValidationError(
                _("Choose at most %(max)d cases at a time.") % {"max": MAX_PER_PAGE}
            )
        return chosen


@require_POST
@staff_view
def hub_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch each chosen case in its own transaction and report on each: one refusal must
    not stop the others."""
    person = scope(request)
    queues.require_hub(person)
    names = {unit.pk: unit.name for unit in handling_units()}
    form = BulkDispatchForm(request.POST, list(names.items()))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_back(request))
    unit_id: int = form.cleaned_data["unit"]
    case_ids: list[int] = form.cleaned_data["case"]
    numbers = queues.tracking_numbers(person, case_ids)
    for case_id in case_ids:
        label = numbers.get(case_id, f"#{case_id}")
        try:
            check_dispatch_case(_actor(request), case_id, unit_id=unit_id)
        except ActionRefused as refused:
            messages.error(
                request,
                _("%(case)s was not dispatched: %(reason)s")
                % {"case": label, "reason": refused.message},
            )
        else:
            messages.success(
                request,
                _("%(case)s was dispatched to %(unit)s.") % {"case": label, "unit": names[unit_id]},
            )
    return redirect(_back(request))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])
    note = forms.CharField(required=False)
    version = forms.IntegerField(required=False)


@require_POST
@staff_view
def hub_decide(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    """Approve or refuse an extension or suspension from its row in the hub's list; the outcome
    comes back as a message on the list."""
    person = scope(request)
    queues.require_hub(person)
    label = queues.tracking_numbers(person, [case_id]).get(case_id, f"#{case_id}")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("%(case)s: choose to approve or to refuse.") % {"case": label})
        return redirect(_back(request))
    approve = form.cleaned_data["decision"] == "approve"
    try:
        check_decide_request(
            _actor(request),
            case_id,
            request_id=request_id,
            approve=approve,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except ActionRefused as refused:
        messages.error(
            request, _("%(case)s: %(reason)s") % {"case": label, "reason": refused.message}
        )
    else:
        done = (
            _("%(case)s: the request was approved.")
            if approve
            else _("%(case)s: the request was refused.")
        )
        messages.success(request, done % {"case": label})
    return redirect(_back(request))


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "staff_view lets only signed-in people through"
    return user


def _back(request: HttpRequest) -> str:
    """The hub again, with each list on the page the person was looking at."""
    sent = QueryDict(request.POST.get("back", ""))
    pages = {
        f"{name}_page": sent[f"{name}_page"]
        for name in LISTS
        if sent.get(f"{name}_page", "").isdigit()
    }
    return reverse("web:hub") + (f"?{urlencode(pages)}" if pages else "")
