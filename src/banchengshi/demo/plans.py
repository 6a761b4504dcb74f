"""What the demo cases are: when they are received, through which channel, about which matter,
from whom, and what will happen to them (a `Plan`), all drawn from one seeded random stream.

Receipt instants are spread over the 365 days before now (more on working days, a slow rise
through the year, online channels only on days off). A natural plan says what happens to the
case (resolved on the spot, not admissible, returned, passed down, co-handled, extended,
suspended, unhappy and supervised …) and, for a few cases of every age, at which step it
stalls (a backlog). The showcase plans make every state and variant exist even in a small
demo. `journey.drive` then takes a case through its plan with either driver.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from banchengshi.cases.actions.common import actor_label
from banchengshi.cases.models import Channel, PetitionerType, State
from banchengshi.cases.special_groups import ConsentMethod, SpecialGroup, SpecialGroupInput
from banchengshi.demo import people, texts
from banchengshi.demo.bulk import Row
from banchengshi.demo.catalogue import UNLISTED
from banchengshi.demo.district import District, MatterInfo
from banchengshi.demo.officetime import OfficeTime, weighted
from banchengshi.org.models import UnitKind
from banchengshi.policy.deadlines import (
    SHANGHAI,
    local_date,
)
from banchengshi.policy.rules import Policy
from banchengshi.workdays.calendar import WorkingCalendar

DEFAULT_SEED = 20230523
DAYS = 365

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


@dataclass
class Draft:
    """A case about to be registered: its row as the registration makes it (the lifecycle's
    fields at the model's defaults), and what the generator knows of its matter."""

    case: Row
    matter: MatterInfo | None
    fallback_unit: int  # where the hub sends it when no place handles the matter


@dataclass
class Plan:
    """What will happen to one case (drawn before it is driven, journey.drive)."""

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


class Generator(OfficeTime):
    """Draws the plans and the registration rows of the demo cases; the office's time and the
    random stream come from OfficeTime."""

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
        super().__init__(seed=seed, now=now, calendar=calendar)
        self.d = district
        self.policy = policy
        self.policy_id = policy_id
        self.hub_id = district.hub.pk
        self._labels: dict[int, str] = {}
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
        self.channels = {True: weighted(WORKDAY_CHANNELS), False: weighted(DAY_OFF_CHANNELS)}
        self.categories = weighted(CATEGORIES)
        self.complexities = weighted(COMPLEXITIES)
        self.causes = weighted(CAUSE_WEIGHTS)
        self.stalls = weighted(STALL_POINTS)
        self.community = district.community_centers
        self.community_ids = {unit.pk for unit in self.community}

    # helpers: people, units

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

    def natural_plan(self, received_at: dt.datetime, channel: str) -> Plan:
        rng = self.rng
        plan = Plan(received_at, channel)
        window = channel == Channel.WINDOW
        plan.on_spot = window and rng.random() < 0.18
        plan.not_admissible = not plan.on_spot and rng.random() < 0.04
        rest = not plan.on_spot and not plan.not_admissible
        plan.returned = rest and rng.random() < 0.04
        plan.dispatch_down = rng.random() < 0.4
        plan.cohandling = rng.random() < 0.10
        plan.suspension = rng.random() < 0.05
        plan.unit_visit = rng.random() < 0.2
        plan.extension = rng.random() < 0.35  # only complex and special cases ask (journey)
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

    def showcase_plans(self) -> list[Plan]:
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
            plan = Plan(received, channel, stall=stall, forced=True)
            for name, value in options.items():
                if name != "channel":
                    setattr(plan, name, value)
            plans.append(plan)
        return plans

    # building a case

    def _matter(self, plan: Plan) -> MatterInfo | None:
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

    def new_case(self, plan: Plan) -> Draft:
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
        source = EXTERNAL_SOURCES.get(plan.channel, "")
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
            external_source=source,
            # The other system's own record number: drawn, not taken from the tracking
            # number, so that it is known before the case is registered (either driver).
            external_id=f"{local_date(received):%Y%m%d}{rng.randrange(10**12):012d}"
            if source
            else "",
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
            **fast_channel(name, plan.channel, enterprise=enterprise, received=received),
        )
        return Draft(case, matter, fallback.pk if fallback else self.d.hall.pk)

    def auto_target(self, case: Row, matter: MatterInfo | None) -> int | None:
        """actions.auto_dispatch_target from what the generator knows, for the simulation;
        the replay leaves the choice to the engine, and tests/demo/test_replay.py compares."""
        if matter is not None and matter.owner_id:
            return matter.owner_id
        if case.department_id:
            return case.department_id
        if case.failed_at_unit_id:
            return case.failed_at_unit_id
        if matter is not None and len(matter.center_ids) == 1:
            return matter.center_ids[0]
        return None

    def manual_target(self, draft: Draft, avoid: int | None) -> int:
        """Where the hub sends a case: a place handling the matter or its department; for
        a matter outside the district's tree (police, health …) or not in the catalogue, the
        unit that deals with such requests (usually the district hall, where those windows
        sit); never back to the unit that returned it."""
        matter = draft.matter
        options = [u for u in (matter.center_ids if matter else ()) if u != avoid]
        if matter and matter.owner_id and matter.owner_id != avoid:
            options.append(matter.owner_id)
        if not options:
            fallback = [draft.fallback_unit, self.d.hall.pk, *(u.pk for u in self.d.departments)]
            options = [next(u for u in fallback if u != avoid)]
        return int(self.rng.choice(options))


SOLE_TRADER_MATTERS = frozenset({"SH-MSB-004", "SH-MSB-005", "SH-MSB-006", "SH-MSB-010"})


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


# About one person in eight who come to a window or call the hotline is elderly, disabled or
# limited in mobility and agrees to the fast channel (seed 004 绿色通道).
FAST_CHANNELS = (Channel.WINDOW, Channel.HOTLINE_12345)
FAST_SHARE = 8


def fast_channel(
    name: str, channel: str, *, enterprise: bool, received: dt.datetime
) -> dict[str, Any]:
    """A case's special groups and consent, from the person's name rather than the random
    stream, so that every other case of a seed stays what it was. `special` is what the
    replay registers through the engine; the rest are the Case's columns."""
    mark = zlib.crc32(name.encode())
    groups: tuple[str, ...] = ()
    if channel in FAST_CHANNELS and not enterprise and mark % FAST_SHARE == 0:
        first = list(SpecialGroup)[(mark >> 3) % len(SpecialGroup)]
        groups = (first.value,)
        if first is not SpecialGroup.ELDERLY and (mark >> 5) % 2:
            groups = (SpecialGroup.ELDERLY.value, first.value)
    method = ConsentMethod.ORAL.value if channel == Channel.WINDOW else ConsentMethod.PHONE.value
    special = SpecialGroupInput(groups, name, method) if groups else SpecialGroupInput()
    return {
        "special": special,
        **{group.value: group.value in groups for group in SpecialGroup},
        "fast_channel": bool(groups),
        "consent_by": special.consent_by,
        "consent_method": special.consent_method,
        "consent_at": received if groups else None,
    }
