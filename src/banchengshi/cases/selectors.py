"""Reads: the worklist, case detail with timeline and records, and search. Every list is one
indexed query for the page plus counts that stop at a cap; nothing queries per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.access import HANDLER, may, require, sees_personal_data, visible_cases
from banchengshi.cases.clocks import case_policy, provisional_note
from banchengshi.cases.models import (
    NO_DUE,
    Attachment,
    Case,
    Clock,
    ClockRequest,
    CoHandlingTask,
    ContactRecord,
    ReturnVisit,
    Supervision,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.preconditions import CaseFacts, blocker
from banchengshi.cases.search import TextQuery
from banchengshi.cases.states import ALLOWED_STATES, Act
from banchengshi.errors import NotFound
from banchengshi.identifiers import mask_id_number, mask_phone
from banchengshi.org.models import HANDLING_KINDS, Role, Unit
from banchengshi.org.scope import HUB_QUEUE_ROLES, Scope
from banchengshi.policy.deadlines import (
    DEFAULT_YELLOW_WINDOW,
    SHANGHAI,
    Colour,
    deadline_colour,
    local_date,
)
from banchengshi.policy.rules import LimitRule
from banchengshi.textsearch.listed import CAP, Listed
from banchengshi.workdays.calendar import UnknownYearError
from banchengshi.workdays.registry import current_calendar

# Which work a role takes from its unit's queue.
WORK_BY_ROLE: dict[Role, frozenset[WorkKind]] = {
    Role.WINDOW_CLERK: frozenset({WorkKind.SCREEN, WorkKind.REPLY_REASONS}),
    Role.WINDOW_HEAD: frozenset({WorkKind.SCREEN, WorkKind.REPLY_REASONS}),
    Role.UNIT_HANDLER: frozenset({WorkKind.RECEIVE, WorkKind.HANDLE, WorkKind.COHANDLE}),
    Role.UNIT_LEADER: frozenset({WorkKind.RECEIVE, WorkKind.HANDLE, WorkKind.COHANDLE}),
    Role.DISPATCHER: frozenset(
        {
            WorkKind.SCREEN,
            WorkKind.REPLY_REASONS,
            WorkKind.DISPATCH,
            WorkKind.APPROVE,
            WorkKind.RETURN_VISIT,
            WorkKind.SUPERVISE,
            WorkKind.CLOSE,
        }
    ),
    Role.OFFICE_ADMIN: frozenset({WorkKind.APPROVE, WorkKind.SUPERVISE}),
}
MAX_PER_PAGE = 100
UNIT_FIELDS = ("registered_unit", "owner_unit", "handling_unit", "department", "failed_at_unit")
COUNT_CAP = CAP
# How many of the latest-registered matches of each kind a search over every case ranks.
SEARCH_NEWEST = 500
# The hub's and the units' queues count up to this and say "at least" beyond.
WORK_COUNT_CAP = 1_000
# The worklist counts each colour exactly up to this and says "more than" beyond: a count reads
# at most one row more, so the counts of a district's busiest queue cost what a small queue's
# do, whatever the open work (issue 15). Four pages of 25.
WORK_COUNT_SHOWN = 100
# How deep the worklist's pages go: its rows query never skips more rows than this.
WORK_PAGE_DEPTH = 1_000
# The encrypted identifiers of a case (encryption at rest), which lists do not show.
PETITIONER_IDENTIFIERS = ("phone", "id_number", "credit_code")


@dataclass(frozen=True)
class WorkFilters:
    """What a worklist may be narrowed to; the defaults show all of the person's work."""

    state: str = ""
    category: str = ""
    colour: str = ""  # a colour of due_in
    unit_id: int | None = None
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    text: str = ""


ALL_WORK = WorkFilters()


def due_in(colour: str, now: dt.datetime) -> Q:
    """Open work of one colour ("red", "yellow", "green", or "none" for work without a
    deadline), as a range of `due` that the (unit, due, id) index serves; the same bounds as
    work_colour computes for one item."""
    soon = now + DEFAULT_YELLOW_WINDOW
    ranges = {
        "red": Q(due__lt=now),
        "yellow": Q(due__gte=now, due__lt=soon),
        "green": Q(due__gte=soon, due__lt=NO_DUE),
        "none": Q(due__gte=NO_DUE),
    }
    return ranges[colour]


