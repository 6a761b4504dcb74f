"""What-if (issue 14 item 6): a period's cases replayed under another policy, side by side with
what happened, without changing any case.

For each case of the report's cohort (reports.metrics.cohort) and each clock a policy may run
on its own (contact, cause analysis, reply, reply with reasons, return visit), the replay asks
when that clock would have started under the target policy, which limit it would have run
under, and when it stopped, all from what the case recorded: its receipt, complexity and
cause's side, the working days its extensions and suspensions added, its first dispatch, first
contact, cause analysis and reply (the audit trail where the case's own policy ran no clock).
The deadline is computed in Python with the same calendar functions the engine uses (an explicit
replay, not a report figure); the cases are read in chunks, so memory does not grow with the
period. Nothing is written: the replay only reads.

Every clock's outcome is taken at `as_of`, the end of the period or now when it has not ended:
on time (stopped by its deadline), late (stopped after), open and overdue, open (not yet due or
paused), or none (the policy runs no such clock for that case). A case flips when a clock is
overdue (late or open and overdue) under one policy and not under the other.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from typing import Any

from django.db.models import QuerySet

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.clocks import stored_policy
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import (
    Case,
    Clock,
    ClockKind,
    ContactRecord,
    PolicyVersion,
    ReturnVisit,
)
from banchengshi.policy.deadlines import reckon_due, reckon_shift
from banchengshi.policy.rules import Limit, Policy
from banchengshi.reports.metrics import cohort
from banchengshi.reports.periods import Period
from banchengshi.reports.scopes import ReportScope
from banchengshi.workdays.calendar import WorkingCalendar

# The clocks a policy runs on its own, in the order a petitioner meets them; co-handling and
# supervision deadlines are set by hand and do not depend on the policy.
KINDS = (
    ClockKind.CONTACT,
    ClockKind.CAUSE_ANALYSIS,
    ClockKind.REPLY,
    ClockKind.NOT_ADMISSIBLE_REPLY,
    ClockKind.RETURN_VISIT,
)
# The policy's clock name of each kind other than the reply's (Policy.clocks).
POLICY_CLOCKS = {
    ClockKind.CONTACT: "contact",
    ClockKind.CAUSE_ANALYSIS: "cause_analysis",
    ClockKind.NOT_ADMISSIBLE_REPLY: "not_admissible_reply",
    ClockKind.RETURN_VISIT: "return_visit",
}
CHUNK = 2000
# The flipped cases listed; the count says how many there are in all.
MAX_FLIPPED = 500
FACT_EVENTS = (
    CaseEvent.SCREEN_ACCEPT,
    CaseEvent.DISPATCH,
    CaseEvent.RECORD_CAUSE,
    CaseEvent.RETURN,
)


class Outcome(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OPEN_OVERDUE = "open_overdue"
    OPEN = "open"
    NONE = "none"


OVERDUE = frozenset({Outcome.LATE, Outcome.OPEN_OVERDUE})


class NoteCode(StrEnum):
    """What the replay had to assume or could not replay, per clock kind."""

    PROVISIONAL = "provisional"
    NO_CAUSE_SIDE = "no_cause_side"
    NO_COMPLEXITY = "no_complexity"
    NO_DISPATCH = "no_dispatch"
    NO_CAUSE_TIME = "no_cause_time"
    NO_EXTRA_DAYS = "no_extra_days"


@dataclass(frozen=True)
class Run:
    """A clock as it ran or would have run."""

    due: dt.datetime
    stopped_at: dt.datetime | None
    paused: bool
    provisional: bool

    def outcome(self, as_of: dt.datetime) -> Outcome:
        if self.stopped_at is not None and self.stopped_at <= as_of:
            return Outcome.ON_TIME if self.stopped_at <= self.due else Outcome.LATE
        if not self.paused and self.due < as_of:
            return Outcome.OPEN_OVERDUE
        return Outcome.OPEN


@dataclass
class Tally:
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    open: int = 0
    provisional: int = 0

    def add(self, run: Run | None, outcome: Outcome) -> None:
        if run is None:
            return
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)
        self.provisional += run.provisional

    @property
    def on_time_rate(self) -> float | None:
        """On time ÷ (on time + late + open and overdue): the clocks whose outcome is known."""
        known = self.on_time + self.late + self.open_overdue
        return round(self.on_time / known, 4) if known else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "on_time": self.on_time,
            "late": self.late,
            "open_overdue": self.open_overdue,
            "overdue": self.late + self.open_overdue,
            "open": self.open,
            "on_time_rate": self.on_time_rate,
            "provisional": self.provisional,
        }


@dataclass(frozen=True)
class Flipped:
    case_id: int
    tracking_no: str
    kind: ClockKind
    actual: Outcome
    replayed: Outcome
    actual_due: dt.datetime | None
    replayed_due: dt.datetime | None


@dataclass(frozen=True)
class Note:
    code: NoteCode
    kind: ClockKind
    cases: int


@dataclass(frozen=True)
class ActualPolicy:
    key: str
    title: str
    cases: int


@dataclass
class WhatIf:
    period: Period
    scope: ReportScope
    target: Policy
    as_of: dt.datetime
    computed_at: dt.datetime
    cases: int = 0
    actual_policies: list[ActualPolicy] = field(default_factory=list)
    actual: dict[ClockKind, Tally] = field(default_factory=dict)
    replayed: dict[ClockKind, Tally] = field(default_factory=dict)
    flipped: list[Flipped] = field(default_factory=list)
    flipped_total: int = 0
    notes: list[Note] = field(default_factory=list)


@dataclass
class Facts:
    """What one case recorded, as far as a replay needs it."""

    case_id: int
    tracking_no: str
    received_at: dt.datetime
    complexity: str
    cause_side: str
    not_admissible: bool
    replied_at: dt.datetime | None
    policy_id: int
    # The first round-1 clock of each kind run under a policy limit.
    clocks: dict[str, Clock] = field(default_factory=dict)
    dispatched_at: dt.datetime | None = None
    cause_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    contacted_at: dt.datetime | None = None
    visited_at: dt.datetime | None = None


def _earliest(*instants: dt.datetime | None) -> dt.datetime | None:
    present = [instant for instant in instants if instant is not None]
    return min(present) if present else None


def _chunks(cases: QuerySet[Case], *, trail: bool) -> Iterator[list[Facts]]:
    rows = cases.order_by().values_list(
        "pk",
        "tracking_no",
        "received_at",
        "complexity",
        "cause_side",
        "not_admissible_reason",
        "replied_at",
        "policy_id",
    )
    found = rows.iterator(chunk_size=CHUNK)
    while chunk := list(islice(found, CHUNK)):
        facts = {
            row[0]: Facts(row[0], row[1], row[2], row[3], row[4], row[5] != "", row[6], row[7])
            for row in chunk
        }
        _read_facts(facts, trail=trail)
        yield list(facts.values())


CLOCK_FIELDS = (
    "case_id",
    "kind",
    "started_at",
    "due",
    "stopped_at",
    "paused_at",
    "extra_workdays",
    "provisional",
)


def _read_facts(facts: dict[int, Facts], *, trail: bool) -> None:
    """The clocks, first contact, first return visit and (with `trail`) audit instants of a
    chunk of cases: one query each, by the indexes that start with the case."""
    ids = list(facts)
    clocks = Clock.objects.filter(case_id__in=ids, round=1, kind__in=KINDS, workdays__isnull=True)
    for clock in clocks.only(*CLOCK_FIELDS).order_by("case_id", "started_at", "id"):
        facts[clock.case_id].clocks.setdefault(clock.kind, clock)
    contacts = ContactRecord.objects.filter(case_id__in=ids).order_by("contacted_at")
    for case_id, contacted_at in contacts.values_list("case_id", "contacted_at"):
        facts[case_id].contacted_at = facts[case_id].contacted_at or contacted_at
    visits = ReturnVisit.objects.filter(case_id__in=ids, round=1).order_by("visited_at")
    for case_id, visited_at in visits.values_list("case_id", "visited_at"):
        facts[case_id].visited_at = facts[case_id].visited_at or visited_at
    if not trail:
        return
    events = AuditEvent.objects.filter(case_id__in=ids, action__in=FACT_EVENTS).order_by("seq")
    for case_id, action, at, payload in events.values_list("case_id", "action", "at", "payload"):
        case = facts[case_id]
        # An accepted case dispatched automatically names its unit in the acceptance.
        dispatched = action == CaseEvent.SCREEN_ACCEPT and "unit" in payload
        if action == CaseEvent.DISPATCH or dispatched:
            case.dispatched_at = case.dispatched_at or at
        elif action == CaseEvent.RECORD_CAUSE:
            case.cause_at = case.cause_at or at
        elif action == CaseEvent.RETURN:
            case.returned_at = case.returned_at or at


def _actual_run(clock: Clock | None) -> Run | None:
    if clock is None:
        return None
    return Run(clock.due, clock.stopped_at, clock.paused_at is not None, clock.provisional)


class Replayer:
    """The clocks one case would have run under the target policy."""

    def __init__(self, target: Policy, calendar: WorkingCalendar) -> None:
        self.target = target
        self.calendar = calendar
        self.notes: Counter[tuple[NoteCode, ClockKind]] = Counter()

    def _run(
        self,
        kind: ClockKind,
        limit: Limit,
        *,
        start: dt.datetime,
        stopped_at: dt.datetime | None,
        paused: bool,
        extra_workdays: int = 0,
    ) -> Run:
        base = reckon_due(self.calendar, limit, start)
        due = reckon_shift(self.calendar, base.value, extra_workdays)
        provisional = base.provisional or due.provisional
        if provisional:
            self.notes[(NoteCode.PROVISIONAL, kind)] += 1
        return Run(due.value, stopped_at, paused, provisional)

    def limit_of(self, kind: ClockKind) -> Limit | None:
        name = POLICY_CLOCKS.get(kind)
        return self.target.clock_limit(name) if name else None

    def replay(self, case: Facts) -> dict[ClockKind, Run | None]:
        reply = case.clocks.get(ClockKind.REPLY)
        return {
            ClockKind.CONTACT: self._contact(case, reply),
            ClockKind.CAUSE_ANALYSIS: self._cause_analysis(case, reply),
            ClockKind.REPLY: self._reply(case, reply),
            ClockKind.NOT_ADMISSIBLE_REPLY: self._not_admissible(case),
            ClockKind.RETURN_VISIT: self._return_visit(case, reply),
        }

    def _reply(self, case: Facts, reply: Clock | None) -> Run | None:
        # An accepted case runs a reply clock under every policy; one resolved on the spot or
        # refused has none.
        if reply is None:
            return None
        rule = self.target.reply
        if rule.by == "cause_side" and not case.cause_side:
            self.notes[(NoteCode.NO_CAUSE_SIDE, ClockKind.REPLY)] += 1
        elif rule.by == "complexity" and not case.complexity:
            self.notes[(NoteCode.NO_COMPLEXITY, ClockKind.REPLY)] += 1
        limit = self.target.reply_limit(complexity=case.complexity, cause_side=case.cause_side)
        return self._run(
            ClockKind.REPLY,
            limit,
            start=case.received_at,
            stopped_at=reply.stopped_at,
            paused=reply.paused_at is not None,
            extra_workdays=reply.extra_workdays,
        )

    def _derived(
        self, kind: ClockKind, case: Facts, reply: Clock | None
    ) -> tuple[Limit, Clock | None] | None:
        limit = self.limit_of(kind)
        if limit is None:
            return None
        own = case.clocks.get(kind)
        if own is None and reply is not None and reply.extra_workdays:
            # Suspensions moved every running clock, extensions only the reply's: a clock the
            # case's own policy did not run gets none of those days.
            self.notes[(NoteCode.NO_EXTRA_DAYS, kind)] += 1
        return limit, own

    def _contact(self, case: Facts, reply: Clock | None) -> Run | None:
        # Only a dispatched case is contacted; dispatch follows acceptance (the reply clock).
        found = self._derived(ClockKind.CONTACT, case, reply) if reply is not None else None
        if found is None or reply is None:
            return None
        limit, own = found
        if own is not None:
            start, stop = own.started_at, own.stopped_at
            paused, extra = own.paused_at is not None, own.extra_workdays
        elif case.dispatched_at is not None:
            # The first contact, a return to the hub or the reply stops it.
            start = case.dispatched_at
            stop = _earliest(case.contacted_at, case.returned_at, reply.stopped_at)
            paused, extra = reply.paused_at is not None, 0
        else:
            if reply.stopped_at is not None or case.returned_at is not None:
                self.notes[(NoteCode.NO_DISPATCH, ClockKind.CONTACT)] += 1
            return None
        return self._run(
            ClockKind.CONTACT,
            limit,
            start=start,
            stopped_at=stop,
            paused=paused,
            extra_workdays=extra,
        )

    def _cause_analysis(self, case: Facts, reply: Clock | None) -> Run | None:
        found = self._derived(ClockKind.CAUSE_ANALYSIS, case, reply) if reply is not None else None
        if found is None or reply is None:
            return None
        limit, own = found
        if own is not None:
            stop, paused, extra = own.stopped_at, own.paused_at is not None, own.extra_workdays
        else:
            if case.cause_side and case.cause_at is None:
                self.notes[(NoteCode.NO_CAUSE_TIME, ClockKind.CAUSE_ANALYSIS)] += 1
            # The reply stops the analysis clock of a case whose cause was never recorded.
            stop = _earliest(case.cause_at, reply.stopped_at)
            paused, extra = reply.paused_at is not None, 0
        return self._run(
            ClockKind.CAUSE_ANALYSIS,
            limit,
            start=case.received_at,
            stopped_at=stop,
            paused=paused,
            extra_workdays=extra,
        )

    def _not_admissible(self, case: Facts) -> Run | None:
        limit = self.limit_of(ClockKind.NOT_ADMISSIBLE_REPLY)
        if limit is None or not case.not_admissible:
            return None
        own = case.clocks.get(ClockKind.NOT_ADMISSIBLE_REPLY)
        # The reasons sent close a refused case: its reply instant stops the clock.
        stop = own.stopped_at if own is not None else case.replied_at
        return self._run(
            ClockKind.NOT_ADMISSIBLE_REPLY,
            limit,
            start=case.received_at,
            stopped_at=stop,
            paused=False,
        )

    def _return_visit(self, case: Facts, reply: Clock | None) -> Run | None:
        limit = self.limit_of(ClockKind.RETURN_VISIT)
        if limit is None:
            return None
        own = case.clocks.get(ClockKind.RETURN_VISIT)
        if own is not None:
            start, stop = own.started_at, own.stopped_at
        elif reply is not None and reply.stopped_at is not None:
            start, stop = reply.stopped_at, case.visited_at
        else:
            return None
        return self._run(ClockKind.RETURN_VISIT, limit, start=start, stopped_at=stop, paused=False)


def replay_period(
    period: Period,
    scope: ReportScope,
    target: Policy,
    *,
    now: dt.datetime,
    calendar: WorkingCalendar,
) -> WhatIf:
    """The period's cases as they ran and as they would have run under `target`."""
    as_of = min(now, period.end_at)
    result = WhatIf(period, scope, target, as_of, now)
    result.actual = {kind: Tally() for kind in KINDS}
    result.replayed = {kind: Tally() for kind in KINDS}
    replayer = Replayer(target, calendar)
    policies: Counter[int] = Counter()
    shared: list[Flipped] = []
    alone: list[Flipped] = []
    # The audit trail only dates what a clock the case's own policy did not run needs.
    trail = any(replayer.limit_of(kind) for kind in (ClockKind.CONTACT, ClockKind.CAUSE_ANALYSIS))
    for chunk in _chunks(cohort(period, scope), trail=trail):
        for case in chunk:
            result.cases += 1
            policies[case.policy_id] += 1
            replayed = replayer.replay(case)
            for kind in KINDS:
                actual_run = _actual_run(case.clocks.get(kind))
                replayed_run = replayed[kind]
                before = actual_run.outcome(as_of) if actual_run else Outcome.NONE
                after = replayed_run.outcome(as_of) if replayed_run else Outcome.NONE
                result.actual[kind].add(actual_run, before)
                result.replayed[kind].add(replayed_run, after)
                if (before in OVERDUE) != (after in OVERDUE):
                    result.flipped_total += 1
                    # A clock both policies run, on time under one and late under the other,
                    # says more than one only a policy runs: listed first.
                    listed = shared if Outcome.NONE not in (before, after) else alone
                    if len(listed) < MAX_FLIPPED:
                        listed.append(
                            Flipped(
                                case.case_id,
                                case.tracking_no,
                                kind,
                                before,
                                after,
                                actual_run.due if actual_run else None,
                                replayed_run.due if replayed_run else None,
                            )
                        )
    result.flipped = (shared + alone)[:MAX_FLIPPED]
    result.actual_policies = [
        ActualPolicy(row.key, stored_policy(row).title, policies[row.pk])
        for row in PolicyVersion.objects.filter(pk__in=list(policies)).order_by("key")
    ]
    result.notes = [
        Note(code, kind, count)
        for (code, kind), count in sorted(
            replayer.notes.items(), key=lambda item: (KINDS.index(item[0][1]), item[0][0])
        )
    ]
    return result
