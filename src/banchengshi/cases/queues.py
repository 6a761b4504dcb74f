"""Reads for the dispatch hub and the unit pages: the hub's queues (manual dispatch, returned
cases, extension and suspension requests, supervision) and a unit's cases and open work.

As with the worklist, every list is one indexed query for a page plus a count that stops at a
cap, and whatever a row shows is joined in or fetched in one query for the whole page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Count, Min, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.access import visible_cases
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import (
    NO_DUE,
    Case,
    CaseUnit,
    ClockRequest,
    State,
    Supervision,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.open_work import counts_by_unit
from banchengshi.cases.selectors import COUNT_CAP, WORK_COUNT_CAP, due_in, work_colour
from banchengshi.errors import Forbidden, InvalidState, NotFound
from banchengshi.ids import MAX_ID
from banchengshi.org.models import HANDLING_KINDS, Membership, Unit
from banchengshi.org.scope import HUB_QUEUE_ROLES, Scope
from banchengshi.policy.deadlines import Colour, deadline_colour
from banchengshi.textsearch.listed import Listed

PER_PAGE = 25
T = TypeVar("T")
U = TypeVar("U")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Bounded(Generic[T]):
    """One page of a list and how many rows the list has, counted up to `cap`."""

    rows: list[T]
    count: int
    page: int
    per_page: int
    cap: int

    @property
    def capped(self) -> bool:
        return self.count >= self.cap

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.count

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    def with_rows(self, rows: list[U]) -> Bounded[U]:
        return Bounded(rows, self.count, self.page, self.per_page, self.cap)


def page_of(
    queryset: QuerySet[M], page: int, *, per_page: int = PER_PAGE, cap: int = WORK_COUNT_CAP
) -> Bounded[M]:
    """A page of an ordered queryset. Pages stop where the count stops, so no request can make
    the database skip more than `cap` rows."""
    return page_of_listed(Listed(queryset, cap=cap), page, per_page=per_page)


def page_of_listed(listed: Listed[M], page: int, *, per_page: int = PER_PAGE) -> Bounded[M]:
    """A page of a list or a search's results (see page_of), counted up to the list's cap."""
    count = listed.count()
    page = min(max(1, page), max(1, -(-count // per_page)))
    rows = listed[(page - 1) * per_page : page * per_page]
    return Bounded(rows, count, page, per_page, listed.cap)


# --- the dispatch hub ---------------------------------------------------------------------------


def require_hub(scope: Scope) -> int:
    """The hub's unit, for the people who work its queues (dispatchers, office administrators)."""
    if not scope.has_role(HUB_QUEUE_ROLES):
        raise Forbidden(_("Only dispatchers and office administrators work at the dispatch hub."))
    if scope.hub_unit_id is None:
        raise InvalidState(_("No dispatch hub is configured; an administrator must create one."))
    return scope.hub_unit_id


def _hub_work(scope: Scope, kind: WorkKind) -> QuerySet[WorkItem]:
    return (
        WorkItem.objects.filter(unit_id=require_hub(scope), kind=kind)
        .select_related("case", "case__matter", "case__handling_unit")
        .order_by("-fast", "due", "id")
    )


@dataclass(frozen=True)
class WorkRow:
    item: WorkItem
    colour: Colour | None


def _with_colours(work: Bounded[WorkItem]) -> Bounded[WorkRow]:
    now = timezone.now()
    return work.with_rows([WorkRow(item, work_colour(item, now)) for item in work.rows])


@dataclass(frozen=True)
class DispatchRow(WorkRow):
    # For a returned case: why and by whom it was returned the last time.
    reason: str = ""
    returned_by: Unit | None = None


def dispatch_queue(scope: Scope, page: int, *, returned: bool = False) -> Bounded[DispatchRow]:
    """Accepted cases waiting for the hub to dispatch them, the fast channel's first, then
    most urgent first: those no unit
    could be found for automatically (R-DIS-1), or, with `returned`, those a unit sent back
    (退回, R-DIS-2) with the reason it gave."""
    work = _hub_work(scope, WorkKind.DISPATCH)
    if not returned:
        found = _with_colours(page_of(work.filter(case__returns_count=0), page))
        return found.with_rows([DispatchRow(row.item, row.colour) for row in found.rows])
    found = _with_colours(page_of(work.filter(case__returns_count__gt=0), page))
    # The reason is in the audit event of the return: one query for the page's cases.
    last_return: dict[int, dict[str, Any]] = {}
    events = AuditEvent.objects.filter(
        case_id__in=[row.item.case_id for row in found.rows], action=CaseEvent.RETURN
    ).order_by("seq")
    for case_id, payload in events.values_list("case_id", "payload"):
        last_return[case_id] = payload
    unit_ids = [p.get("returned_by") for p in last_return.values()]
    units = Unit.objects.in_bulk([u for u in unit_ids if isinstance(u, int)])
    rows = []
    for row in found.rows:
        payload = last_return.get(row.item.case_id, {})
        unit_id = payload.get("returned_by")
        returned_by = units.get(unit_id) if isinstance(unit_id, int) else None
        rows.append(DispatchRow(row.item, row.colour, str(payload.get("reason", "")), returned_by))
    return found.with_rows(rows)


