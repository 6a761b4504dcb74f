"""Two streets for door-to-door assistance, on top of tests/cases' organisation:

    street S1 (石门二路街道, center)   s1staff (neighborhood), s1head (window_head), s1clerk
      └─ point P1 (居委会)           p1staff (neighborhood)
    street S2 (南京西路街道, center)   s2staff (neighborhood)

The service list: matter_h (社保卡补办) on the district's list, easy; matter_a (营业执照变更
登记) added by S1, hard. Time is frozen at Friday 2026-11-20 10:00 Asia/Shanghai; messages
are English."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from banchengshi.cases.special_groups import SpecialGroupInput
from banchengshi.neighborhood.assistance.actions import NewRequest, check_register_request
from banchengshi.neighborhood.assistance.models import AssistanceRequest, ServiceItem
from banchengshi.org.actions import do_create_unit, do_grant_role
from banchengshi.org.models import Role, Unit, UnitKind
from tests.cases.conftest import (  # noqa: F401
    FrozenTime,
    Org,
    _forget_policy_versions,
    build_org,
    frozen_time,
)

MOBILE = "13912345678"


@dataclass
class Streets:
    org: Org
    s1: Unit
    p1: Unit
    s2: Unit
    s1staff: User
    s1head: User
    s1clerk: User
    p1staff: User
    s2staff: User
    district_item: ServiceItem
    s1_item: ServiceItem

    def request(self, by: User | None = None, **fields: Any) -> AssistanceRequest:
        """A request of S1 for the district's service, registered by s1staff."""
        values: dict[str, Any] = {
            "street_id": self.s1.pk,
            "channel": "staff",
            "person_name": "王秀英",
            "phone": MOBILE,
            "address": "石门二路街道新闸路100弄3号",
            "service_id": self.district_item.pk,
            "need": "行动不便，需上门补办社保卡",
            "groups": SpecialGroupInput(("elderly",), "王秀英", "oral"),
        }
        values.update(fields)
        return check_register_request(by or self.s1staff, NewRequest(**values))


def person(username: str, unit: Unit, role: Role) -> User:
    user = User.objects.create_user(username, first_name=username)
    do_grant_role(user, unit, role)
    return user


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are compared in English; the Chinese ones are the catalogue's."""
    with translation.override("en"):
        yield


@pytest.fixture
def streets(db: None, frozen_time: FrozenTime) -> Streets:  # noqa: F811
    org = build_org()
    s1 = do_create_unit("SQ-S1", "石门二路街道", UnitKind.CENTER)
    p1 = do_create_unit("SP-P1", "新闸路居委会", UnitKind.SERVICE_POINT, parent=s1)
    s2 = do_create_unit("SQ-S2", "南京西路街道", UnitKind.CENTER)
    return Streets(
        org=org,
        s1=s1,
        p1=p1,
        s2=s2,
        s1staff=person("s1staff", s1, Role.NEIGHBORHOOD_STAFF),
        s1head=person("s1head", s1, Role.WINDOW_HEAD),
        s1clerk=person("s1clerk", s1, Role.WINDOW_CLERK),
        p1staff=person("p1staff", p1, Role.NEIGHBORHOOD_STAFF),
        s2staff=person("s2staff", s2, Role.NEIGHBORHOOD_STAFF),
        district_item=ServiceItem.objects.create(matter=org.matter_h, difficulty="easy"),
        s1_item=ServiceItem.objects.create(matter=org.matter_a, street=s1, difficulty="hard"),
    )
