"""Service points for the tests: two streets (acceptance centers) with neighbourhood staff,
built on the organisation of tests/cases (office administrator, window head at the hall…).

    street center S1 (曹杨新村)   staff_s1 (neighborhood)
      └─ point P1 (open, two devices, matter_h)   staff_p1 (neighborhood, at the point)
    street center S2 (桃浦镇)     staff_s2 (neighborhood), head_s2 (window head)
      └─ point P2 (open, no coordinates, no devices), point Q2 (planned)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import translation

from banchengshi.neighborhood.points.actions import (
    check_add_equipment,
    check_change_status,
    check_create_point,
)
from banchengshi.neighborhood.points.checks import clean_details
from banchengshi.neighborhood.points.models import Equipment, ServicePoint
from banchengshi.org.actions import do_create_unit, do_grant_role
from banchengshi.org.models import Role, Unit, UnitKind
from tests.cases.conftest import (  # noqa: F401
    NOW,
    FrozenTime,
    Org,
    _forget_policy_versions,
    build_org,
    frozen_time,
    org,
)

TODAY = NOW.date()


def details(name: str = "曹杨一村服务站", **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": name,
        "kind": "residents_committee",
        "address": "兰溪路100号",
        "latitude": Decimal("31.245100"),
        "longitude": Decimal("121.405200"),
        "opening_hours": "周一至周五 9:00-17:00",
        "matter_ids": [],
    }
    fields.update(changes)
    return fields


@dataclass
class Points:
    org: Org
    s1: Unit
    s2: Unit
    p1: ServicePoint
    p2: ServicePoint
    q2: ServicePoint
    staff_s1: User
    staff_p1: User
    staff_s2: User
    head_s2: User
    screen: Equipment
    printer: Equipment

    @property
    def admin(self) -> User:
        return self.org.officeadmin


def person(username: str, unit: Unit, role: Role) -> User:
    user = User.objects.create_user(username, first_name=username)
    do_grant_role(user, unit, role)
    return user


def build_points(org: Org) -> Points:  # noqa: F811
    s1 = do_create_unit("SQ-CY", "曹杨新村街道社区事务受理服务中心", UnitKind.CENTER)
    s2 = do_create_unit("SQ-TP", "桃浦镇社区事务受理服务中心", UnitKind.CENTER)
    admin = org.officeadmin
    p1 = check_create_point(
        admin,
        center_id=s1.pk,
        details=clean_details(**details(matter_ids=[org.matter_h.pk])),
    )
    p2 = check_create_point(
        admin,
        center_id=s2.pk,
        details=clean_details(**details("桃浦新村服务点", latitude=None, longitude=None)),
    )
    q2 = check_create_point(
        admin, center_id=s2.pk, details=clean_details(**details("桃浦园区服务点"))
    )
    for point in (p1, p2):
        check_change_status(admin, point.pk, status="open", effective_on=TODAY, reason="建成开放")
    screen = check_add_equipment(admin, p1.pk, kind="dual_screen", serial_number="DS-001")
    printer = check_add_equipment(admin, p1.pk, kind="printer", serial_number="PR-001")
    return Points(
        org=org,
        s1=s1,
        s2=s2,
        p1=ServicePoint.objects.get(pk=p1.pk),
        p2=ServicePoint.objects.get(pk=p2.pk),
        q2=ServicePoint.objects.get(pk=q2.pk),
        staff_s1=person("staff_s1", s1, Role.NEIGHBORHOOD_STAFF),
        staff_p1=person("staff_p1", p1.unit, Role.NEIGHBORHOOD_STAFF),
        staff_s2=person("staff_s2", s2, Role.NEIGHBORHOOD_STAFF),
        head_s2=person("head_s2", s2, Role.WINDOW_HEAD),
        screen=screen,
        printer=printer,
    )


@pytest.fixture
def points(org: Org) -> Points:  # noqa: F811
    return build_points(org)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are compared in English; the GeoJSON kept in the cache by one test's ETag
    (the same frozen instant in every test) must not answer the next."""
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()
