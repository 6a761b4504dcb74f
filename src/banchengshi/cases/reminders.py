"""Deadline reminders and the office's daily digest (R-SLA-6).

The sweep reads the clocks whose next reminder has come (`Clock.remind_at`, a partial index:
only clocks with a reminder to come are in it), so its cost grows with the reminders due, not
with the cases kept. For each clock it sends the most severe level reached (a clock armed late,
say after an extension, skips the levels it has passed), records it in ReminderSent (once per
clock, level and deadline) and moves `remind_at` on to the next level. Who is told is data
(reminders.toml); when is the case's policy (policy.reminders).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from banchengshi.cases.clocks import case_policy
from banchengshi.cases.models import Clock, ClockKind
from banchengshi.notify.inbox import notify, people_with
from banchengshi.notify.models import DigestSent, NotificationKind, ReminderSent
from banchengshi.org.models import Membership, Role, Unit, UnitKind
from banchengshi.policy.deadlines import SHANGHAI, local_date
from banchengshi.policy.reminders import (
    Reminder,
    ReminderLevel,
    in_working_hours,
    next_working_start,
    reminders_of,
)
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar
from banchengshi.workdays.registry import current_calendar

RULES_FILE = Path(__file__).resolve().parent / "reminders.toml"
BATCH = 200
# A before-yellow reminder reached outside working hours is kept for the next working hours,
# unless its instant passed less than this long ago (a sweep that ran a little late).
LATE_DELIVERY = dt.timedelta(hours=1)
# The digest names the most overdue cases up to this many, and counts up to DIGEST_CAP.
DIGEST_NAMED = 5
DIGEST_CAP = 10_000

KIND_OF_LEVEL = {
    ReminderLevel.BEFORE_YELLOW: NotificationKind.REMINDER_BEFORE_YELLOW,
    ReminderLevel.YELLOW: NotificationKind.REMINDER_YELLOW,
    ReminderLevel.RED: NotificationKind.REMINDER_RED,
}


# --- who is told: reminders.toml ---------------------------------------------------------------


class UnitSource(StrEnum):
    HANDLING = "handling"
    TASK = "task"
    REGISTERED = "registered"
    HUB = "hub"


@dataclass(frozen=True)
class Audience:
    at_unit: tuple[Role, ...] = ()
    at_hub: tuple[Role, ...] = ()
    anywhere: tuple[Role, ...] = ()


@dataclass(frozen=True)
class ReminderRules:
    units: dict[ClockKind, UnitSource]
    levels: dict[ReminderLevel, Audience]

    @property
    def unit_roles(self) -> set[Role]:
        return {role for a in self.levels.values() for role in (*a.at_unit, *a.at_hub)}


def _roles(raw: Any, where: str) -> tuple[Role, ...]:
    if not isinstance(raw, list) or not all(value in Role.values for value in raw):
        raise ValueError(f"{where}: a list of roles among {', '.join(Role.values)}")
    return tuple(Role(value) for value in raw)


def parse_rules(text: str, origin: str) -> ReminderRules:
    raw = tomllib.loads(text)
    raw_units, raw_levels = raw.get("units", {}), raw.get("levels", {})
    if set(raw_units) != set(ClockKind.values):
        raise ValueError(f"{origin}: [units] must name every clock: {', '.join(ClockKind.values)}")
    units = {}
    for kind, source in raw_units.items():
        if source not in UnitSource.__members__.values():
            raise ValueError(f"{origin}: [units] {kind} = {source!r} is not a unit source")
        units[ClockKind(kind)] = UnitSource(source)
    if set(raw_levels) != set(ReminderLevel):
        raise ValueError(f"{origin}: [levels] must name {', '.join(ReminderLevel)}")
    levels = {}
    for level, spec in raw_levels.items():
        where = f"{origin}: [levels.{level}]"
        if not isinstance(spec, dict) or set(spec) - {"at_unit", "at_hub", "anywhere"}:
            raise ValueError(f"{where}: only at_unit, at_hub and anywhere")
        levels[ReminderLevel(level)] = Audience(
            **{key: _roles(value, f"{where} {key}") for key, value in spec.items()}
        )
    return ReminderRules(units, levels)


RULES = parse_rules(RULES_FILE.read_text(encoding="utf-8"), RULES_FILE.name)


class _Recipients:
    """Who hears of each reminder of one batch, from one query of the memberships at the
    batch's units and the units above them (and one, per sweep, of the `anywhere` roles)."""

    def __init__(self, rules: ReminderRules, hub_id: int | None) -> None:
        self.rules = rules
        self.hub_id = hub_id
        self._anywhere: dict[tuple[Role, ...], list[int]] = {}
        self._held: dict[tuple[int, str], set[int]] = {}
        self._chains: dict[int, list[int]] = {}

    def load(self, unit_ids: Iterable[int]) -> None:
        wanted = {*unit_ids, *([self.hub_id] if self.hub_id else [])} - set(self._chains)
        if not wanted:
            return
        for pk, path in Unit.objects.filter(pk__in=wanted).values_list("pk", "path"):
            # "/1/4/9/" → 9, 4, 1: the unit, then the units above it, nearest first.
            self._chains[pk] = [int(part) for part in reversed(path.strip("/").split("/"))]
        every = {unit for chain in self._chains.values() for unit in chain}
        memberships = Membership.objects.filter(
            unit_id__in=every, role__in=self.rules.unit_roles, user__is_active=True
        )
        self._held = {}
        for unit_id, role, user_id in memberships.values_list("unit_id", "role", "user_id"):
            self._held.setdefault((unit_id, role), set()).add(user_id)

    def _at_unit(self, unit_id: int, roles: tuple[Role, ...]) -> set[int]:
        for unit in self._chains.get(unit_id, [unit_id]):
            found = {user for role in roles for user in self._held.get((unit, role), ())}
            if found:
                return found
        return set()

    def of(self, level: ReminderLevel, unit_id: int | None) -> list[int]:
        audience = self.rules.levels[level]
        people: set[int] = set()
        if unit_id is not None and audience.at_unit:
            people |= self._at_unit(unit_id, audience.at_unit)
            if not people and level is ReminderLevel.YELLOW:
                fallback = self.rules.levels[ReminderLevel.BEFORE_YELLOW].at_unit
                people |= self._at_unit(unit_id, fallback)
        if self.hub_id is not None and audience.at_hub:
            people |= {
                u for role in audience.at_hub for u in self._held.get((self.hub_id, role), ())
            }
        if audience.anywhere:
            if audience.anywhere not in self._anywhere:
                self._anywhere[audience.anywhere] = people_with(audience.anywhere)
            people |= set(self._anywhere[audience.anywhere])
        return sorted(people)

    def unit_of(self, clock: Clock) -> int | None:
        source = self.rules.units[ClockKind(clock.kind)]
        case = clock.case
        if source is UnitSource.TASK and clock.task is not None:
            return clock.task.unit_id
        if source is UnitSource.REGISTERED:
            return case.registered_unit_id
        if source is UnitSource.HANDLING:
            return case.handling_unit_id or case.owner_unit_id or self.hub_id
        return self.hub_id