def _work_kinds(scope: Scope) -> dict[int, set[WorkKind]]:
    kinds_by_unit: dict[int, set[WorkKind]] = {}
    for unit_id, roles in scope.roles_by_unit.items():
        for role in roles:
            # Hub roles take their work from the hub's queue, wherever their membership is.
            target = scope.hub_unit_id or unit_id if role in HUB_QUEUE_ROLES else unit_id
            kinds_by_unit.setdefault(target, set()).update(WORK_BY_ROLE.get(role, ()))
    return {unit_id: kinds for unit_id, kinds in kinds_by_unit.items() if kinds}


def _work_filter(scope: Scope, unit_id: int | None = None) -> Q | None:
    condition: Q | None = None
    for unit, kinds in _work_kinds(scope).items():
        if unit_id is None or unit == unit_id:
            part = Q(unit_id=unit, kind__in=sorted(kinds))
            condition = part if condition is None else condition | part
    return condition


def work_units(scope: Scope) -> list[Unit]:
    """The units whose queues the person takes work from (the worklist's unit filter)."""
    return list(Unit.objects.filter(pk__in=_work_kinds(scope)).order_by("path"))


def received_between(
    received_from: dt.date | None, received_to: dt.date | None, prefix: str = ""
) -> Q:
    """Received on these local days, as an instant range the received_at indexes can serve."""
    condition = Q()
    if received_from:
        condition &= Q(**{f"{prefix}received_at__gte": start_of_day(received_from)})
    if received_to:
        next_day = received_to + dt.timedelta(days=1)
        condition &= Q(**{f"{prefix}received_at__lt": start_of_day(next_day)})
    return condition


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)


def _case_conditions(filters: WorkFilters) -> Q:
    condition = Q()
    for name in ("state", "category", "channel"):
        value = getattr(filters, name)
        if value:
            condition &= Q(**{f"case__{name}": value})
    text = filters.text.strip()
    if text:
        condition &= TextQuery.read(text).found("case__")
    return condition & received_between(filters.received_from, filters.received_to, "case__")


@dataclass(frozen=True)
class WorkPage:
    """A page of the worklist and its open work by colour, each colour counted exactly up to
    `bound` (WORK_COUNT_SHOWN); a count above `bound` means "more than `bound`"."""

    items: list[WorkItem]
    red: int
    yellow: int
    green: int  # on time, with a deadline
    undated: int  # without a deadline
    page: int
    per_page: int
    has_next: bool = False
    bound: int = WORK_COUNT_SHOWN

    @property
    def total(self) -> int:
        """Exact unless `capped`; then above `bound` too, which is all a list says of it."""
        return self.red + self.yellow + self.green + self.undated

    @property
    def capped(self) -> bool:
        """Some colour has more than `bound` items: that count and the total say "more than"."""
        return max(self.red, self.yellow, self.green, self.undated) > self.bound


