"""Reads of rectification items: the lists (a unit's and the office's) and one item with its
cases and history. Each list is one query on an index: (status, due, id) for the office,
(unit, status, due, id) for a unit; the earliest deadline first, so the overdue lead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.errors import NotFound
from banchengshi.knowledge.models import (
    RectificationCase,
    RectificationEvent,
    RectificationItem,
    RectificationStatus,
)
from banchengshi.knowledge.rectification.access import may_see
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


def items(
    scope: Scope,
    *,
    status: ListStatus = ListStatus.OPEN,
    unit_id: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[RectificationItem]:
    """The items the person sees, earliest deadline first; slice it for a page."""
    now = now or timezone.now()
    rows = RectificationItem.objects.select_related("unit")
    if status is ListStatus.OVERDUE:
        rows = rows.filter(status=RectificationStatus.OPEN, due__lt=now)
    else:
        rows = rows.filter(status=status.value)
    if unit_id is not None:
        if not may_see(scope, unit_id):
            return rows.none()
        rows = rows.filter(unit_id=unit_id)
    elif not scope.sees_all:
        rows = rows.filter(unit_id__in=sorted(scope.visible_unit_ids))
    return rows.order_by("due", "id")


@dataclass(frozen=True)
class LinkedCase:
    id: int
    tracking_no: str
    added_at: dt.datetime


@dataclass(frozen=True)
class ItemDetail:
    item: RectificationItem
    cases: list[LinkedCase]
    events: list[RectificationEvent]
    overdue: bool


def item_detail(scope: Scope, item_id: int, *, now: dt.datetime | None = None) -> ItemDetail:
    """One item, its cases and its history (three queries); not found for whoever does not
    see it."""
    item = (
        RectificationItem.objects.select_related("unit", "done_by", "verified_by")
        .filter(pk=item_id)
        .first()
    )
    if item is None or not may_see(scope, item.unit_id):
        raise NotFound(_("No such rectification item."))
    links = RectificationCase.objects.filter(item=item).order_by("id")
    cases = [
        LinkedCase(case_id, tracking_no, added_at)
        for case_id, tracking_no, added_at in links.values_list(
            "case_id", "case__tracking_no", "added_at"
        )
    ]
    events = list(
        RectificationEvent.objects.filter(item=item).select_related("actor").order_by("id")
    )
    return ItemDetail(item, cases, events, is_overdue(item, now or timezone.now()))
