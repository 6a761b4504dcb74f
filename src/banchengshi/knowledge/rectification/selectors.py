"""Reads of rectification items: the lists (a unit's and the office's), the office's counts
per unit, one item with its cases, history, reminders and files, and the items a case feeds.
Each list is one query on an index: (status, due, id) for the office, (unit, status, due,
id) for a unit, (target, status, due, id) by what to fix; the earliest deadline first, so
the overdue lead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.access import visible_cases
from banchengshi.errors import NotFound
from banchengshi.knowledge.models import (
    FixTarget,
    RectificationCase,
    RectificationEvent,
    RectificationFile,
    RectificationItem,
    RectificationReminder,
    RectificationStatus,
)
from banchengshi.knowledge.rectification.access import may_see
from banchengshi.knowledge.rectification.clock import ItemClock, item_clock
from banchengshi.org.scope import Scope

MAX_LIMIT = 100


class ListStatus(StrEnum):
    """A list's filter: a stored status, or overdue (open past its deadline)."""

    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    VERIFIED = "verified"


def is_overdue(item: RectificationItem, now: dt.datetime) -> bool:
    return item.status == RectificationStatus.OPEN and item.due < now


def overdue(now: dt.datetime) -> Q:
    """`is_overdue` as a query condition: the lists, the counts and the reports use it."""
    return Q(status=RectificationStatus.OPEN, due__lt=now)


def items(
    scope: Scope,
    *,
    status: ListStatus = ListStatus.OPEN,
    unit_id: int | None = None,
    target: FixTarget | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[RectificationItem]:
    """The items the person sees, earliest deadline first; slice it for a page."""
    now = now or timezone.now()
    rows = RectificationItem.objects.select_related("unit", "policy")
    if status is ListStatus.OVERDUE:
        rows = rows.filter(overdue(now))
    else:
        rows = rows.filter(status=status.value)
    if target is not None:
        rows = rows.filter(target=target)
    if unit_id is not None:
        if not may_see(scope, unit_id):
            return rows.none()
        rows = rows.filter(unit_id=unit_id)
    elif not scope.sees_all:
        rows = rows.filter(unit_id__in=sorted(scope.visible_unit_ids))
    return rows.order_by("due", "id")


@dataclass(frozen=True)
class UnitCounts:
    unit_id: int
    unit: str
    open: int
    overdue: int
    done: int
    verified: int


def counts_by_unit(scope: Scope, *, now: dt.datetime | None = None) -> list[UnitCounts]:
    """The office's overview: per owner unit, its open (overdue among them), done and verified
    items; one GROUP BY over the (unit, status, due) index. Empty for anyone who does not see
    every unit."""
    if not scope.sees_all:
        return []
    now = now or timezone.now()
    rows = (
        RectificationItem.objects.values("unit_id", "unit__name")
        .annotate(
            open=Count("id", filter=Q(status=RectificationStatus.OPEN)),
            overdue=Count("id", filter=overdue(now)),
            done=Count("id", filter=Q(status=RectificationStatus.DONE)),
            verified=Count("id", filter=Q(status=RectificationStatus.VERIFIED)),
        )
        .order_by("unit__name", "unit_id")
    )
    return [
        UnitCounts(
            row["unit_id"],
            row["unit__name"],
            row["open"],
            row["overdue"],
            row["done"],
            row["verified"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class OpenItems:
    open: int
    overdue: int


def open_by_unit(unit_ids: list[int], *, now: dt.datetime) -> dict[int, OpenItems]:
    """The open items of each of these units, and how many of them are past their deadline:
    one GROUP BY over the (unit, status, due) index (the dashboard's league table)."""
    rows = (
        RectificationItem.objects.filter(unit_id__in=unit_ids, status=RectificationStatus.OPEN)
        .values("unit_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue(now)))
        .order_by()
    )
    return {row["unit_id"]: OpenItems(row["open"], row["overdue"]) for row in rows}


@dataclass(frozen=True)
class LinkedCase:
    id: int
    tracking_no: str
    added_at: dt.datetime


# An item's page lists this many of its cases; the count says how many there are in all.
MAX_CASES_SHOWN = 50


@dataclass(frozen=True)
class ItemDetail:
    item: RectificationItem
    # The cases behind it that the person may open (the first MAX_CASES_SHOWN).
    cases: list[LinkedCase]
    # All the cases behind it, those the person may not open included.
    case_count: int
    events: list[RectificationEvent]
    overdue: bool
    reminders: list[RectificationReminder]
    files: list[RectificationFile]
    clock: ItemClock


def item_detail(scope: Scope, item_id: int, *, now: dt.datetime | None = None) -> ItemDetail:
    """One item, its cases, history, reminders and files (a query each); not found for
    whoever does not see it."""
    now = now or timezone.now()
    item = (
        RectificationItem.objects.select_related(
            "unit", "policy", "done_by", "verified_by", "knowledge_entry"
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None or not may_see(scope, item.unit_id):
        raise NotFound(_("No such rectification item."))
    links = RectificationCase.objects.filter(item=item)
    case_count = links.count()
    if not scope.sees_all:
        links = links.filter(case__in=visible_cases(scope))
    cases = [
        LinkedCase(case_id, tracking_no, added_at)
        for case_id, tracking_no, added_at in links.order_by("id").values_list(
            "case_id", "case__tracking_no", "added_at"
        )[:MAX_CASES_SHOWN]
    ]
    events = list(
        RectificationEvent.objects.filter(item=item).select_related("actor", "case").order_by("id")
    )
    reminders = list(RectificationReminder.objects.filter(item=item).order_by("sent_at", "id"))
    files = list(RectificationFile.objects.filter(item=item).order_by("id"))
    return ItemDetail(
        item,
        cases,
        case_count,
        events,
        is_overdue(item, now),
        reminders,
        files,
        item_clock(item, now),
    )


def items_of_case(case_id: int) -> list[RectificationItem]:
    """The items a case feeds (the case page shows them to whoever sees the case: they name
    the unit and what it fixes, nothing of other cases); on the index of the case."""
    return list(
        RectificationItem.objects.filter(links__case_id=case_id)
        .select_related("unit")
        .order_by("id")
    )
