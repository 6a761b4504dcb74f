"""Fixtures for remote sessions: the organisation of tests/cases with two streets, each an
acceptance center with neighbourhood staff and service points below it:

    street A center (社区事务受理服务中心A)   centerA (neighborhood)
      ├─ point A1                          pointA1 (neighborhood)
      └─ point A2                          pointA2 (neighborhood)
    street B center                        centerB (neighborhood)
      └─ point B1                          pointB1 (neighborhood)

`matter_r` is served through the remote window. Time is frozen at Friday 2026-11-20 10:00
Asia/Shanghai (tests/cases/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation

from banchengshi.catalog.models import Matter
from banchengshi.neighborhood.models import PointKind, PointStatus, ServicePoint
from banchengshi.neighborhood.sessions.actions import (
    MaterialInput,
    SessionInput,
    check_log_session,
)
from banchengshi.neighborhood.sessions.models import RemoteSession
from banchengshi.org.actions import do_create_unit, do_grant_role
from banchengshi.org.models import Role, Unit, UnitKind
from tests.cases.conftest import (  # noqa: F401
    ID_NUMBER,
    PHONE,
    FrozenTime,
    Org,
    _forget_policy_versions,
    build_org,
    frozen_time,
    sh,
)


@dataclass
class Streets:
    org: Org
    center_a: Unit
    center_b: Unit
    point_a1: ServicePoint
    point_a2: ServicePoint
    point_b1: ServicePoint
    center_staff_a: User
    center_staff_b: User
    point_staff_a1: User
    point_staff_a2: User
    point_staff_b1: User
    matter_r: Matter

    def session(self, actor: User | None = None, **fields: Any) -> RemoteSession:
        """A session logged at point A1 by its staff through the real action."""
        return check_log_session(actor or self.point_staff_a1, session_input(self, **fields))


def session_input(streets: Streets, **fields: Any) -> SessionInput:
    values: dict[str, Any] = {
        "point_id": streets.point_a1.pk,
        "started_at": sh(2026, 11, 20, 9, 0),
        "ended_at": sh(2026, 11, 20, 9, 25),
        "center_staff_id": streets.center_staff_a.pk,
        "matter_id": streets.matter_r.pk,
        "petitioner_name": "王秀兰",
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "outcome": "accepted",
        "outcome_note": "",
        "materials": (
            MaterialInput("户口簿", 1, True),
            MaterialInput("身份证复印件", 2, False),
        ),
    }
    values.update(fields)
    return SessionInput(**values)


def build_streets(org: Org) -> Streets:
    center_a = do_create_unit("SQ-A", "街道A社区事务受理服务中心", UnitKind.CENTER)
    center_b = do_create_unit("SQ-B", "街道B社区事务受理服务中心", UnitKind.CENTER)

    def point(code: str, name: str, center: Unit) -> ServicePoint:
        unit = do_create_unit(code, name, UnitKind.SERVICE_POINT, parent=center)
        return ServicePoint.objects.create(
            unit=unit,
            kind=PointKind.RESIDENTS_COMMITTEE,
            center=center,
            address=f"{name}地址",
            status=PointStatus.OPEN,
        )

    def person(username: str, unit: Unit) -> User:
        user = User.objects.create_user(username, first_name=username)
        do_grant_role(user, unit, Role.NEIGHBORHOOD_STAFF)
        return user

    point_a1 = point("SP-A1", "甲一居委会服务站", center_a)
    point_a2 = point("SP-A2", "甲二园区服务点", center_a)
    point_b1 = point("SP-B1", "乙一居委会服务站", center_b)
    matter_r = Matter.objects.create(code="M-R", name="居住证办理", remote=True)
    return Streets(
        org=org,
        center_a=center_a,
        center_b=center_b,
        point_a1=point_a1,
        point_a2=point_a2,
        point_b1=point_b1,
        center_staff_a=person("centerA", center_a),
        center_staff_b=person("centerB", center_b),
        point_staff_a1=person("pointA1", point_a1.unit),
        point_staff_a2=person("pointA2", point_a2.unit),
        point_staff_b1=person("pointB1", point_b1.unit),
        matter_r=matter_r,
    )


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    """A page read in English leaves English active in the thread; the next test's messages
    are read in the default language again."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def streets(db: None, frozen_time: FrozenTime) -> Streets:  # noqa: F811
    return build_streets(build_org())