@dataclass(frozen=True)
class PendingRequest:
    item: WorkItem
    request: ClockRequest


def pending_requests(scope: Scope, page: int) -> Bounded[PendingRequest]:
    """Extension and suspension requests waiting for the hub's decision, oldest first."""
    work = page_of(_hub_work(scope, WorkKind.APPROVE), page)
    requests = {
        request.case_id: request
        for request in ClockRequest.objects.filter(
            case_id__in=[item.case_id for item in work.rows],
            decision=ClockRequest.Decision.PENDING,
        ).select_related("requested_by")
    }
    # The approval work and the pending request are made and removed together; the check only
    # keeps a page from failing if they ever disagree.
    rows = [
        PendingRequest(item, requests[item.case_id])
        for item in work.rows
        if item.case_id in requests
    ]
    return work.with_rows(rows)


def supervision_queue(scope: Scope, page: int) -> Bounded[WorkRow]:
    """Cases whose return visit found the person dissatisfied or the problem unsolved: the hub
    decides on supervision (督办, R-RV-3) or closes them."""
    return _with_colours(page_of(_hub_work(scope, WorkKind.SUPERVISE), page))


UNIT_WORK = (WorkKind.RECEIVE, WorkKind.HANDLE, WorkKind.COHANDLE)


def overdue_at_units(scope: Scope, page: int) -> Bounded[WorkRow]:
    """Work past its deadline at the departments and centers, most overdue first. The unit list
    keeps the (unit, due, id) index in use: one range of `due` per unit."""
    require_hub(scope)
    units = Unit.objects.filter(kind__in=HANDLING_KINDS).values("pk")
    items = (
        WorkItem.objects.filter(unit_id__in=units, kind__in=UNIT_WORK)
        .filter(due_in("red", timezone.now()))
        .select_related("case", "case__matter", "unit")
        .order_by("due", "id")
    )
    return _with_colours(page_of(items, page))


@dataclass(frozen=True)
class ReopenedCase:
    case: Case
    supervision: Supervision | None
    colour: Colour | None


def reopened_cases(scope: Scope, page: int) -> Bounded[ReopenedCase]:
    """Cases reopened by supervision and being handled again (round 2 or later), newest first,
    with the supervision that reopened them and the colour of its deadline."""
    require_hub(scope)
    cases = (
        Case.objects.filter(state=State.IN_PROGRESS, round__gt=1)
        .select_related("matter", "handling_unit")
        .order_by("-received_at", "-id")
    )
    found = page_of(cases, page)
    latest: dict[int, Supervision] = {}
    supervisions = Supervision.objects.filter(case_id__in=[c.pk for c in found.rows])
    for supervision in supervisions.select_related("by").order_by("round", "id"):
        latest[supervision.case_id] = supervision
    now = timezone.now()
    rows = []
    for case in found.rows:
        reopened_by = latest.get(case.pk)
        colour = deadline_colour(reopened_by.due, now) if reopened_by else None
        rows.append(ReopenedCase(case, reopened_by, colour))
    return found.with_rows(rows)


def tracking_numbers(scope: Scope, case_ids: Iterable[int]) -> dict[int, str]:
    """Tracking numbers of the cases among `case_ids` the person may see, to report on each.
    Numbers no database integer can hold (typed into an address) name no case."""
    wanted = [case_id for case_id in case_ids if 0 < case_id <= MAX_ID]
    return dict(visible_cases(scope).filter(pk__in=wanted).values_list("pk", "tracking_no"))


def unit_names(unit_ids: Iterable[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "name"))


# --- units -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCounts:
    """Open work by deadline colour."""

    total: int = 0
    red: int = 0
    yellow: int = 0
    undated: int = 0

    @property
    def green(self) -> int:
        return max(self.total - self.red - self.yellow - self.undated, 0)

    def __add__(self, other: WorkCounts) -> WorkCounts:
        return WorkCounts(
            self.total + other.total,
            self.red + other.red,
            self.yellow + other.yellow,
            self.undated + other.undated,
        )


