"""Fixtures for the case engine: a small organisation, a frozen clock, and a case builder.

The organisation (R-ORG-1):

    office (区政务服务办)        officeadmin (office_admin), sysadmin (sysadmin)
    hub (区行政服务中心)          dispatcher (dispatcher)
    department A                handlerA (unit_handler), leaderA (unit_leader)
      └─ center A1              handlerA1 (unit_handler)
    department B                handlerB (unit_handler)
    hall center H               clerk (window_clerk), windowhead (window_head)
    inspectorate (区纪委监委)     inspector (inspector)

Matters: `matter_a` is owned by department A; `matter_h` has no owner and is handled only at H.

Time is frozen (`frozen_time`): `django.utils.timezone.now` is replaced for the test, so every
deadline below can be stated as a literal date counted by hand on the State Council schedule
(/work/shared/reference/statutory-schedules.md), whatever day the suite runs on. The default
instant is Friday 2026-11-20 10:00 in Asia/Shanghai.

tests/audit and tests/pg import these fixtures from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from banchengshi.cases.actions.answer import check_reply_case, check_return_visit, do_close_case
from banchengshi.cases.actions.dispatch import check_screen_case, do_receive_case
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.clocks import forget_policy_versions
from banchengshi.cases.models import Case, Satisfaction
from banchengshi.cases.registration import Registration
from banchengshi.catalog.models import Matter
from banchengshi.org.actions import do_create_unit, do_grant_role
from banchengshi.org.models import Role, Unit, UnitKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"
ID_NUMBER = "310107199003072012"  # a valid example of /work/shared/reference/identifiers.md
CREDIT_CODE = "91310107MA1G00000Q"  # idem


def sh(
    year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0
) -> dt.datetime:
    """An instant in Asia/Shanghai."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def end_of(year: int, month: int, day: int) -> dt.datetime:
    """The last instant of a day in Asia/Shanghai: what a deadline on that day is."""
    return dt.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=SHANGHAI)


NOW = sh(2026, 11, 20)  # Friday


class FrozenTime:
    """Stands in for django.utils.timezone.now; move it with set() and advance()."""

    def __init__(self, instant: dt.datetime) -> None:
        self.instant = instant

    def __call__(self) -> dt.datetime:
        return self.instant.astimezone(dt.UTC)

    def set(self, instant: dt.datetime) -> None:
        self.instant = instant

    def advance(self, **delta: float) -> None:
        self.instant = self.instant + dt.timedelta(**delta)


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> FrozenTime:
    frozen = FrozenTime(NOW)
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture(autouse=True)
def _forget_policy_versions() -> Iterator[None]:
    """cases.clocks caches PolicyVersion ids per process; a test's rows die with its transaction."""
    forget_policy_versions()
    yield
    forget_policy_versions()


@pytest.fixture
def use_policy(settings: Any) -> Any:
    """`use_policy("chongming")`: the policy in force for the cases registered from now on."""

    def switch(name: str) -> None:
        settings.BANCHENGSHI_POLICY = name
        forget_policy_versions()

    return switch


@dataclass
class Org:
    office: Unit
    hub: Unit
    dept_a: Unit
    center_a1: Unit
    dept_b: Unit
    hall: Unit
    inspectorate: Unit
    clerk: User
    windowhead: User
    handler_a: User
    leader_a: User
    handler_a1: User
    handler_b: User
    dispatcher: User
    officeadmin: User
    inspector: User
    sysadmin: User
    matter_a: Matter
    matter_h: Matter

    def user(self, name: str) -> User:
        user: User = getattr(self, name)
        return user


USER_NAMES = (
    "clerk",
    "windowhead",
    "handler_a",
    "leader_a",
    "handler_a1",
    "handler_b",
    "dispatcher",
    "officeadmin",
    "inspector",
    "sysadmin",
)


