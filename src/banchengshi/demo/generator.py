"""Demo cases in bulk: N cases over the last 365 days, in every state, consistent with the
engine, written in batches of a few thousand cases per transaction.

How it works
------------
Receipt instants are spread over the 365 days before now (more on working days, a slow rise
through the year, online channels only on days off) and generated day by day in time order.
For each case a plan is drawn (matter, channel, petitioner, and what will happen: resolved on
the spot, not admissible, returned, passed down, co-handled, extended, suspended, unhappy
and supervised …), then `_Sim` drives the case through the lifecycle in memory. `_Sim`
mirrors `banchengshi.cases.actions` step by step: the same state changes, clocks (deadlines
computed by the real calendar under the policy in force), open work items, unit links, and
one audit event per action with the same action name, before/after of the tracked fields and
payload. The drive stops at the first step that would happen after now, so that old cases
are mostly closed while recent ones are open at every stage and their colours (red, yellow,
green) follow from the real deadlines; a few cases of every age are made to stall at a
chosen step (a backlog). When the district is big enough, a fixed "showcase" of cases is
added so that every state and variant exists even in a small demo.

Every `batch_size` cases one transaction takes ids from the tables' sequences, gives tracking
numbers (PT-YYYY-NNNNNN, continuing TrackingSequence and moving it on), writes every table
with one statement (`demo.bulk`: executemany on SQLite, COPY on PostgreSQL, bulk_create on
other engines), and chains the batch's audit events in time order from AuditHead with
`audit.chain.event_hash`, moving the head, so that `banchengshi audit verify` holds after
every batch and later real registrations and audit events simply continue.

Measured on this machine (2 cores): 3,000 cases in about 2 s, 100,000 in about 70 s on
SQLite and 85 s on PostgreSQL; time grows linearly (about 0.7 ms per case).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from banchengshi.audit.chain import event_hash
from banchengshi.audit.models import AuditEvent, AuditHead
from banchengshi.cases import causes
from banchengshi.cases.actions.common import HANDLING_CLOCKS, TRACKED_FIELDS, actor_label
from banchengshi.cases.clocks import forget_policy_versions, policy_version_in_force
from banchengshi.cases.models import (
    NO_DUE,
    Case,
    CaseSearch,
    CaseUnit,
    Channel,
    Clock,
    ClockKind,
    ClockRequest,
    CoHandlingTask,
    ContactRecord,
    PetitionerType,
    ReturnVisit,
    State,
    Supervision,
    TrackingSequence,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.search import search_fields
from banchengshi.demo import bulk, people, texts
from banchengshi.demo.bulk import Row
from banchengshi.demo.catalogue import UNLISTED
from banchengshi.demo.district import District, MatterInfo
from banchengshi.org.models import UnitKind
from banchengshi.policy.deadlines import SHANGHAI, compute_deadline, end_of_day, local_date
from banchengshi.policy.rules import Limit, Policy, policy_in_force
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar
from banchengshi.workdays.registry import current_calendar

DEFAULT_SEED = 20230523
BATCH_SIZE = 5000
DAYS = 365

_encode = DjangoJSONEncoder().default
_tracked = attrgetter(*TRACKED_FIELDS)
WK = WorkKind
CK = ClockKind

# Channels that reach the system by themselves (the intake is recorded at once); the hub
# enters hotline and suggestion-box appeals during office hours.
IMMEDIATE_CHANNELS = frozenset(
    {Channel.PORTAL, Channel.MOBILE, Channel.KIOSK, Channel.MIDWAY_EXIT, Channel.REVIEW_PLATFORM}
)
EXTERNAL_SOURCES: dict[str, str] = {
    Channel.MIDWAY_EXIT: "ywtb_midway_exit",
    Channel.REVIEW_PLATFORM: "haochaping",
    Channel.HOTLINE_12345: "12345",
}
WORKDAY_CHANNELS = (
    (Channel.WINDOW, 58),
    (Channel.PORTAL, 10),
    (Channel.MOBILE, 12),
    (Channel.KIOSK, 3),
    (Channel.HOTLINE_12345, 8),
    (Channel.MIDWAY_EXIT, 5),
    (Channel.REVIEW_PLATFORM, 3),
    (Channel.SUGGESTION_BOX, 1),
)
DAY_OFF_CHANNELS = (
    (Channel.PORTAL, 35),
    (Channel.MOBILE, 40),
    (Channel.HOTLINE_12345, 10),
    (Channel.MIDWAY_EXIT, 10),
    (Channel.REVIEW_PLATFORM, 5),
)
# How often a matter comes up (1.0 unless listed): residence permits, medical insurance,
# employment, business licences and real-estate registration are the busy ones.
MATTER_WEIGHTS = {
    "SH-GA-001": 5.0,
    "SH-GA-002": 2.5,
    "SH-GA-003": 2.5,
    "SH-MIB-001": 3.0,
    "SH-MIB-002": 2.5,
    "SH-MIB-005": 2.0,
    "SH-HRS-001": 2.5,
    "SH-HRS-002": 2.5,
    "SH-HRS-006": 2.0,
    "SH-MSB-001": 3.0,
    "SH-MSB-002": 2.0,
    "SH-MSB-004": 2.5,
    "SH-MSB-007": 2.0,
    "SH-PNR-002": 3.0,
    "SH-PNR-003": 2.0,
    "SH-CA-004": 1.5,
    "SH-CA-007": 2.0,
    "SH-HMB-003": 2.0,
    "SH-VET-001": 2.0,
    "SH-DPF-001": 1.5,
    "SH-ZH-001": 1.5,
    "SH-ZH-004": 1.5,
}
QUIET_MATTER_WEIGHT = 0.4  # matters with no owner and no place to handle them here
CATEGORIES = (("handling", 65), ("consultation", 14), ("complaint", 12), ("suggestion", 9))
COMPLEXITIES = (("simple", 28), ("general", 47), ("complex", 20), ("special", 5))
CAUSE_WEIGHTS = (
    ("materials", 30),
    ("implementation_list", 10),
    ("process", 10),
    ("policy", 12),
    ("system_fault", 12),
    ("staff_conduct", 8),
    ("out_of_competence", 6),
    ("other", 12),
)
# Where a natural stall leaves a case (a backlog of every kind), with weights.
STALL_POINTS = (
    ("screen", 3),
    ("dispatch", 2),
    ("receive", 6),
    ("contact", 4),
    ("cause", 10),
    ("cohandling_open", 4),
    ("extension_pending", 2),
    ("suspended", 8),
    ("reply", 12),
    ("unhappy_visit", 3),
    ("supervise", 3),
    ("na_screen", 2),
)


def _weighted(pairs: tuple[tuple[Any, int], ...]) -> tuple[list[Any], list[float]]:
    values = [value for value, _ in pairs]
    cumulative: list[float] = []
    total = 0.0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


def _plain(value: Any) -> Any:
    """A tracked field's value as the audit event's JSON column will hold it."""
    return _encode(value) if isinstance(value, dt.datetime) else value


class _Stop(Exception):
    """The drive of one case ends here (the next step lies after now, or a planned stall)."""


@dataclass
class _Ref:
    """A row whose id is known only after it is inserted (a task or a request)."""

    row: Row


@dataclass
class _Event:
    case: Row
    actor_id: int
    actor_label: str
    action: str
    at: dt.datetime
    before: dict[str, Any]
    after: dict[str, Any] | None  # None: the register event, filled when tracking_no is known
    payload: dict[str, Any]


@dataclass
class _Plan:
    received_at: dt.datetime
    channel: str
    stall: str | None = None
    forced: bool = False  # showcase: compress the steps into the time before now
    matter: str = ""  # showcase: which kind of matter ("owned", "hub_queue", "down", "MSB")
    enterprise: bool | None = None
    complexity: str = ""
    on_spot: bool = False
    not_admissible: bool = False
    returned: bool = False
    dispatch_down: bool = False
    cohandling: bool = False
    extension: bool = False
    suspension: bool = False
    unhappy: bool = False
    supervise: bool = False
    unit_visit: bool = False


@dataclass
class GenerationResult:
    cases: int = 0
    events: int = 0
    seconds: float = 0.0
    by_state: Counter[str] = field(default_factory=Counter)


# --- one case, driven through the lifecycle in memory -----------------------------------------


class _Sim:
    """The rows of one case, changed exactly as banchengshi.cases.actions changes them."""

    def __init__(self, gen: _Generator, case: Row) -> None:
        self.g = gen
        self.case = case
        self.clocks: list[Row] = []
        self.work: list[Row] = []
        self.links: set[tuple[int, str]] = set()
        self.events: list[_Event] = []
        self.tasks: list[Row] = []
        self.requests: list[Row] = []
        self.contacts: list[Row] = []
        self.visits: list[Row] = []
        self.supervisions: list[Row] = []
        self.matter: MatterInfo | None = None
        self.fallback_unit: int = 0

    # shared pieces (actions._link, _work, _clear_work, _running, _stop, _refresh_handle_due)

    def _snap(self) -> tuple[Any, ...]:
        return _tracked(self.case)

    def _event(
        self,
        actor: User,
        action: str,
        at: dt.datetime,
        before_snap: tuple[Any, ...],
        payload: dict[str, Any],
    ) -> None:
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, old, new in zip(TRACKED_FIELDS, before_snap, self._snap(), strict=True):
            if old != new:
                before[name], after[name] = _plain(old), _plain(new)
        self.events.append(
            _Event(self.case, actor.pk, self.g.label(actor), action, at, before, after, payload)
        )
        self.case.version += 1
        self.case.updated_at = at

    def _link(self, unit_id: int, relation: str) -> None:
        self.links.add((unit_id, relation))

    def _work(
        self,
        kind: str,
        unit_id: int,
        due: dt.datetime | None,
        at: dt.datetime,
        task: Row | None = None,
    ) -> None:
        self.work.append(
            Row(
                case=self.case,
                kind=kind,
                unit_id=unit_id,
                due=due or NO_DUE,
                task=task,
                created_at=at,
            )
        )

    def _clear_work(self, *kinds: str) -> None:
        if kinds:
            self.work = [item for item in self.work if item.kind not in kinds]
        else:
            self.work = []

    def _running(self, *kinds: str) -> list[Row]:
        found = [
            clock
            for clock in self.clocks
            if clock.kind in kinds and clock.stopped_at is None and clock.task is None
        ]
        found.sort(key=lambda clock: clock.due)
        return found

    def _stop(self, at: dt.datetime, *kinds: str) -> None:
        for clock in self._running(*kinds):
            clock.stopped_at = at

    def _refresh_handle_due(self) -> None:
        dues = [c.due for c in self._running(*HANDLING_CLOCKS) if c.paused_at is None]
        for item in self.work:
            if item.kind == WK.HANDLE:
                item.due = min(dues) if dues else NO_DUE

    def _clock(
        self,
        kind: str,
        started_at: dt.datetime,
        due: dt.datetime,
        limit_name: str = "",
        task: Row | None = None,
    ) -> Row:
        clock = Row(
            case=self.case,
            kind=kind,
            limit_name=limit_name,
            round=self.case.round,
            started_at=started_at,
            due=due,
            stopped_at=None,
            paused_at=None,
            extra_workdays=0,
            task=task,
        )
        self.clocks.append(clock)
        return clock

    def _limit_clock(self, kind: str, limit: Limit, started_at: dt.datetime) -> Row | None:
        due = self.g.due_for(limit, started_at)
        return None if due is None else self._clock(kind, started_at, due, limit.name)

    def _reply_due(self) -> dt.datetime | None:
        reply = self._running(CK.REPLY)
        return reply[0].due if reply else None

    # the actions

    def register(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        case.state = State.REGISTERED.value
        case.registered_by = actor
        case.created_at = case.updated_at = at
        self._link(case.registered_unit_id, CaseUnit.Relation.REGISTERED)
        self._work(WK.SCREEN, case.registered_unit_id, None, at)
        self.events.append(
            _Event(
                case,
                actor.pk,
                self.g.label(actor),
                "register",
                at,
                {},
                None,
                {"channel": case.channel},
            )
        )

    def screen_accept(
        self, at: dt.datetime, actor: User, category: str, complexity: str, target: int | None
    ) -> None:
        case, policy = self.case, self.g.policy
        before = self._snap()
        self._clear_work(WK.SCREEN)
        case.category = category or case.category
        case.complexity = complexity or case.complexity
        payload: dict[str, Any] = {"category": case.category, "complexity": case.complexity}
        reply = self._limit_clock(
            CK.REPLY, policy.reply_limit(complexity=case.complexity), case.received_at
        )
        cause_limit = policy.clock_limit("cause_analysis")
        if cause_limit is not None:
            self._limit_clock(CK.CAUSE_ANALYSIS, cause_limit, case.received_at)
        if target is None:
            case.state = State.AWAITING_DISPATCH.value
            self._work(WK.DISPATCH, self.g.hub_id, reply.due if reply else None, at)
        else:
            self._dispatch_to(at, target, automatic=True, payload=payload)
        self._event(actor, "screen_accept", at, before, payload)

    def _dispatch_to(
        self, at: dt.datetime, unit_id: int, *, automatic: bool, payload: dict[str, Any]
    ) -> None:
        case = self.case
        case.state = State.DISPATCHED.value
        case.handling_unit_id = unit_id
        self._link(unit_id, CaseUnit.Relation.HANDLING)
        self._work(WK.RECEIVE, unit_id, self._reply_due(), at)
        contact = self.g.policy.clock_limit("contact")
        if contact is not None and not self._running(CK.CONTACT):
            self._limit_clock(CK.CONTACT, contact, at)
        payload.update({"unit": self.g.code(unit_id), "automatic": automatic})

    def screen_not_admissible(self, at: dt.datetime, actor: User, reason: str) -> None:
        case = self.case
        before = self._snap()
        self._clear_work(WK.SCREEN)
        case.state = State.NOT_ADMISSIBLE.value
        case.not_admissible_reason = reason
        limit = self.g.policy.clock_limit("not_admissible_reply")
        clock = (
            self._limit_clock(CK.NOT_ADMISSIBLE_REPLY, limit, case.received_at)
            if limit is not None
            else None
        )
        self._work(WK.REPLY_REASONS, case.registered_unit_id, clock.due if clock else None, at)
        self._event(actor, "screen_not_admissible", at, before, {"reason": reason})

    def resolve_on_spot(self, at: dt.datetime, actor: User, reply: str) -> None:
        case = self.case
        before = self._snap()
        self._clear_work()
        case.state = State.CLOSED.value
        case.on_the_spot = True
        case.reply_text = reply
        case.replied_at = case.closed_at = at
        case.owner_unit_id = case.handling_unit_id = case.registered_unit_id
        self._link(case.registered_unit_id, CaseUnit.Relation.OWNER)
        self._link(case.registered_unit_id, CaseUnit.Relation.HANDLING)
        self._event(actor, "resolve_on_spot", at, before, {"reply": reply})

    def dispatch(self, at: dt.datetime, actor: User, unit_id: int) -> None:
        before = self._snap()
        self._clear_work(WK.DISPATCH)
        payload: dict[str, Any] = {}
        self._dispatch_to(at, unit_id, automatic=False, payload=payload)
        self._event(actor, "dispatch", at, before, payload)

    def receive(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        before = self._snap()
        self._clear_work(WK.RECEIVE)
        case.state = State.IN_PROGRESS.value
        handling = case.handling_unit_id
        assert handling is not None
        if case.owner_unit_id is None:
            case.owner_unit_id = handling
            self._link(handling, CaseUnit.Relation.OWNER)
        self._work(WK.HANDLE, handling, None, at)
        self._refresh_handle_due()
        self._event(actor, "receive", at, before, {})

    def return_case(self, at: dt.datetime, actor: User, reason: str) -> None:
        case = self.case
        before = self._snap()
        self._clear_work(WK.RECEIVE, WK.HANDLE)
        returned_by = case.handling_unit_id
        case.state = State.AWAITING_DISPATCH.value
        case.returns_count += 1
        case.owner_unit_id = None
        case.handling_unit_id = None
        self._work(WK.DISPATCH, self.g.hub_id, self._reply_due(), at)
        self._stop(at, CK.CONTACT)
        self._event(actor, "return", at, before, {"reason": reason, "returned_by": returned_by})

    def dispatch_down(self, at: dt.datetime, actor: User, unit_id: int) -> None:
        before = self._snap()
        for item in self.work:
            if item.kind == WK.HANDLE:
                item.unit_id = unit_id
        self.case.handling_unit_id = unit_id
        self._link(unit_id, CaseUnit.Relation.HANDLING)
        self._event(actor, "dispatch_down", at, before, {"unit": self.g.code(unit_id)})

    def request_cohandling(
        self, at: dt.datetime, actor: User, unit_id: int, request: str, days: int
    ) -> Row | None:
        due = self.g.due_in_workdays(days, at)
        if due is None:
            return None
        before = self._snap()
        task = Row(
            case=self.case,
            unit_id=unit_id,
            request=request,
            due=due,
            state=CoHandlingTask.TaskState.OPEN.value,
            requested_by=actor,
            requested_at=at,
        )
        self.tasks.append(task)
        self._clock(CK.COHANDLING, at, due, task=task)
        self._link(unit_id, CaseUnit.Relation.COHANDLING)
        self._work(WK.COHANDLE, unit_id, due, at, task=task)
        payload = {"task": _Ref(task), "unit": self.g.code(unit_id), "days": days}
        self._event(actor, "request_cohandling", at, before, payload)
        return task

    def answer_cohandling(self, at: dt.datetime, actor: User, task: Row, answer: str) -> None:
        before = self._snap()
        task.state = CoHandlingTask.TaskState.ANSWERED.value
        task.answer = answer
        task.answered_by = actor
        task.answered_at = at
        for clock in self.clocks:
            if clock.task is task:
                clock.stopped_at = at
        self.work = [item for item in self.work if item.task is not task]
        self._event(actor, "answer_cohandling", at, before, {"task": _Ref(task)})

    def record_contact(self, at: dt.datetime, actor: User, method: str, outcome: str) -> None:
        before = self._snap()
        self.contacts.append(
            Row(case=self.case, contacted_at=at, method=method, by=actor, outcome=outcome)
        )
        self._stop(at, CK.CONTACT)
        self._refresh_handle_due()
        payload = {"method": method, "contacted_at": at.isoformat()}
        self._event(actor, "record_contact", at, before, payload)

    def record_cause(self, at: dt.datetime, actor: User, code: str, side: str, note: str) -> None:
        case, policy = self.case, self.g.policy
        before = self._snap()
        case.cause_code, case.cause_side, case.cause_note = code, side, note
        self._stop(at, CK.CAUSE_ANALYSIS)
        if policy.reply.by == "cause_side":
            limit = policy.reply_limit(cause_side=side)
            for clock in self._running(CK.REPLY):
                if clock.limit_name != limit.name and clock.round == 1:
                    due = self.g.due_for(limit, case.received_at)
                    due = self.g.shift_due(due, clock.extra_workdays) if due else None
                    if due is not None:
                        clock.limit_name, clock.due = limit.name, due
        self._refresh_handle_due()
        self._event(actor, "record_cause", at, before, {"code": code, "side": side})

    def extended_due(self, days: int) -> dt.datetime | None:
        """actions._extended_due: None when no reply clock runs or the cap would be passed."""
        reply = self._running(CK.REPLY)
        if not reply:
            return None
        new_due = self.g.shift_due(reply[0].due, days)
        cap = self.g.policy.clock_limit("extension_cap")
        if new_due is not None and cap is not None and self.case.round == 1:
            cap_due = self.g.due_for(cap, self.case.received_at)
            if cap_due is None or new_due > cap_due:
                return None
        return new_due

    def request_clock_change(
        self, at: dt.datetime, actor: User, kind: str, reason: str, days: int | None
    ) -> Row:
        before = self._snap()
        request = Row(
            case=self.case,
            kind=kind,
            reason=reason,
            days=days,
            decision=ClockRequest.Decision.PENDING.value,
            requested_by=actor,
            requested_at=at,
        )
        self.requests.append(request)
        self._work(WK.APPROVE, self.g.hub_id, at, at)
        payload = {"request": _Ref(request), "days": days, "reason": reason}
        self._event(actor, f"request_{kind}", at, before, payload)
        return request

    def decide(self, at: dt.datetime, actor: User, request: Row, approve: bool, note: str) -> None:
        case = self.case
        before = self._snap()
        request.decision = (
            ClockRequest.Decision.APPROVED.value if approve else ClockRequest.Decision.REFUSED.value
        )
        request.decided_by = actor
        request.decided_at = at
        request.decision_note = note
        self._clear_work(WK.APPROVE)
        payload: dict[str, Any] = {"request": _Ref(request), "note": note}
        if approve and request.kind == ClockRequest.Kind.EXTENSION:
            assert request.days is not None
            new_due = self.extended_due(request.days)
            assert new_due is not None, "the plan asks only for extensions the cap allows"
            for clock in self.clocks:
                if clock.kind == CK.REPLY and clock.stopped_at is None:
                    clock.due = new_due
                    clock.extra_workdays += request.days
            payload["due"] = new_due.isoformat()
        elif approve:
            case.suspended_at = at
            for clock in self.clocks:
                if clock.stopped_at is None:
                    clock.paused_at = at
            for item in self.work:
                item.due = NO_DUE
        self._refresh_handle_due()
        action = f"{'approve' if approve else 'refuse'}_{request.kind}"
        self._event(actor, action, at, before, payload)

    def resume(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        assert case.suspended_at is not None
        before = self._snap()
        lost = self.g.workdays_between(case.suspended_at, at)
        for clock in self.clocks:
            if clock.paused_at is None:
                continue
            clock.due = self.g.shift_due(clock.due, lost) or clock.due
            clock.paused_at = None
            clock.extra_workdays += lost
            task = clock.task
            if task is not None:
                task.due = clock.due
                for item in self.work:
                    if item.task is task:
                        item.due = clock.due
        for request in self.requests:
            if (
                request.kind == ClockRequest.Kind.SUSPENSION
                and request.decision == ClockRequest.Decision.APPROVED
            ):
                request.decision = ClockRequest.Decision.ENDED.value
        case.suspended_at = None
        self._refresh_handle_due()
        self._event(actor, "resume", at, before, {"workdays_suspended": lost})

    def reply(self, at: dt.datetime, actor: User, text: str, channel: str) -> None:
        case = self.case
        before = self._snap()
        if case.state == State.IN_PROGRESS:
            case.state = State.REPLIED.value
            self._stop(at, *HANDLING_CLOCKS)
            self._clear_work(WK.HANDLE)
            self._work(WK.RETURN_VISIT, self.g.hub_id, None, at)
        else:
            case.state = State.CLOSED.value
            case.closed_at = at
            self._stop(at, CK.NOT_ADMISSIBLE_REPLY)
            self._clear_work()
        case.reply_text = text
        case.replied_at = at
        self._event(actor, "reply", at, before, {"channel": channel, "text": text})

    def return_visit(
        self,
        at: dt.datetime,
        actor: User,
        by: str,
        satisfaction: int,
        solved: bool,
        comment: str,
    ) -> bool:
        case = self.case
        before = self._snap()
        self.visits.append(
            Row(
                case=case,
                by=by,
                round=case.round,
                visited_by=actor,
                visited_at=at,
                satisfaction=satisfaction,
                solved=solved,
                comment=comment,
            )
        )
        case.satisfaction, case.solved = satisfaction, solved
        self._clear_work(WK.RETURN_VISIT, WK.SUPERVISE, WK.CLOSE)
        unhappy = not solved or satisfaction <= 2
        if unhappy:
            self._work(WK.SUPERVISE, self.g.hub_id, at, at)
        else:
            self._work(WK.CLOSE, self.g.hub_id, None, at)
        payload = {"by": by, "satisfaction": satisfaction, "solved": solved}
        self._event(actor, "return_visit", at, before, payload)
        return unhappy

    def supervise(self, at: dt.datetime, actor: User, reason: str, days: int) -> bool:
        due = self.g.due_in_workdays(days, at)
        handling = self.case.handling_unit_id
        if due is None or handling is None:
            return False
        case = self.case
        before = self._snap()
        self._clear_work()
        case.round += 1
        case.state = State.IN_PROGRESS.value
        case.closed_at = None
        self.supervisions.append(
            Row(case=case, round=case.round, reason=reason, due=due, by=actor, at=at)
        )
        self._clock(CK.REPLY, at, due)
        self._work(WK.HANDLE, handling, due, at)
        payload = {"reason": reason, "round": case.round, "due": due.isoformat()}
        self._event(actor, "supervise", at, before, payload)
        return True

    def close(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        before = self._snap()
        case.state = State.CLOSED.value
        case.closed_at = at
        self._clear_work()
        self._event(actor, "close", at, before, {})


# --- the generator ------------------------------------------------------------------------------

# Showcase: cases that make every state and variant appear even in a small demo. Each is
# (where the drive stops, working days before today it was received, plan options).
SHOWCASE: tuple[tuple[str | None, int | str, dict[str, Any]], ...] = (
    ("register", 0, {"channel": Channel.PORTAL}),
    ("na_screen", 1, {"not_admissible": True}),
    ("screen", 1, {"matter": "hub_queue", "channel": Channel.PORTAL}),
    ("return", 2, {"returned": True, "matter": "owned"}),
    ("screen", 1, {"matter": "owned"}),
    ("screen", 6, {"matter": "owned", "complexity": "general"}),
    ("receive", 1, {"matter": "owned", "complexity": "complex"}),
    ("cause", "due_today", {"matter": "owned", "complexity": "general"}),
    ("cause", 8, {"matter": "owned", "complexity": "general"}),
    ("cohandling_open", 3, {"matter": "owned", "complexity": "complex", "cohandling": True}),
    ("extension_pending", 3, {"complexity": "complex", "extension": True}),
    ("extended", 5, {"complexity": "special", "extension": True}),
    ("suspended", 5, {"suspension": True}),
    ("cause", 2, {"matter": "down", "dispatch_down": True, "complexity": "complex"}),
    ("supervise", 12, {"unhappy": True, "supervise": True}),
    ("reply", 3, {}),
    ("visit", 4, {}),
    ("unhappy_visit", 7, {"unhappy": True}),
    ("cause", 2, {"enterprise": True, "matter": "MSB"}),
    (None, 20, {"on_spot": True, "channel": Channel.WINDOW}),
    (None, 30, {"not_admissible": True}),
    (None, 40, {"unhappy": True, "supervise": True}),
    (
        None,
        50,
        {"cohandling": True, "extension": True, "suspension": True, "complexity": "complex"},
    ),
    (None, 25, {"returned": True}),
    (None, 10, {}),
)


class _Generator:
    def __init__(
        self,
        district: District,
        *,
        seed: int,
        now: dt.datetime,
        policy: Policy,
        policy_id: int,
        calendar: WorkingCalendar,
    ) -> None:
        self.d = district
        self.rng = random.Random(seed)
        self.now = now
        self.policy = policy
        self.policy_id = policy_id
        self.calendar = calendar
        self.hub_id = district.hub.pk
        self._labels: dict[int, str] = {}
        self._workday: dict[int, bool] = {}
        self._due: dict[tuple[str, int], dt.datetime | None] = {}
        self._codes = {unit.pk: unit.code for unit in district.units.values()}
        matters = district.matters
        self.matters = matters
        self.matter_weights = list(
            _cumulative(
                [
                    MATTER_WEIGHTS.get(
                        m.code,
                        QUIET_MATTER_WEIGHT if not m.owner_id and not m.center_ids else 1.0,
                    )
                    for m in matters
                ]
            )
        )
        self.owned = [m for m in matters if m.owner_id]
        self.hub_queue = [m for m in matters if not m.owner_id and len(m.center_ids) != 1]
        self.down = [m for m in matters if self._child_of_owner(m)]
        self.channels = {True: _weighted(WORKDAY_CHANNELS), False: _weighted(DAY_OFF_CHANNELS)}
        self.categories = _weighted(CATEGORIES)
        self.complexities = _weighted(COMPLEXITIES)
        self.causes = _weighted(CAUSE_WEIGHTS)
        self.stalls = _weighted(STALL_POINTS)
        self.community = district.community_centers
        self.community_ids = {unit.pk for unit in self.community}

    # helpers: people, units, time

    def label(self, user: User) -> str:
        label = self._labels.get(user.pk)
        if label is None:
            label = self._labels[user.pk] = actor_label(user)
        return label

    def code(self, unit_id: int) -> str:
        return self._codes[unit_id]

    def handler(self, unit_id: int) -> User:
        return self.d.handler_for[unit_id]

    def _child_of_owner(self, matter: MatterInfo) -> int | None:
        if not matter.owner_id:
            return None
        children = {unit.pk for unit in self.d.children.get(matter.owner_id, [])}
        inside = [unit for unit in matter.center_ids if unit in children]
        return inside[0] if inside else None

    def is_workday(self, day: dt.date) -> bool:
        ordinal = day.toordinal()
        known = self._workday.get(ordinal)
        if known is None:
            try:
                known = self.calendar.is_workday(day)
            except UnknownYearError:
                known = day.weekday() < 5
            self._workday[ordinal] = known
        return known

    def next_workday(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def workday_before(self, day: dt.date, count: int) -> dt.date:
        while count > 0:
            day -= dt.timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def at_minute(self, day: dt.date, minute: int) -> dt.datetime:
        local = dt.datetime.combine(
            day,
            dt.time(
                minute // 60, minute % 60, self.rng.randrange(60), self.rng.randrange(1000) * 1000
            ),
            tzinfo=SHANGHAI,
        )
        return local.astimezone(dt.UTC)

    def office(self, instant: dt.datetime) -> dt.datetime:
        """The instant if it falls in office hours (9:00-17:30 of a working day), else the
        next working morning."""
        local = instant.astimezone(SHANGHAI)
        day = local.date()
        if self.is_workday(day):
            minute = local.hour * 60 + local.minute
            if minute < 540:
                return self.at_minute(day, 540 + self.rng.randrange(45))
            if minute < 1050:
                return instant
        return self.at_minute(self.next_workday(day), 540 + self.rng.randrange(75))

    def later(self, instant: dt.datetime, low: float, high: float) -> dt.datetime:
        """Office time some minutes (between low and high) after the instant."""
        return self.office(instant + dt.timedelta(minutes=self.rng.uniform(low, high)))

    def workdays_later(self, instant: dt.datetime, days: int) -> dt.datetime:
        """An office time on the `days`-th working day after the instant's day (0: same day)."""
        day = local_date(instant)
        for _ in range(days):
            day = self.next_workday(day)
        candidate = self.at_minute(day, 540 + self.rng.randrange(500))
        return candidate if candidate > instant else self.later(instant, 20, 120)

    def due_for(self, limit: Limit, started_at: dt.datetime) -> dt.datetime | None:
        key = (limit.name, local_date(started_at).toordinal())
        if key not in self._due:
            try:
                self._due[key] = compute_deadline(self.calendar, limit, started_at).due
            except UnknownYearError:
                self._due[key] = None
        return self._due[key]

    def due_in_workdays(self, days: int, started_at: dt.datetime) -> dt.datetime | None:
        try:
            return end_of_day(self.calendar.nth_workday_after(local_date(started_at), days))
        except UnknownYearError:
            return None

    def shift_due(self, due: dt.datetime, days: int) -> dt.datetime | None:
        if days <= 0:
            return due
        return self.due_in_workdays(days, due)

    def workdays_between(self, start: dt.datetime, end: dt.datetime) -> int:
        try:
            return self.calendar.workdays_between(local_date(start), local_date(end))
        except UnknownYearError:
            return 0

    def pick(self, choices: tuple[list[Any], list[float]]) -> Any:
        values, cumulative = choices
        return self.rng.choices(values, cum_weights=cumulative)[0]

    # receipt instants

    def day_counts(self, count: int) -> list[tuple[dt.date, int]]:
        """How many natural cases each of the last DAYS days receives (exactly `count`)."""
        today = local_date(self.now)
        days = [today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
        elapsed = self._elapsed_today()
        weights = []
        for i, day in enumerate(days):
            weight = (0.6 + 0.8 * i / (DAYS - 1)) * (1.0 if self.is_workday(day) else 0.2)
            if day == today:
                weight *= elapsed
            weights.append(weight)
        total = sum(weights)
        exact = [count * w / total for w in weights]
        counts = [math.floor(x) for x in exact]
        remainder = count - sum(counts)
        by_fraction = sorted(range(DAYS), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in by_fraction[:remainder]:
            counts[i] += 1
        return list(zip(days, counts, strict=True))

    def _elapsed_today(self) -> float:
        local = self.now.astimezone(SHANGHAI)
        return max(0.05, (local.hour * 60 + local.minute) / 1440)

    def receipts(self, day: dt.date, count: int) -> list[tuple[dt.datetime, str]]:
        workday = self.is_workday(day)
        limit = self.now - dt.timedelta(minutes=1)
        found: list[tuple[dt.datetime, str]] = []
        for _ in range(count):
            channel = self.pick(self.channels[workday])
            for _attempt in range(20):
                if channel == Channel.WINDOW or channel == Channel.KIOSK:
                    minute = int(self.rng.triangular(540, 1020, 630))
                elif channel == Channel.HOTLINE_12345:
                    minute = self.rng.randrange(480, 1260)
                else:
                    minute = self.rng.randrange(420, 1410)
                instant = self.at_minute(day, minute)
                if instant < limit:
                    break
                channel = Channel.PORTAL  # today, after now: an earlier online appeal instead
            else:
                instant = limit - dt.timedelta(minutes=self.rng.randrange(1, 600))
            found.append((instant, channel))
        found.sort()
        return found

    # plans

    def natural_plan(self, received_at: dt.datetime, channel: str) -> _Plan:
        rng = self.rng
        plan = _Plan(received_at, channel)
        window = channel == Channel.WINDOW
        plan.on_spot = window and rng.random() < 0.18
        plan.not_admissible = not plan.on_spot and rng.random() < 0.04
        rest = not plan.on_spot and not plan.not_admissible
        plan.returned = rest and rng.random() < 0.04
        plan.dispatch_down = rng.random() < 0.4
        plan.cohandling = rng.random() < 0.10
        plan.suspension = rng.random() < 0.05
        plan.unit_visit = rng.random() < 0.2
        plan.extension = rng.random() < 0.35  # only complex and special cases ask, see drive
        age = (self.now - received_at).total_seconds() / 86400
        chance = 0.012 if age > 60 else 0.035 if age > 20 else 0.08 if age > 5 else 0.1
        if rest and rng.random() < chance:
            plan.stall = self.pick(self.stalls)
            if plan.stall == "na_screen":
                plan.not_admissible = True
            plan.cohandling |= plan.stall == "cohandling_open"
            plan.suspension |= plan.stall == "suspended"
            if plan.stall == "extension_pending":
                plan.extension, plan.complexity = True, "complex"
            plan.unhappy = plan.stall in ("unhappy_visit", "supervise")
            plan.supervise = plan.stall == "supervise"
        return plan

    def showcase_plans(self) -> list[_Plan]:
        today = local_date(self.now)
        plans = []
        for stall, age, options in SHOWCASE:
            channel = options.get("channel", Channel.WINDOW)
            if age == "due_today":
                due_day = today if self.is_workday(today) else self.next_workday(today)
                day = self.workday_before(due_day, 3)
            else:
                assert isinstance(age, int)
                day = self.workday_before(today, age)
            if day == today:
                received = self.now - dt.timedelta(minutes=self.rng.randrange(60, 180))
                channel = options.get("channel", Channel.PORTAL)
            else:
                received = self.at_minute(day, 540 + self.rng.randrange(90))
            plan = _Plan(received, channel, stall=stall, forced=True)
            for name, value in options.items():
                if name != "channel":
                    setattr(plan, name, value)
            plans.append(plan)
        return plans

    # building a case

    def _matter(self, plan: _Plan) -> MatterInfo | None:
        rng = self.rng
        if plan.matter == "owned":
            return rng.choice(self.owned)
        if plan.matter == "hub_queue":
            return rng.choice(self.hub_queue)
        if plan.matter == "down":
            return rng.choice(self.down)
        if plan.matter:
            return rng.choice([m for m in self.matters if m.domain == plan.matter])
        if rng.random() < 0.05:
            return None
        return rng.choices(self.matters, cum_weights=self.matter_weights)[0]

    def new_case(self, plan: _Plan) -> _Sim:
        rng = self.rng
        matter = self._matter(plan)
        window = plan.channel == Channel.WINDOW
        centers = matter.center_ids if matter else ()
        if window:
            local = [u for u in centers if u in self.community_ids or u == self.d.hall.pk]
            if local and rng.random() < 0.75:
                registered = rng.choice(local)
            else:
                registered = (
                    rng.choice(self.community).pk if rng.random() < 0.55 else self.d.hall.pk
                )
        else:
            registered = self.hub_id
        failed_at: int | None = None
        if plan.matter != "hub_queue":
            if window and registered in centers and rng.random() < 0.75:
                failed_at = registered
            elif centers and rng.random() < (0.4 if window else 0.25):
                failed_at = rng.choice(centers)
        unlisted, unlisted_unit = rng.choice(UNLISTED)
        fallback = self.d.units[unlisted_unit] if matter is None else None
        department: int | None = None
        if matter and matter.owner_id and rng.random() < 0.5:
            department = matter.owner_id
        elif fallback and fallback.kind == UnitKind.DEPARTMENT and rng.random() < 0.3:
            department = fallback.pk
        domain = matter.domain if matter else ""
        enterprise = plan.enterprise
        if enterprise is None:
            share = {"MSB": 0.65, "SW": 0.6, "HRS": 0.15, "PNR": 0.1, "HMB": 0.05}.get(domain, 0.02)
            enterprise = rng.random() < share
        sole_trader = bool(matter and matter.code in SOLE_TRADER_MATTERS)
        surname, given = people.person_name(rng)
        name = surname + given
        category = "handling" if plan.on_spot and rng.random() < 0.6 else self.pick(self.categories)
        complexity = plan.complexity or self.pick(self.complexities)
        if plan.on_spot:
            complexity = "simple"
        visits = (
            rng.choices((1, 2, 3, 4, 5, 6), weights=(30, 30, 20, 10, 6, 4))[0]
            if window
            else rng.choices((1, 2), weights=(80, 20))[0]
        )
        place_id = failed_at or (registered if window else None)
        place = self.d.by_id[place_id].name if place_id else "区政务服务中心"
        matter_name = matter.name if matter else unlisted
        online = plan.channel in IMMEDIATE_CHANNELS
        hotline = plan.channel == Channel.HOTLINE_12345
        received = plan.received_at
        case = Row(
            tracking_no="",
            state=State.REGISTERED.value,
            channel=plan.channel,
            received_at=received,
            registered_unit_id=registered,
            window="“办不成事”反映窗口" if window else "",
            petitioner_type=PetitionerType.ENTERPRISE.value
            if enterprise
            else PetitionerType.PERSON.value,
            petitioner_name=name,
            phone=people.contact_phone(rng),
            id_number=people.id_number(rng) if rng.random() < (0.1 if enterprise else 0.35) else "",
            enterprise_name=(
                people.enterprise_name(rng, sole_trader=sole_trader, owner=name, matter=matter_name)
                if enterprise
                else ""
            ),
            credit_code=people.credit_code(rng, sole_trader=sole_trader) if enterprise else "",
            matter_id=matter.id if matter else None,
            matter_text="" if matter else matter_name,
            department_id=department,
            failed_at_unit_id=failed_at,
            online_application_no=(
                f"YWTB{local_date(received):%Y%m%d}{rng.randrange(10**6):06d}"
                if online and rng.random() < 0.6
                else ""
            ),
            visits_count=visits,
            description=texts.description(
                rng,
                category=category,
                domain=domain,
                matter=matter_name,
                place=place,
                online=online,
                hotline=hotline,
                visits=visits,
            ),
            request=texts.request(rng, category),
            category=category,
            complexity=complexity,
            policy_id=self.policy_id,
            external_source=EXTERNAL_SOURCES.get(plan.channel, ""),
            external_id="",
            # what the lifecycle changes, starting from the model's defaults
            registered_by=None,
            owner_unit_id=None,
            handling_unit_id=None,
            round=1,
            returns_count=0,
            on_the_spot=False,
            not_admissible_reason="",
            cause_code="",
            cause_side="",
            cause_note="",
            reply_text="",
            replied_at=None,
            satisfaction=None,
            solved=None,
            suspended_at=None,
            closed_at=None,
            version=1,
            created_at=received,
            updated_at=received,
        )
        sim = _Sim(self, case)
        sim.matter = matter
        sim.fallback_unit = fallback.pk if fallback else self.d.hall.pk
        return sim

    def auto_target(self, case: Row, matter: MatterInfo | None) -> int | None:
        """actions.auto_dispatch_target, from what the generator already knows."""
        if matter is not None and matter.owner_id:
            return matter.owner_id
        if case.department_id:
            return case.department_id
        if case.failed_at_unit_id:
            return case.failed_at_unit_id
        if matter is not None and len(matter.center_ids) == 1:
            return matter.center_ids[0]
        return None

    def manual_target(self, sim: _Sim, avoid: int | None) -> int:
        """Where the hub sends a case: a place handling the matter or its department; for
        a matter outside the district's tree (police, health …) or not in the catalogue, the
        unit that deals with such requests (usually the district hall, where those windows
        sit); never back to the unit that returned it."""
        matter = sim.matter
        options = [u for u in (matter.center_ids if matter else ()) if u != avoid]
        if matter and matter.owner_id and matter.owner_id != avoid:
            options.append(matter.owner_id)
        if not options:
            fallback = [sim.fallback_unit, self.d.hall.pk, *(u.pk for u in self.d.departments)]
            options = [next(u for u in fallback if u != avoid)]
        return int(self.rng.choice(options))

    # the drive

    def drive(self, sim: _Sim, plan: _Plan) -> None:
        with suppress(_Stop):
            self._drive(sim, plan)

    def _drive(self, sim: _Sim, plan: _Plan) -> None:
        rng, case, d = self.rng, sim.case, self.d
        matter = sim.matter
        last = [plan.received_at]

        def step(instant: dt.datetime) -> dt.datetime:
            if instant <= last[0]:
                instant = last[0] + dt.timedelta(minutes=rng.uniform(1, 5))
            if instant >= self.now:
                if not plan.forced:
                    raise _Stop
                instant = last[0] + (self.now - last[0]) * rng.uniform(0.2, 0.5)
            last[0] = instant
            return instant

        def stall(point: str) -> None:
            if plan.stall == point:
                raise _Stop

        received = plan.received_at
        window = plan.channel == Channel.WINDOW
        if window:
            clerk = d.clerk_for[case.registered_unit_id]
            registered_at = received + dt.timedelta(minutes=rng.uniform(2, 15))
        elif plan.channel in IMMEDIATE_CHANNELS:
            clerk = d.dispatcher
            registered_at = received + dt.timedelta(seconds=rng.uniform(3, 90))
        else:
            clerk = d.dispatcher
            registered_at = self.later(received, 20, 240)
        if registered_at >= self.now:  # a case always exists once received
            registered_at = received + (self.now - received) * 0.5
        last[0] = registered_at
        sim.register(registered_at, clerk)
        stall("register")
        matter_name = matter.name if matter else case.matter_text
        if plan.on_spot:
            at = step(received + dt.timedelta(minutes=rng.uniform(8, 45)))
            sim.resolve_on_spot(at, clerk, texts.on_spot_reply(rng, matter_name, case.category))
            return
        at = step(self.later(last[0], 10, 240))
        if plan.not_admissible:
            sim.screen_not_admissible(at, clerk, texts.not_admissible_reason(rng))
            stall("na_screen")
            late = rng.random() < 0.08
            at = step(self.workdays_later(at, rng.randint(4, 5) if late else rng.randint(0, 2)))
            sim.reply(
                at, clerk, texts.not_admissible_reply(rng), rng.choice(("phone", "sms", "letter"))
            )
            return
        category, complexity = "", ""
        if rng.random() < 0.15:
            category = self.pick(self.categories)
        if rng.random() < 0.15 and not plan.complexity:
            complexity = self.pick(self.complexities)
        sim.screen_accept(at, clerk, category, complexity, self.auto_target(case, matter))
        stall("screen")
        dispatcher = d.dispatcher
        if plan.returned:
            if case.handling_unit_id is None:
                at = step(self.later(at, 30, 480))
                sim.dispatch(at, dispatcher, self.manual_target(sim, None))
            wrong = case.handling_unit_id
            assert wrong is not None
            at = step(self.later(at, 60, 1440))
            sim.return_case(at, self.handler(wrong), texts.return_reason(rng))
            stall("return")
            at = step(self.later(at, 30, 600))
            sim.dispatch(at, dispatcher, self.manual_target(sim, wrong))
        elif case.handling_unit_id is None:
            at = step(self.later(at, 30, 600))
            sim.dispatch(at, dispatcher, self.manual_target(sim, None))
        stall("dispatch")
        handling = case.handling_unit_id
        assert handling is not None
        slow = rng.random() < 0.1
        at = step(self.workdays_later(at, rng.randint(1, 3)) if slow else self.later(at, 20, 600))
        sim.receive(at, self.handler(handling))
        stall("receive")
        child = self._child_of_owner(matter) if matter else None
        if plan.dispatch_down and child and matter and handling == matter.owner_id:
            at = step(self.later(at, 10, 240))
            sim.dispatch_down(at, self.d.leader_for.get(handling, self.handler(handling)), child)
            handling = child
        actor = self.handler(handling)
        method = rng.choices(("phone", "sms", "in_person", "visit"), weights=(70, 15, 10, 5))[0]
        at = step(self.later(at, 5, 300))
        sim.record_contact(at, actor, method, texts.contact_outcome(rng, method))
        stall("contact")
        code = self.pick(self.causes)
        if case.category == "complaint" and rng.random() < 0.6:
            code = "staff_conduct"
        elif case.category == "suggestion":
            code = rng.choice(("process", "implementation_list", "policy", "other"))
        elif case.category == "consultation" and code in ("staff_conduct", "system_fault"):
            code = rng.choice(("policy", "implementation_list"))
        cause = causes.get(code)
        assert cause is not None
        side = cause.side if cause.side != "either" else rng.choice(("petitioner", "department"))
        at = step(self.later(at, 10, 180))
        sim.record_cause(at, actor, code, side, texts.cause_note(rng, code))
        stall("cause")
        if plan.cohandling:
            others = [u.pk for u in d.departments if u.pk not in (case.owner_unit_id, handling)]
            unit = rng.choice(others)
            days = rng.choice((2, 3, 5))
            at = step(self.later(at, 30, 480))
            task = sim.request_cohandling(
                at, actor, unit, texts.cohandling_request(rng, matter_name), days
            )
            if task is not None:
                stall("cohandling_open")
                late = rng.random() < 0.1
                answer_days = days + rng.randint(1, 3) if late else rng.randint(0, days)
                at = step(self.workdays_later(at, answer_days))
                sim.answer_cohandling(at, self.handler(unit), task, texts.cohandling_answer(rng))
        if plan.extension and case.complexity in ("complex", "special"):
            extra = next(
                (n for n in rng.sample(range(1, 6), 5) if sim.extended_due(n) is not None), None
            )
            if extra is not None:
                at = step(self.workdays_later(at, rng.randint(0, 2)))
                request = sim.request_clock_change(
                    at, actor, ClockRequest.Kind.EXTENSION.value, texts.extension_reason(rng), extra
                )
                stall("extension_pending")
                approve = plan.stall == "extended" or rng.random() < 0.85
                at = step(self.later(at, 30, 360))
                approver = dispatcher if rng.random() < 0.8 else d.officeadmin
                if approve and sim.extended_due(extra) is None:
                    approve = False
                sim.decide(at, approver, request, approve, texts.decision_note(rng, approve))
                stall("extended")
        if plan.suspension:
            at = step(self.later(at, 60, 1440))
            request = sim.request_clock_change(
                at, actor, ClockRequest.Kind.SUSPENSION.value, texts.suspension_reason(rng), None
            )
            at = step(self.later(at, 30, 360))
            sim.decide(at, dispatcher, request, True, texts.decision_note(rng, True))
            stall("suspended")
            at = step(self.workdays_later(at, rng.randint(2, 8)))
            sim.resume(at, actor)
        at = step(self._reply_time(sim, at))
        sim.reply(
            at,
            actor,
            texts.reply(rng, code, matter_name, case.category),
            rng.choice(("sms", "phone", "phone")),
        )
        stall("reply")
        satisfaction, solved = self._satisfaction(plan)
        if plan.unit_visit and not plan.unhappy:
            at = step(self.later(at, 120, 1440))
            sim.return_visit(
                at,
                actor,
                ReturnVisit.By.UNIT.value,
                satisfaction,
                solved,
                texts.visit_comment(rng, satisfaction),
            )
        at = step(self.workdays_later(at, rng.randint(1, 3)))
        unhappy = sim.return_visit(
            at,
            dispatcher,
            ReturnVisit.By.HUB.value,
            satisfaction,
            solved,
            texts.visit_comment(rng, satisfaction),
        )
        if not unhappy:
            stall("visit")
        if unhappy:
            stall("unhappy_visit")
            if plan.supervise or (plan.stall is None and rng.random() < 0.75):
                at = step(self.later(at, 60, 2880))
                if sim.supervise(at, dispatcher, texts.supervision_reason(rng), rng.choice((3, 5))):
                    stall("supervise")
                    at = step(self.later(at, 60, 1440))
                    sim.record_contact(at, actor, "phone", texts.contact_outcome(rng, "phone"))
                    at = step(self._reply_time(sim, at))
                    sim.reply(
                        at, actor, texts.reply(rng, code, matter_name, case.category), "phone"
                    )
                    satisfaction = rng.choice((3, 4, 4, 5))
                    at = step(self.workdays_later(at, rng.randint(1, 2)))
                    sim.return_visit(
                        at,
                        dispatcher,
                        ReturnVisit.By.HUB.value,
                        satisfaction,
                        True,
                        texts.visit_comment(rng, satisfaction),
                    )
        at = step(self.workdays_later(at, rng.randint(0, 2)))
        sim.close(at, dispatcher)

    def _reply_time(self, sim: _Sim, after: dt.datetime) -> dt.datetime:
        """Most replies come before the reply deadline; about one in eight is late."""
        rng = self.rng
        soon = self.later(after, 30, 240)
        due = sim._reply_due()
        if due is None:
            return self.workdays_later(after, rng.randint(1, 4))
        if rng.random() < 0.12:
            return max(soon, self.workdays_later(due, rng.randint(1, 4)))
        if soon >= due:
            return soon
        target = self.office(after + (due - after) * rng.uniform(0.05, 0.9))
        if target > due:
            target = self.at_minute(local_date(due), 540 + rng.randrange(480))
        return max(soon, target) if target > after else soon

    def _satisfaction(self, plan: _Plan) -> tuple[int, bool]:
        rng = self.rng
        if plan.unhappy:
            return rng.choice((1, 2, 2)), rng.random() < 0.3
        satisfaction = rng.choices((5, 4, 3, 2, 1), weights=(55, 25, 12, 6, 2))[0]
        solved = rng.random() < (0.95 if satisfaction >= 3 else 0.4)
        return satisfaction, solved


SOLE_TRADER_MATTERS = frozenset({"SH-MSB-004", "SH-MSB-005", "SH-MSB-006", "SH-MSB-010"})


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


# --- writing a batch ----------------------------------------------------------------------------


EVENT_COLUMNS = (
    "seq",
    "case_id",
    "actor_id",
    "actor_label",
    "action",
    "at",
    "before",
    "after",
    "payload",
    "prev_hash",
    "hash",
)


def _resolve(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: (v.row.pk if isinstance(v, _Ref) else v) for key, v in payload.items()}


SEARCH_COLUMNS = ("ids", "names", "matter", "body")


def _search_row(sim: _Sim) -> tuple[Any, ...]:
    """The case's search row, as registration writes it (cases.search)."""
    case = sim.case
    fields = search_fields(
        tracking_no=case.tracking_no,
        phone=case.phone,
        petitioner_name=case.petitioner_name,
        enterprise_name=case.enterprise_name,
        matter_name=sim.matter.name if sim.matter else "",
        matter_text=case.matter_text,
        description=case.description,
        request=case.request,
    )
    return (case.pk, *(fields[column] for column in SEARCH_COLUMNS))


def _write_batch(sims: list[_Sim], result: GenerationResult) -> None:
    prefix = settings.BANCHENGSHI_DISTRICT_CODE
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(pk=1)
        sequences = {
            row.year: row
            for row in TrackingSequence.objects.select_for_update().filter(prefix=prefix)
        }
        last_numbers = {year: row.last for year, row in sequences.items()}
        cases = []
        for sim in sims:
            case = sim.case
            received = local_date(case.received_at)
            number = last_numbers.get(received.year, 0) + 1
            last_numbers[received.year] = number
            case.tracking_no = f"{prefix}-{received.year}-{number:06d}"
            if case.external_source:
                case.external_id = f"{received:%Y%m%d}{number:06d}"
            cases.append(case)
        tasks = [task for sim in sims for task in sim.tasks]
        requests = [request for sim in sims for request in sim.requests]
        with_pk = bulk.fast_path()
        if with_pk:
            groups: tuple[tuple[type[models.Model], list[Any]], ...] = (
                (Case, cases),
                (CoHandlingTask, tasks),
                (ClockRequest, requests),
            )
            for model, group in groups:
                for row, pk in zip(group, bulk.allocate_ids(model, len(group)), strict=True):
                    row.pk = pk
        bulk.insert(Case, cases, with_pk=with_pk)
        bulk.insert(CoHandlingTask, tasks, with_pk=with_pk)
        bulk.insert(ClockRequest, requests, with_pk=with_pk)
        bulk.insert_values(
            CaseUnit,
            ("case_id", "unit_id", "relation"),
            [
                (sim.case.pk, unit_id, relation)
                for sim in sims
                for unit_id, relation in sorted(sim.links)
            ],
        )
        bulk.insert_values(
            CaseSearch, ("case_id", *SEARCH_COLUMNS), [_search_row(sim) for sim in sims]
        )
        bulk.insert(Clock, [c for sim in sims for c in sim.clocks])
        bulk.insert(WorkItem, [w for sim in sims for w in sim.work])
        bulk.insert(ContactRecord, [c for sim in sims for c in sim.contacts])
        bulk.insert(ReturnVisit, [v for sim in sims for v in sim.visits])
        bulk.insert(Supervision, [s for sim in sims for s in sim.supervisions])

        events = [event for sim in sims for event in sim.events]
        events.sort(key=lambda event: event.at)  # stable: a case's own events keep their order
        seq, prev = head.last_seq, head.last_hash
        rows: list[tuple[Any, ...]] = []
        for event in events:
            seq += 1
            case = event.case
            after = (
                event.after
                if event.after is not None
                else {"state": State.REGISTERED.value, "tracking_no": case.tracking_no}
            )
            payload = _resolve(event.payload)
            digest = event_hash(
                seq,
                case.pk,
                event.actor_id,
                event.actor_label,
                event.action,
                event.at,
                event.before,
                after,
                payload,
                prev,
            )
            rows.append(
                (
                    seq,
                    case.pk,
                    event.actor_id,
                    event.actor_label,
                    event.action,
                    event.at,
                    event.before,
                    after,
                    payload,
                    prev,
                    digest,
                )
            )
            prev = digest
        bulk.insert_values(AuditEvent, EVENT_COLUMNS, rows)
        AuditHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)
        for year, last in last_numbers.items():
            if year in sequences:
                if sequences[year].last != last:
                    TrackingSequence.objects.filter(pk=sequences[year].pk).update(last=last)
            else:
                TrackingSequence.objects.create(prefix=prefix, year=year, last=last)
    result.cases += len(sims)
    result.events += len(rows)
    result.by_state.update(sim.case.state for sim in sims)


def generate_cases(
    district: District,
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[GenerationResult], None] | None = None,
) -> GenerationResult:
    """Generate `count` cases received over the last 365 days and write them in batches."""
    started = time.perf_counter()
    result = GenerationResult()
    if count <= 0:
        return result
    forget_policy_versions()  # a cached id may name a row rolled back or flushed meanwhile
    version = policy_version_in_force()
    gen = _Generator(
        district,
        seed=seed,
        now=now or timezone.now(),
        policy=policy_in_force(),
        policy_id=version.pk,
        calendar=current_calendar(),
    )
    if connection.vendor == "sqlite":
        # A bigger page cache for this connection: the indexes of a million cases do not fit
        # the default 2 MB, and every insert would read pages back from the file.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    showcase = gen.showcase_plans() if count >= 2 * len(SHOWCASE) else []
    showcase.sort(key=lambda plan: plan.received_at)
    pending: list[_Sim] = []
    for day, day_count in gen.day_counts(count - len(showcase)):
        plans = [gen.natural_plan(at, channel) for at, channel in gen.receipts(day, day_count)]
        while showcase and local_date(showcase[0].received_at) <= day:
            plans.append(showcase.pop(0))
        plans.sort(key=lambda plan: plan.received_at)
        for plan in plans:
            sim = gen.new_case(plan)
            gen.drive(sim, plan)
            pending.append(sim)
        if len(pending) >= batch_size:
            _write_batch(pending, result)
            pending = []
            if progress is not None:
                result.seconds = time.perf_counter() - started
                progress(result)
    if pending:
        _write_batch(pending, result)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.seconds = time.perf_counter() - started
    return result