def worklist(
    scope: Scope, page: int = 1, per_page: int = 25, filters: WorkFilters = ALL_WORK
) -> WorkPage:
    """The open work of the person's units that their roles take, most urgent first.

    The counts by colour cover the work the other filters select, so that they say what each
    colour would show; the colour filter narrows the rows only."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    condition = _work_filter(scope, filters.unit_id)
    if condition is None:
        return WorkPage([], 0, 0, 0, 0, page, per_page)
    now = timezone.now()
    items = WorkItem.objects.filter(condition, _case_conditions(filters))
    # Each colour is a range of the (unit, due, id) index read for at most bound + 1 rows.
    red, yellow, green, undated = (
        items.filter(due_in(colour, now)).order_by()[: WORK_COUNT_SHOWN + 1].count()
        for colour in ("red", "yellow", "green", "none")
    )
    if filters.colour:
        items = items.filter(due_in(filters.colour, now))
    start = (page - 1) * per_page
    rows: list[WorkItem] = []
    if start < WORK_PAGE_DEPTH:
        # One row beyond the page says whether there is a next one, without a count. The
        # petitioner's identifiers are not shown in a worklist: deferred, they are not
        # decrypted (two or three Fernet tokens a row, a tenth of the page's CPU).
        rows = list(
            items.select_related("case", "case__matter", "unit")
            .defer(*(f"case__{name}" for name in PETITIONER_IDENTIFIERS))
            .order_by("due", "id")[start : start + per_page + 1]
        )
    has_next = len(rows) > per_page and start + per_page < WORK_PAGE_DEPTH
    return WorkPage(rows[:per_page], red, yellow, green, undated, page, per_page, has_next)


def work_colour(item: WorkItem, now: dt.datetime | None = None) -> Colour | None:
    if item.due >= NO_DUE:
        return None
    return deadline_colour(item.due, now or timezone.now())


@dataclass(frozen=True)
class ClockView:
    clock: Clock
    colour: Colour | None
    counted: list[dt.date]
    skipped: list[tuple[dt.date, str]]
    # Empty for a final deadline; else what it assumed (cases.clocks.provisional_note).
    provisional_note: str = ""


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    phone: str
    id_number: str
    credit_code: str
    personal_data_visible: bool
    clocks: list[ClockView]
    events: list[AuditEvent]
    actions: list[Act]


def find_case(scope: Scope, case_id: int) -> Case:
    case = (
        Case.objects.select_related("matter", "policy")
        .prefetch_related("unit_links")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(_("No case with this number is within your reach."))
    require(scope, Act.VIEW, case)
    _attach_units(case)
    return case


def _attach_units(case: Case) -> None:
    # One small query for the units, rather than a join of six tables that costs more to plan.
    unit_fields = [f for f in UNIT_FIELDS if getattr(case, f"{f}_id") is not None]
    units = Unit.objects.in_bulk([getattr(case, f"{f}_id") for f in unit_fields])
    for name in unit_fields:
        setattr(case, name, units[getattr(case, f"{name}_id")])


def _clock_view(clock: Clock, case: Case, now: dt.datetime) -> ClockView:
    policy = case_policy(case)
    stopped = clock.stopped_at or clock.paused_at
    colour = None if stopped else deadline_colour(clock.due, now, policy.yellow_window)
    counted: list[dt.date] = []
    skipped: list[tuple[dt.date, str]] = []
    limit = policy.limits.get(clock.limit_name)
    same_day = limit is not None and limit.rule is LimitRule.SAME_DAY
    try:
        start = local_date(clock.started_at) + dt.timedelta(days=0 if same_day else 1)
        end = local_date(clock.due)
        calendar = current_calendar()
        if clock.provisional:  # the days it counted, as it counted them
            calendar = calendar.assuming(calendar.unknown_years(start, max(start, end)))
        days = calendar.days(start, end) if start <= end else []
        counted = [d.date for d in days if d.is_workday]
        skipped = [(d.date, d.reason) for d in days if not d.is_workday]
    except UnknownYearError:
        pass
    return ClockView(clock, colour, counted, skipped, provisional_note(clock))


def case_detail(scope: Scope, case_id: int) -> CaseDetail:
    case = find_case(scope, case_id)
    pending = case.clock_requests.filter(decision=ClockRequest.Decision.PENDING).exists()
    return _detail_of(scope, case, list(case.clocks.order_by("due", "id")), pending)


def registered_case_detail(scope: Scope, case: Case) -> CaseDetail:
    """The detail of a case the caller has just registered (the Case returned by
    `do_register_case`, which carries its units, matter, link and event): no clocks, requests
    or records exist yet, so nothing is read again."""
    require(scope, Act.VIEW, case)
    return _detail_of(scope, case, [], pending=False)


def _detail_of(scope: Scope, case: Case, clocks: list[Clock], pending: bool) -> CaseDetail:
    now = timezone.now()
    visible = sees_personal_data(scope, case)
    # In sequence order (AuditEvent.Meta); a just-registered case has its event in hand.
    events = list(case.events.all())
    # Offer only what can succeed now: the state machine, the action's own precondition (the
    # one the action refuses by) and the person's right.
    facts = CaseFacts(case, pending_request=pending)
    actions = [
        act
        for act, states in ALLOWED_STATES.items()
        if case.state in states and may(scope, act, case) and blocker(act, facts) is None
    ]
    return CaseDetail(
        case=case,
        phone=case.phone if visible else mask_phone(case.phone),
        id_number=case.id_number if visible else mask_id_number(case.id_number),
        credit_code=case.credit_code if visible else mask_id_number(case.credit_code),
        personal_data_visible=visible,
        clocks=[_clock_view(clock, case, now) for clock in clocks],
        events=events,
        actions=actions,
    )


def search_cases(
    scope: Scope,
    *,
    state: str = "",
    text: str = "",
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
) -> Listed[Case]:
    """Cases in scope, newest first; with `text`, those it finds (cases.search), the better
    kind of match first. The caller reads a page."""
    # A list shows no identifier: deferred, they are not decrypted (see worklist).
    cases = (
        visible_cases(scope)
        .select_related("matter", "handling_unit", "registered_unit")
        .defer(*PETITIONER_IDENTIFIERS)
    )
    if state:
        cases = cases.filter(state=state)
    cases = cases.filter(received_between(received_from, received_to))
    text = text.strip()
    if not text:
        return Listed(cases.order_by("-received_at", "-id"))
    query = TextQuery.read(text)
    # Over every case, a common word matches a share of them all; taking each kind's newest
    # SEARCH_NEWEST matches bounds the work at any size. A search narrowed otherwise (some
    # units only, a state, a period) gets all its matches: the newest of the whole index
    # would leave out an older period's cases, or most cases of a state, at a large size.
    if state or received_from or received_to or not scope.sees_all:
        ranked = query.every()
        return Listed(
            cases.filter(ranked.found)
            .annotate(search_rank=ranked.rank)
            .order_by("-search_rank", "-received_at", "-id")
        )
    return Listed(cases, order=query.newest(SEARCH_NEWEST))


def bounded_count(queryset: QuerySet[Any]) -> int:
    """Counts up to COUNT_CAP; a list shows "10000+" beyond, so the cost stays bounded. The
    order and the annotations (a search's ranking) are left out: they change no count."""
    return Listed(queryset, cap=COUNT_CAP).count()


@dataclass(frozen=True)
class CaseRecords:
    tasks: list[CoHandlingTask]
    contacts: list[ContactRecord]
    clock_requests: list[ClockRequest]
    return_visits: list[ReturnVisit]
    supervisions: list[Supervision]
    attachments: list[Attachment]

    @classmethod
    def none(cls) -> CaseRecords:
        return cls([], [], [], [], [], [])


def case_records(case: Case) -> CaseRecords:
    """One query per kind of record, people and units joined in; call it only for a case the
    person may see (after case_detail or find_case)."""
    return CaseRecords(
        tasks=list(
            CoHandlingTask.objects.filter(case=case)
            .select_related("unit", "requested_by", "answered_by")
            .order_by("requested_at", "id")
        ),
        contacts=list(
            ContactRecord.objects.filter(case=case)
            .select_related("by")
            .order_by("contacted_at", "id")
        ),
        clock_requests=list(
            ClockRequest.objects.filter(case=case)
            .select_related("requested_by", "decided_by")
            .order_by("requested_at", "id")
        ),
        return_visits=list(
            ReturnVisit.objects.filter(case=case)
            .select_related("visited_by")
            .order_by("visited_at", "id")
        ),
        supervisions=list(
            Supervision.objects.filter(case=case).select_related("by").order_by("at", "id")
        ),
        attachments=list(
            Attachment.objects.filter(case=case)
            .select_related("uploaded_by")
            .order_by("uploaded_at", "id")
        ),
    )


def answerable_tasks(scope: Scope, tasks: list[CoHandlingTask]) -> list[CoHandlingTask]:
    """The open co-handling tasks asked of the person's own units: the ones they may answer."""
    return [
        task
        for task in tasks
        if task.state == CoHandlingTask.TaskState.OPEN and scope.has_role(HANDLER, task.unit_id)
    ]


def handling_units(exclude: tuple[int | None, ...] = ()) -> list[Unit]:
    """Units a case can be dispatched to or co-handled by, offered as choices; the actions
    check the unit chosen."""
    return list(
        Unit.objects.filter(is_active=True, kind__in=HANDLING_KINDS)
        .exclude(pk__in=[unit_id for unit_id in exclude if unit_id is not None])
        .order_by("path")
    )


def units_below(unit: Unit | None) -> list[Unit]:
    """The active units under `unit`, for passing a case down."""
    if unit is None:
        return []
    return list(
        Unit.objects.filter(is_active=True, path__startswith=unit.path)
        .exclude(pk=unit.pk)
        .order_by("path")
    )
