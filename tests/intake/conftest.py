"""Intake tests use the organisation of tests/cases (time frozen on Friday 2026-11-20 10:00 in
Shanghai) and add the system account that external sources and the import act as: "intake",
a dispatcher at the hub, with an API token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from banchengshi.tokens.actions import do_create_token
from tests.cases.conftest import (  # noqa: F401
    PHONE,
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)


@dataclass
class System:
    user: User
    token: str


@pytest.fixture
def system(org: Org) -> System:  # noqa: F811 (the fixture imported above)
    user = User.objects.create_user("intake", first_name="接口", last_name="系统")
    do_grant_role(user, org.hub, Role.DISPATCHER)
    return System(user, do_create_token(user, "12345 bridge")[1])


def token_for(user: User) -> str:
    return do_create_token(user, f"{user.username} system")[1]


class IntakeApi:
    """POST /api/v1/intake/{source} with a bearer token, answers in English."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def post(self, source: str, record: Any) -> HttpResponse:
        return self.client.post(
            f"/api/v1/intake/{source}",
            data=json.dumps(record, ensure_ascii=False),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def intake_api(system: System) -> IntakeApi:
    return IntakeApi(system.token)


def hotline_record(**changes: Any) -> dict[str, Any]:
    """A 12345 work order as the hotline exports it."""
    record: dict[str, Any] = {
        "工单编号": "GD20261120000123",
        "来电时间": "2026-11-20 09:30:00",
        "来电人": "李四",
        "联系电话": PHONE,
        "来电人类型": "个人",
        "事项编码": "M-A",
        "事项名称": "营业执照变更登记",
        "诉求类型": "求助",
        "诉求内容": "营业执照变更登记三次被退回材料，至今未能办成",
        "诉求目的": "希望尽快办结",
    }
    record.update(changes)
    return record