# --- the sweep ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What the sweep does with one clock: the level to send now (None: nothing) and the
    reminder to wait for next (None: no more for this deadline)."""

    send: Reminder | None
    next: Reminder | None


def step(levels: list[Reminder], now: dt.datetime, in_hours: bool, later: dt.datetime) -> Step:
    """The most severe level reached at `now` is sent; a before-yellow one reached outside
    working hours (`in_hours` False) waits for `later`, the next working hours' start."""
    reached = [reminder for reminder in levels if reminder.at <= now]
    coming = [reminder for reminder in levels if reminder.at > now]
    following = coming[0] if coming else None
    if not reached:
        return Step(None, following)
    top = reached[-1]
    if top.level is ReminderLevel.BEFORE_YELLOW and not in_hours and now - top.at > LATE_DELIVERY:
        deferred = Reminder(ReminderLevel.BEFORE_YELLOW, later)
        return Step(None, deferred if following is None or later < following.at else following)
    return Step(top, following)


@dataclass
class SweepResult:
    clocks: int = 0
    sent: dict[str, int] = field(default_factory=dict)
    notices: int = 0

    def count(self, level: ReminderLevel, notices: int) -> None:
        self.sent[level.value] = self.sent.get(level.value, 0) + 1
        self.notices += notices


def _plan(clock: Clock, now: dt.datetime, calendar: WorkingCalendar) -> Step:
    policy = case_policy(clock.case)
    levels = reminders_of(clock.due, policy, calendar)
    times = policy.reminders
    return step(
        levels,
        now,
        in_working_hours(now, times, calendar),
        next_working_start(now, times, calendar),
    )


def _params(clock: Clock, level: ReminderLevel) -> dict[str, Any]:
    return {
        "tracking_no": clock.case.tracking_no,
        "clock": clock.kind,
        "level": level.value,
        "round": clock.round,
        "due": clock.due.astimezone(SHANGHAI).isoformat(),
    }


