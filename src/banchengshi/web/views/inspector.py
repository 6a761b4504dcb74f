"""Oversight (R-REP-5), read-only: search every case, read a case's audit trail with each event
checked against the hash chain, and verify the whole chain."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from banchengshi.audit.personal_data import ViewFilters, personal_data_views
from banchengshi.audit.selectors import (
    CheckedEvent,
    case_trail,
    check_whole_chain,
    require_audit_reader,
)
from banchengshi.cases.models import Case
from banchengshi.cases.queues import page_of, page_of_listed, unit_names
from banchengshi.cases.selectors import (
    COUNT_CAP,
    SEARCH_NEWEST,
    find_case,
    search_cases,
    start_of_day,
)
from banchengshi.intake.tracking import tracking_number
from banchengshi.web.case_display import DETAIL_LABELS, local_instant, timeline_entries
from banchengshi.web.forms.lists import CaseSearchForm, PersonalDataViewsForm
from banchengshi.web.staff import signed_in, staff_view


@require_GET
@staff_view
def inspect(request: HttpRequest) -> HttpResponse:
    person = signed_in(request).scope
    require_audit_reader(person)
    form = CaseSearchForm(request.GET, label_suffix="")
    form.is_valid()
    data = form.cleaned_data
    cases = search_cases(
        person,
        state=data.get("state", ""),
        text=data.get("q", ""),
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
    )
    found = page_of_listed(cases, data.get("page") or 1)
    return render(
        request,
        "web/inspector.html",
        {"form": form, "found": found, "search_newest": f"{SEARCH_NEWEST:,}"},
    )


@require_GET
@staff_view
def personal_data_views_page(request: HttpRequest) -> HttpResponse:
    """Who saw which petitioner's full phone, ID number or credit code, when and where."""
    person = signed_in(request).scope
    form = PersonalDataViewsForm(request.GET, label_suffix="")
    form.is_valid()
    data = form.cleaned_data
    filters = ViewFilters(
        user=data.get("user", ""),
        subject=tracking_number(data.get("subject", "")),
        field=data.get("field", ""),
        since=_day_start(data.get("since")),
        until=_day_start(data.get("until"), after=True),
    )
    found = page_of(personal_data_views(person, filters), data.get("page") or 1, cap=COUNT_CAP)
    return render(request, "web/inspector_pii_views.html", {"form": form, "found": found})


def _day_start(day: dt.date | None, *, after: bool = False) -> dt.datetime | None:
    """The start of `day` (or of the day after it) in Shanghai."""
    if day is None:
        return None
    return start_of_day(day + dt.timedelta(days=1) if after else day)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class TrailRow:
    checked: CheckedEvent
    action: str
    changes: list[Change]
    details: list[tuple[str, str]]


def _field(name: str) -> Any:
    try:
        return Case._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return None


def _field_label(name: str) -> str:
    field = _field(name)
    return str(capfirst(field.verbose_name)) if field is not None else name


def _shown(name: str, value: Any, units: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    field = _field(name)
    if field is not None and field.is_relation and isinstance(value, int):
        return units.get(value, f"#{value}")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field is not None and isinstance(field, models.DateTimeField):
        return local_instant(value, "Y-m-d H:i")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _trail_rows(trail: list[CheckedEvent]) -> list[TrailRow]:
    unit_ids = {
        value
        for checked in trail
        for side in (checked.event.before, checked.event.after)
        for name, value in side.items()
        if isinstance(value, int) and (field := _field(name)) is not None and field.is_relation
    }
    units = unit_names(unit_ids)
    entries = timeline_entries([checked.event for checked in trail])
    rows = []
    for checked, entry in zip(trail, entries, strict=True):
        event = checked.event
        names = list(dict.fromkeys([*event.before, *event.after]))
        changes = [
            Change(
                _field_label(name),
                _shown(name, event.before.get(name), units),
                _shown(name, event.after.get(name), units),
            )
            for name in names
        ]
        # Everything recorded: the entries in words first, then the rest (record ids, sizes).
        rest = [
            (key, _shown("", value, {}))
            for key, value in event.payload.items()
            if key not in DETAIL_LABELS
        ]
        rows.append(TrailRow(checked, entry.label, changes, entry.details + rest))
    return rows


@require_GET
@staff_view
def inspect_audit(request: HttpRequest, case_id: int) -> HttpResponse:
    person = signed_in(request).scope
    require_audit_reader(person)
    case = find_case(person, case_id)
    trail = case_trail(person, case.pk)
    context = {"case": case, "trail": trail, "rows": _trail_rows(trail.events)}
    return render(request, "web/inspector_audit.html", context)


@require_http_methods(["GET", "POST"])
@staff_view
def inspect_verify(request: HttpRequest) -> HttpResponse:
    """Verifying reads every event of the chain, so it runs only when asked for (POST)."""
    person = signed_in(request).scope
    require_audit_reader(person)
    check = check_whole_chain(person) if request.method == "POST" else None
    return render(request, "web/inspector_verify.html", {"check": check})
