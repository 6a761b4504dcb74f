"""The dispatch hub (区行政服务中心): manual and repeated dispatch, in bulk; extension and
suspension requests to decide; the supervision lists (R-DIS-1, R-DIS-2, R-SLA-5, R-RV-3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from banchengshi.cases import queues
from banchengshi.cases.actions.clock_requests import check_decide_request
from banchengshi.cases.actions.dispatch import check_dispatch_case
from banchengshi.cases.selectors import handling_units
from banchengshi.errors import ActionRefused
from banchengshi.knowledge.proposals.selectors import (
    ProposedUnit,
    proposed_unit_of,
    proposed_units,
)
from banchengshi.web.forms.hub import BulkDispatchForm, DecisionForm, ProposedDispatchForm
from banchengshi.web.params import page_number
from banchengshi.web.staff import signed_in, staff_view

LISTS = ("dispatch", "returned", "requests", "supervise", "overdue", "reopened")


@require_GET
@staff_view
def hub(request: HttpRequest) -> HttpResponse:
    person = signed_in(request).scope
    pages = {name: page_number(request.GET, f"{name}_page") for name in LISTS}
    lists: dict[str, queues.Bounded[Any]] = {
        "dispatch": queues.dispatch_queue(person, pages["dispatch"]),
        "returned": queues.dispatch_queue(person, pages["returned"], returned=True),
        "requests": queues.pending_requests(person, pages["requests"]),
        "supervise": queues.supervision_queue(person, pages["supervise"]),
        "overdue": queues.overdue_at_units(person, pages["overdue"]),
        "reopened": queues.reopened_cases(person, pages["reopened"]),
    }
    pagers = {name: _pager(request, name, found) for name, found in lists.items()}
    targets = handling_units()
    context = {
        **lists,
        **_with_proposals(lists, {unit.pk for unit in targets}),
        "pagers": pagers,
        "targets": targets,
    }
    return render(request, "web/hub.html", context)


ProposedRow = tuple[Any, ProposedUnit | None, bool]


def _with_proposals(
    lists: dict[str, queues.Bounded[Any]], target_ids: set[int]
) -> dict[str, list[ProposedRow]]:
    """The rows of the two dispatch lists, each with the unit proposed at registration and
    whether the hub may dispatch there (a unit that takes cases); one query for both pages."""
    names = ("dispatch", "returned")
    proposed = proposed_units(row.item.case_id for name in names for row in lists[name].rows)
    rows: dict[str, list[ProposedRow]] = {}
    for name in names:
        found = [(row, proposed.get(row.item.case_id)) for row in lists[name].rows]
        rows[f"{name}_rows"] = [
            (row, unit, unit is not None and unit.unit.pk in target_ids) for row, unit in found
        ]
    return rows


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


@require_POST
@staff_view
def hub_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch each chosen case in its own transaction and report on each: one refusal must
    not stop the others."""
    me = signed_in(request)
    person = me.scope
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
            check_dispatch_case(me.user, case_id, unit_id=unit_id)
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


@require_POST
@staff_view
def hub_dispatch_proposed(request: HttpRequest) -> HttpResponse:
    """One case to the unit proposed for it at registration (the row's one-click button)."""
    me = signed_in(request)
    queues.require_hub(me.scope)
    form = ProposedDispatchForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_back(request))
    case_id: int = form.cleaned_data["case_id"]
    label = queues.tracking_numbers(me.scope, [case_id]).get(case_id, f"#{case_id}")
    unit = proposed_unit_of(case_id)
    if unit is None:
        messages.error(request, _("%(case)s has no proposed unit.") % {"case": label})
        return redirect(_back(request))
    try:
        check_dispatch_case(me.user, case_id, unit_id=unit.pk)
    except ActionRefused as refused:
        messages.error(
            request,
            _("%(case)s was not dispatched: %(reason)s")
            % {"case": label, "reason": refused.message},
        )
    else:
        messages.success(
            request, _("%(case)s was dispatched to %(unit)s.") % {"case": label, "unit": unit.name}
        )
    return redirect(_back(request))


@require_POST
@staff_view
def hub_decide(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    """Approve or refuse an extension or suspension from its row in the hub's list; the outcome
    comes back as a message on the list."""
    me = signed_in(request)
    person = me.scope
    queues.require_hub(person)
    label = queues.tracking_numbers(person, [case_id]).get(case_id, f"#{case_id}")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("%(case)s: choose to approve or to refuse.") % {"case": label})
        return redirect(_back(request))
    approve = form.cleaned_data["decision"] == "approve"
    try:
        check_decide_request(
            me.user,
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


def _back(request: HttpRequest) -> str:
    """The hub again, with each list on the page the person was looking at."""
    sent = QueryDict(request.POST.get("back", ""))
    pages = {
        f"{name}_page": page_number(sent, f"{name}_page")
        for name in LISTS
        if f"{name}_page" in sent
    }
    return reverse("web:hub") + (f"?{urlencode(pages)}" if pages else "")