def _hub_id() -> int | None:
    hubs = Unit.objects.filter(kind=UnitKind.HUB, is_active=True).order_by("id")
    return hubs.values_list("pk", flat=True).first()


def sweep(now: dt.datetime, *, batch: int = BATCH) -> SweepResult:
    """Send every reminder due at `now` (the job's slot) and arm each clock's next one.

    Safe to run again and beside the case actions: a clock is claimed by updating it only
    while its reminder and deadline are still the ones read (an action that moved it since has
    re-armed it, and its new reminder stands), and ReminderSent keeps each level once per
    deadline."""
    result = SweepResult()
    calendar = current_calendar()
    recipients = _Recipients(RULES, _hub_id())
    while True:
        clocks = list(
            Clock.objects.filter(remind_at__lte=now)
            .select_related("case__policy", "task")
            .order_by("remind_at", "id")[:batch]
        )
        if not clocks:
            return result
        recipients.load(
            unit for unit in (recipients.unit_of(clock) for clock in clocks) if unit is not None
        )
        sent = set(
            ReminderSent.objects.filter(clock_id__in=[clock.pk for clock in clocks]).values_list(
                "clock_id", "level", "due"
            )
        )
        for clock in clocks:
            result.clocks += 1
            _remind(clock, now, calendar, recipients, sent, result)
        if len(clocks) < batch:
            return result


def _remind(
    clock: Clock,
    now: dt.datetime,
    calendar: WorkingCalendar,
    recipients: _Recipients,
    sent: set[tuple[int, str, dt.datetime]],
    result: SweepResult,
) -> None:
    try:
        plan = _plan(clock, now, calendar)
    except UnknownYearError:
        plan = Step(None, None)
    next_at, next_level = (plan.next.at, plan.next.level.value) if plan.next else (None, "")
    try:
        with transaction.atomic():
            claimed = Clock.objects.filter(
                pk=clock.pk,
                remind_at=clock.remind_at,
                due=clock.due,
                stopped_at__isnull=True,
                paused_at__isnull=True,
            ).update(remind_at=next_at, remind_level=next_level)
            if not claimed or plan.send is None:
                return
            level = plan.send.level
            if (clock.pk, level.value, clock.due) in sent:
                return
            people = recipients.of(level, recipients.unit_of(clock))
            ReminderSent.objects.create(
                clock=clock, level=level.value, due=clock.due, sent_at=now, recipients=len(people)
            )
            if people:
                notify(
                    user_ids=people,
                    kind=KIND_OF_LEVEL[level],
                    case_id=clock.case_id,
                    params=_params(clock, level),
                )
            result.count(level, len(people))
    except IntegrityError:
        # Another sweep sent this level for this deadline meanwhile: nothing more to do.
        return


# --- the daily digest --------------------------------------------------------------------------


def overdue_clocks() -> Q:
    """Running clocks (not stopped, not paused): the partial index `clock_running_due`."""
    return Q(stopped_at__isnull=True, paused_at__isnull=True)


@dataclass(frozen=True)
class Digest:
    day: dt.date
    overdue: int
    tracking_numbers: list[str]
    recipients: int


def send_digest(now: dt.datetime) -> Digest | None:
    """One notice to each office administrator with the number of overdue cases and the most
    overdue ones' tracking numbers, once per working day (None: not a working day, nothing
    overdue, or already sent today)."""
    day = local_date(now)
    try:
        if not current_calendar().is_workday(day):
            return None
    except UnknownYearError:
        if day.weekday() >= 5:
            return None
    rows = list(
        Clock.objects.filter(overdue_clocks(), due__lt=now)
        .order_by("due", "id")
        .values_list("case_id", "case__tracking_no")[:DIGEST_CAP]
    )
    numbers: dict[int, str] = {}
    for case_id, tracking_no in rows:
        numbers.setdefault(case_id, tracking_no)
    if not numbers:
        return None
    named = list(numbers.values())[:DIGEST_NAMED]
    admins = people_with([Role.OFFICE_ADMIN])
    with transaction.atomic():
        _, created = DigestSent.objects.get_or_create(
            day=day,
            defaults={"sent_at": now, "overdue": len(numbers), "recipients": len(admins)},
        )
        if not created:
            return None
        params = {
            "day": day.isoformat(),
            "count": len(numbers),
            "capped": len(rows) >= DIGEST_CAP,
            "tracking_numbers": named,
        }
        notify(user_ids=admins, kind=NotificationKind.OVERDUE_DIGEST, params=params)
    return Digest(day, len(numbers), named, len(admins))