def build_org() -> Org:
    office = do_create_unit("OFFICE", "区政务服务办", UnitKind.OFFICE)
    hub = do_create_unit("HUB", "区行政服务中心", UnitKind.HUB)
    dept_a = do_create_unit("DEPT-A", "区市场监管局", UnitKind.DEPARTMENT)
    center_a1 = do_create_unit("CTR-A1", "市场监管所", UnitKind.CENTER, parent=dept_a)
    dept_b = do_create_unit("DEPT-B", "区人社局", UnitKind.DEPARTMENT)
    hall = do_create_unit("HALL", "区政务服务中心大厅", UnitKind.CENTER)
    inspectorate = do_create_unit("INSP", "区纪委监委", UnitKind.INSPECTORATE)

    def person(username: str, unit: Unit, role: Role) -> User:
        user = User.objects.create_user(username, first_name=username)
        do_grant_role(user, unit, role)
        return user

    matter_a = Matter.objects.create(code="M-A", name="营业执照变更登记", owning_department=dept_a)
    matter_h = Matter.objects.create(code="M-H", name="社保卡补办")
    matter_h.handling_centers.add(hall)
    return Org(
        office=office,
        hub=hub,
        dept_a=dept_a,
        center_a1=center_a1,
        dept_b=dept_b,
        hall=hall,
        inspectorate=inspectorate,
        clerk=person("clerk", hall, Role.WINDOW_CLERK),
        windowhead=person("windowhead", hall, Role.WINDOW_HEAD),
        handler_a=person("handlerA", dept_a, Role.UNIT_HANDLER),
        leader_a=person("leaderA", dept_a, Role.UNIT_LEADER),
        handler_a1=person("handlerA1", center_a1, Role.UNIT_HANDLER),
        handler_b=person("handlerB", dept_b, Role.UNIT_HANDLER),
        dispatcher=person("dispatcher", hub, Role.DISPATCHER),
        officeadmin=person("officeadmin", office, Role.OFFICE_ADMIN),
        inspector=person("inspector", inspectorate, Role.INSPECTOR),
        sysadmin=person("sysadmin", office, Role.SYSADMIN),
        matter_a=matter_a,
        matter_h=matter_h,
    )


@pytest.fixture
def org(db: None, frozen_time: FrozenTime) -> Org:
    return build_org()


def registration(**fields: Any) -> Registration:
    """A valid window registration of a person; `fields` override."""
    values: dict[str, Any] = {
        "channel": "window",
        "petitioner_type": "person",
        "petitioner_name": "张三",
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "description": "办理营业执照变更登记时材料被退回三次，仍未办成",
        "request": "希望尽快办结",
        "matter_text": "营业执照变更登记",
    }
    values.update(fields)
    return Registration(**values)


class CaseBuilder:
    """Brings a case to a state through the real actions (no shortcuts into the tables)."""

    def __init__(self, org: Org) -> None:
        self.org = org

    @staticmethod
    def fresh(case: Case) -> Case:
        return Case.objects.get(pk=case.pk)

    def register(self, actor: User | None = None, **fields: Any) -> Case:
        return check_register_case(actor or self.org.clerk, registration(**fields))

    def awaiting(self, actor: User | None = None, **fields: Any) -> Case:
        """Accepted with no matter, department or place: the hub's manual queue."""
        actor = actor or self.org.clerk
        case = self.register(actor, **fields)
        return check_screen_case(actor, case.pk, admissible=True)

    def dispatched(self, complexity: str = "", **fields: Any) -> Case:
        """Accepted and dispatched automatically to department A (it owns matter_a)."""
        fields.setdefault("matter_id", self.org.matter_a.pk)
        case = self.register(**fields)
        return check_screen_case(self.org.clerk, case.pk, admissible=True, complexity=complexity)

    def in_progress(self, **fields: Any) -> Case:
        case = self.dispatched(**fields)
        return do_receive_case(self.org.handler_a, case.pk)

    def analysed(self, **fields: Any) -> Case:
        case = self.in_progress(**fields)
        return check_record_cause(
            self.org.handler_a, case.pk, code="materials", note="申请人未提供股东会决议"
        )

    def replied(self, **fields: Any) -> Case:
        case = self.analysed(**fields)
        return check_reply_case(
            self.org.handler_a, case.pk, text="已电话告知需补交股东会决议，补交后当日办结"
        )

    def visited(self, satisfaction: int = Satisfaction.SATISFIED, **fields: Any) -> Case:
        case = self.replied(**fields)
        check_return_visit(
            self.org.dispatcher, case.pk, satisfaction=satisfaction, solved=True, comment="满意"
        )
        return self.fresh(case)

    def closed(self, **fields: Any) -> Case:
        case = self.visited(**fields)
        return do_close_case(self.org.dispatcher, case.pk)

    def not_admissible(self, actor: User | None = None, **fields: Any) -> Case:
        actor = actor or self.org.clerk
        case = self.register(actor, **fields)
        return check_screen_case(
            actor, case.pk, admissible=False, reason="属于司法程序，依法不予受理"
        )


@pytest.fixture
def cases(org: Org) -> CaseBuilder:
    return CaseBuilder(org)
