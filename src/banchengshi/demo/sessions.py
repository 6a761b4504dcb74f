"""The demo district's remote virtual window (R-NB-2, seed 003): a service point row for each
demo service-point unit, and a few weeks of sessions at them logged through the real actions
under a frozen clock, with materials in every state of their circulation and two failed
sessions turned into cases. Deterministic for a seed and a day; run again, it adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from banchengshi.catalog.models import Matter
from banchengshi.demo.district import SERVICE_POINTS, District, MatterInfo
from banchengshi.demo.people import contact_phone, id_number, person_name
from banchengshi.demo.replay import frozen_clock
from banchengshi.neighborhood.models import PointKind, PointStatus, ServicePoint
from banchengshi.neighborhood.sessions.actions import (
    MaterialInput,
    SessionInput,
    check_log_session,
    do_advance_materials,
    do_register_failed_session,
)
from banchengshi.neighborhood.sessions.models import Circulation, Outcome, RemoteSession
from banchengshi.workdays.calendar import SHANGHAI

SESSIONS_PER_POINT = 8
# The failed sessions that become cases (the others stay failed, their button still offered).
SESSION_CASES = 2
# What the circulation of each session is brought to, in turn: every state is on screen.
TARGETS = (
    Circulation.RETURNED,
    Circulation.RECEIVED,
    Circulation.SENT,
    Circulation.SCANNED,
    Circulation.LISTED,
    Circulation.NONE,
)
OUTCOMES = (Outcome.DONE, Outcome.ACCEPTED, Outcome.REFERRED, Outcome.ACCEPTED, Outcome.FAILED)
MATERIALS = ("居民身份证", "户口簿", "申请表", "近期免冠照片", "居住证明", "医疗费用发票")
FAILURES = (
    "视频连线时受理中心系统无法调取社保信息，当场未能办理。",
    "高拍仪扫描件不清晰，中心要求补交原件，申请人无法再次前来。",
    "远程窗口签名板故障，无法完成电子签名。",
)
# The steps of the circulation after listing, each some time after the previous one.
STEP_DELAYS = (
    (Circulation.SCANNED, dt.timedelta(minutes=10)),
    (Circulation.SENT, dt.timedelta(hours=2)),
    (Circulation.RECEIVED, dt.timedelta(days=1)),
    (Circulation.RETURNED, dt.timedelta(days=2)),
)


@dataclass(frozen=True)
class SessionsResult:
    sessions: int
    cases: int


def ensure_points(district: District) -> list[ServicePoint]:
    """A ServicePoint for each demo service-point unit (open, connected to its street's
    center), created when missing."""
    points = []
    for _street, key, name in SERVICE_POINTS:
        unit = district.units[key]
        assert unit.parent is not None
        point, _created = ServicePoint.objects.get_or_create(
            unit=unit,
            defaults={
                "kind": PointKind.RESIDENTS_COMMITTEE,
                "center": unit.parent,
                "address": f"上海市普陀区{name.removesuffix('服务点').removesuffix('服务站')}",
                "opening_hours": "周一至周五 9:00-17:00",
                "status": PointStatus.OPEN,
            },
        )
        points.append(point)
    return points


def ensure_sessions(district: District, *, seed: int) -> SessionsResult:
    points = ensure_points(district)
    if RemoteSession.objects.filter(point__in=points).exists():
        return SessionsResult(0, 0)
    rng = random.Random(f"demo-sessions-{seed}")
    today = timezone.localdate()
    now = timezone.now()
    made = cases = 0
    failed_seen = 0
    for n in range(SESSIONS_PER_POINT * len(points)):
        point = points[n % len(points)]
        point_staff = _person(district, f"point_{point.unit.code.split('-')[-1].lower()}")
        center_staff = _person(district, f"remote_{point.center.code.split('-')[-1].lower()}")
        day = today - dt.timedelta(days=24 - n * 24 // (SESSIONS_PER_POINT * len(points)))
        started = dt.datetime.combine(day, dt.time(9 + n % 7, rng.choice((0, 15, 30))), SHANGHAI)
        ended = started + dt.timedelta(minutes=rng.randint(12, 40))
        outcome = OUTCOMES[n % len(OUTCOMES)]
        target = TARGETS[n % len(TARGETS)]
        if ended + dt.timedelta(minutes=5) > now:
            continue
        with frozen_clock(ended + dt.timedelta(minutes=5)):
            session = check_log_session(
                point_staff,
                _input(rng, district, point, center_staff, started, ended, outcome, target),
            )
        made += 1
        at = ended + dt.timedelta(minutes=5)
        for step, delay in STEP_DELAYS:
            at += delay
            if (
                target == Circulation.NONE
                or at > now
                or TARGETS.index(step) < TARGETS.index(target)
            ):
                break
            actor = center_staff if step == Circulation.RECEIVED else point_staff
            with frozen_clock(at):
                do_advance_materials(actor, session.pk, step=step)
        if outcome == Outcome.FAILED:
            failed_seen += 1
            if failed_seen <= SESSION_CASES:
                with frozen_clock(ended + dt.timedelta(minutes=30)):
                    do_register_failed_session(center_staff, session.pk)
                cases += 1
    return SessionsResult(made, cases)


def _remote_matters(district: District) -> list[MatterInfo]:
    ids = set(Matter.objects.filter(remote=True, is_active=True).values_list("id", flat=True))
    return [matter for matter in district.matters if matter.id in ids]


def _person(district: District, username: str) -> User:
    return district.users[username]


def _input(
    rng: random.Random,
    district: District,
    point: ServicePoint,
    center_staff: User,
    started: dt.datetime,
    ended: dt.datetime,
    outcome: Outcome,
    target: Circulation,
) -> SessionInput:
    remote = _remote_matters(district)
    matter = rng.choice([m for m in remote if point.center_id in m.center_ids] or remote)
    surname, given = person_name(rng)
    materials: tuple[MaterialInput, ...] = ()
    if target != Circulation.NONE:
        names = rng.sample(MATERIALS, rng.randint(1, 3))
        # Only a session that took an original in can have it returned.
        materials = tuple(
            MaterialInput(name, rng.randint(1, 2), i == 0 and target == Circulation.RETURNED)
            for i, name in enumerate(names)
        )
    return SessionInput(
        point_id=point.pk,
        started_at=started,
        ended_at=ended,
        center_staff_id=center_staff.pk,
        matter_id=matter.id,
        petitioner_name=surname + given,
        phone=contact_phone(rng),
        id_number=id_number(rng),
        outcome=outcome,
        outcome_note=rng.choice(FAILURES) if outcome == Outcome.FAILED else "",
        materials=materials,
    )
