"""The demo district's door-to-door service (R-NB-3): the service list from door_services.toml
(validated here) and, for each street with neighbourhood staff, one request at every stage of
the workflow, taken through the real actions under a frozen clock (demo.replay.frozen_clock)
so that their history, audit events and deadlines are the engine's. Deterministic: the people
and times follow from the street and `now`. The review's SMS to invented numbers is taken
back out of the outbox, as the showcase's are."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from banchengshi.cases.special_groups import SpecialGroupInput
from banchengshi.catalog.models import Matter
from banchengshi.demo.district import DOOR_TO_DOOR_STREETS, District
from banchengshi.demo.replay import frozen_clock
from banchengshi.neighborhood.assistance import actions
from banchengshi.neighborhood.assistance.models import (
    Difficulty,
    ServiceItem,
    Stage,
)
from banchengshi.notify.models import OutboxMessage
from banchengshi.policy.deadlines import SHANGHAI

SERVICES_FILE = Path(__file__).resolve().parent / "door_services.toml"
# The stages a demo request is taken to, in the workflow's order.
STAGES = (
    Stage.REGISTERED,
    Stage.INELIGIBLE,
    Stage.ELIGIBLE,
    Stage.SCHEDULED,
    Stage.VISITED,
    Stage.EVALUATED,
    Stage.DONE,
)
PEOPLE = (
    ("周桂英", "13916270001", "elderly"),
    ("陈国强", "13916270002", "disabled"),
    ("吴秀兰", "13916270003", "limited_mobility"),
    ("郑志明", "021-62540004", "elderly"),
    ("孙玉珍", "13916270005", "limited_mobility"),
    ("钱建华", "13916270006", "disabled"),
    ("冯淑芬", "13916270007", "elderly"),
)


@dataclass(frozen=True)
class ServiceSpec:
    street: str | None
    code: str
    difficulty: Difficulty


def parse_services(text: str, origin: str) -> list[ServiceSpec]:
    raw = tomllib.loads(text)
    if set(raw) - {"district", "streets"}:
        raise ValueError(f"{origin}: only [district] and [streets.X]")
    specs = []
    lists = [(None, raw.get("district", {})), *raw.get("streets", {}).items()]
    for street, items in lists:
        if street is not None and street not in DOOR_TO_DOOR_STREETS:
            raise ValueError(f"{origin}: [streets.{street}] is no street with neighbourhood staff")
        for code, difficulty in items.items():
            if difficulty not in Difficulty.values:
                raise ValueError(
                    f"{origin}: {code} = {difficulty!r} is not one of {Difficulty.values}"
                )
            specs.append(ServiceSpec(street, code, Difficulty(difficulty)))
    return specs


def ensure_assistance(district: District, now: dt.datetime) -> int:
    """The list and the requests, unless the district has a service list already; returns
    how many requests were made."""
    if ServiceItem.objects.exists():
        return 0
    specs = parse_services(SERVICES_FILE.read_text(encoding="utf-8"), SERVICES_FILE.name)
    matters = {m.code: m for m in Matter.objects.filter(code__in=[s.code for s in specs])}
    missing = sorted({s.code for s in specs} - set(matters))
    if missing:
        raise ValueError(f"{SERVICES_FILE.name}: no such matter {', '.join(missing)}")
    made = 0
    first_outbox = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic():
        items: dict[str | None, list[ServiceItem]] = {}
        for spec in specs:
            unit = district.units[f"SQ-{spec.street}"] if spec.street else None
            item = ServiceItem.objects.create(
                matter=matters[spec.code], street=unit, difficulty=spec.difficulty
            )
            items.setdefault(spec.street, []).append(item)
        for index, key in enumerate(DOOR_TO_DOOR_STREETS):
            offered = items.get(None, []) + items.get(key, [])
            for step, stage in enumerate(STAGES):
                service = offered[(index + step) % len(offered)]
                _request(district, key, stage, service, now, index * len(STAGES) + step)
                made += 1
        OutboxMessage.objects.filter(id__gt=first_outbox, template="assistance_review").delete()
    return made


def _request(
    district: District,
    street: str,
    stage: Stage,
    service: ServiceItem,
    now: dt.datetime,
    number: int,
) -> None:
    """One request taken to `stage`: registered 8 to 14 days ago (the further
    along, the later), each step a day or two after the one before, all before `now`."""
    staff = district.users[f"nb_{street.lower()}"]
    name, phone, group = PEOPLE[number % len(PEOPLE)]
    today = now.astimezone(SHANGHAI).date()
    start = dt.datetime.combine(
        today - dt.timedelta(days=14 - STAGES.index(stage)), dt.time(9, 30), tzinfo=SHANGHAI
    )

    def at(days: int, hour: int = 10) -> dt.datetime:
        return (start + dt.timedelta(days=days)).replace(hour=hour)

    unit = district.units[f"SQ-{street}"]
    street_name = unit.name.removesuffix("社区事务受理服务中心")
    with frozen_clock(at(0)):
        request = actions.check_register_request(
            staff,
            actions.NewRequest(
                street_id=unit.pk,
                channel=("staff", "hotline", "neighborhood", "self")[number % 4],
                person_name=name,
                phone=phone,
                address=f"{street_name}{number % 9 + 1}号楼{number % 6 + 1}01室",
                service_id=service.pk,
                need="行动不便，无法到窗口办理，需工作人员上门协助。",
                groups=SpecialGroupInput((group,), name, "oral"),
            ),
        )
    if stage is Stage.REGISTERED:
        return
    eligible = stage is not Stage.INELIGIBLE
    with frozen_clock(at(1)):
        note = (
            "经核实，本人行动不便，事项可上门办理。"
            if eligible
            else "经核实，该事项须本人到场面签，已告知预约窗口绿色通道。"
        )
        actions.check_review(staff, request.pk, eligible=eligible, note=note)
    if stage in (Stage.INELIGIBLE, Stage.ELIGIBLE):
        return
    appointment = at(3, 14) if stage is not Stage.SCHEDULED else now + dt.timedelta(days=2)
    with frozen_clock(at(2)):
        actions.check_schedule(
            staff,
            request.pk,
            appointment=appointment,
            staff_id=staff.pk,
            materials=["身份证", "户口簿", "一寸照片"],
        )
    if stage is Stage.SCHEDULED:
        return
    with frozen_clock(at(3, 15)):
        actions.check_record_visit(
            staff,
            request.pk,
            note="已上门核验身份并代为提交申请，材料齐全。",
            collected=["身份证", "户口簿"],
        )
    if stage is Stage.VISITED:
        return
    with frozen_clock(at(4)):
        actions.check_evaluate(staff, request.pk, satisfaction=5 - number % 2)
    if stage is Stage.EVALUATED:
        return
    with frozen_clock(at(6)):
        actions.check_record_approval(
            staff,
            request.pk,
            status="approved",
            decided_on=at(5).date(),
            note="审批通过，已电话告知本人。",
        )