def open_work_by_unit(unit_ids: Iterable[int] | None) -> dict[int, WorkCounts]:
    """The open work of these units (None: of every unit) by colour, from the counts the
    database keeps by unit and day (cases.open_work): the cost follows the units and the days
    their work is due on, not the open work nor the cases ever handled."""
    return {unit: WorkCounts(*counts) for unit, counts in counts_by_unit(unit_ids).items()}


@dataclass(frozen=True)
class UnitLoad:
    unit: Unit
    depth: int
    work: WorkCounts


def _loads(units: list[Unit], counts: dict[int, WorkCounts], top_depth: int) -> list[UnitLoad]:
    return [
        UnitLoad(unit, unit.path.count("/") - top_depth, counts.get(unit.pk, WorkCounts()))
        for unit in units
    ]


def units_in_reach(scope: Scope) -> list[UnitLoad]:
    """The units the person may look at (R-ORG-3), as a tree, each with its open work."""
    units = Unit.objects.order_by("path")
    if not scope.sees_all:
        units = units.filter(pk__in=scope.visible_unit_ids)
    found = list(units)
    counts = open_work_by_unit(None if scope.sees_all else [u.pk for u in found])
    top = min((u.path.count("/") for u in found), default=0)
    return _loads(found, counts, top)


def unit_in_reach(scope: Scope, unit_id: int) -> Unit:
    unit = Unit.objects.select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("There is no unit with this number."))
    if not scope.sees_all and unit.pk not in scope.visible_unit_ids:
        raise Forbidden(
            _("This unit is outside your reach: you see your own units and the units below them.")
        )
    return unit


@dataclass(frozen=True)
class CaseRow:
    case: Case
    # The nearest deadline of the case's open work within the unit's tree, and its colour.
    due: dt.datetime | None
    colour: Colour | None


@dataclass(frozen=True)
class UnitOverview:
    unit: Unit
    units: list[UnitLoad]  # the unit and every unit below it, with their own open work
    work: WorkCounts  # the open work of all of them together
    by_state: list[tuple[State, int]]
    states_capped: bool
    people: list[Membership]
    cases: Bounded[CaseRow]


def unit_overview(
    scope: Scope, unit_id: int, *, state: str = "", colour: str = "", page: int = 1
) -> UnitOverview:
    """A unit's cases (its own and those of the units below it, R-ORG-3) by state and by the
    colour of their open work, a page of them, and the people and units of its tree."""
    unit = unit_in_reach(scope, unit_id)
    tree = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    tree_ids = [u.pk for u in tree]
    counts = open_work_by_unit(tree_ids)
    work = sum(counts.values(), WorkCounts())

    linked = Case.objects.filter(
        pk__in=CaseUnit.objects.filter(unit_id__in=tree_ids).values("case_id")
    )
    # One aggregate that reads at most COUNT_CAP case rows (the ids come from the covering
    # (unit, case) index): exact for a unit below the cap, "at least" beyond it.
    states = linked.order_by()[:COUNT_CAP].aggregate(
        total=Count("pk"), **{s.value: Count("pk", filter=Q(state=s.value)) for s in State}
    )
    by_state = [(s, states[s.value]) for s in State]

    cases = linked.select_related("matter", "handling_unit")
    if state:
        cases = cases.filter(state=state)
    now = timezone.now()
    if colour:
        open_work = WorkItem.objects.filter(unit_id__in=tree_ids).filter(due_in(colour, now))
        cases = cases.filter(pk__in=open_work.values("case_id"))
    found = page_of(cases.order_by("-received_at", "-id"), page, cap=COUNT_CAP)
    nearest = dict(
        WorkItem.objects.filter(unit_id__in=tree_ids, case_id__in=[c.pk for c in found.rows])
        .order_by()
        .values("case_id")
        .annotate(due=Min("due"))
        .values_list("case_id", "due")
    )
    rows = []
    for case in found.rows:
        due = nearest.get(case.pk)
        if due is None or due >= NO_DUE:
            rows.append(CaseRow(case, None, None))
        else:
            rows.append(CaseRow(case, due, deadline_colour(due, now)))
    people = list(
        Membership.objects.filter(unit_id__in=tree_ids)
        .select_related("user", "unit")
        .order_by("unit__path", "role", "user__username")
    )
    return UnitOverview(
        unit=unit,
        units=_loads(tree, counts, unit.path.count("/")),
        work=work,
        by_state=by_state,
        states_capped=states["total"] >= COUNT_CAP,
        people=people,
        cases=found.with_rows(rows),
    )
