"""A small district for the API tests, API tokens for its people, and a JSON client.

office · hub · market supervision (department) ⊃ its service center · medical insurance
(department) · district hall (center) · inspectorate. People: clerk at the hall, handler and
leader at market supervision, a handler at its center, a handler at medical insurance,
dispatcher at the hub, inspector.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from banchengshi.cases.clocks import forget_policy_versions
from banchengshi.catalog.models import Matter
from banchengshi.org.actions import do_create_unit, do_grant_role
from banchengshi.org.models import Role, Unit, UnitKind
from banchengshi.tokens.actions import do_create_token
from banchengshi.workdays.actions import do_load_calendar_year
from banchengshi.workdays.calendar import UnknownYearError
from banchengshi.workdays.registry import current_calendar, forget_calendar
from banchengshi.workdays.schedule import parse_schedule

PASSWORD = "api-test-password-1"
MOBILE = "13812345678"


@dataclass
class District:
    office: Unit
    hub: Unit
    dept: Unit
    dept_center: Unit
    other_dept: Unit
    hall: Unit
    inspectorate: Unit
    matter: Matter
    users: dict[str, User]
    tokens: dict[str, str]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_policy_versions() -> Iterator[None]:
    """cases.clocks caches the id of the policy's row, which each test's rollback removes."""
    forget_policy_versions()
    yield
    forget_policy_versions()


@pytest.fixture
def known_years(db: None) -> None:
    """Deadlines of the next weeks must be computable whatever the date the tests run on:
    when they reach a year the State Council has not published yet, a provisional schedule
    (weekends only, New Year's Day) is loaded, as an administrator would do."""
    today = timezone.localdate()
    try:
        current_calendar().nth_workday_after(today, 60)
    except UnknownYearError as exc:
        year = exc.year
        text = (
            f"year = {year}\nworkdays = []\n\n[[holidays]]\n"
            f'name = "元旦"\nstart = {year}-01-01\nend = {year}-01-01\n'
        )
        do_load_calendar_year(parse_schedule(text, "provisional"), text.encode(), "provisional")
        forget_calendar()


@pytest.fixture
def district(db: None, known_years: None) -> District:
    office = do_create_unit("OFFICE", "区政务服务办", UnitKind.OFFICE)
    hub = do_create_unit("HUB", "区行政服务中心", UnitKind.HUB, office)
    dept = do_create_unit("SCJG", "区市场监管局", UnitKind.DEPARTMENT)
    dept_center = do_create_unit("SCJG-ZX", "市场监管服务中心", UnitKind.CENTER, dept)
    other_dept = do_create_unit("YB", "区医保局", UnitKind.DEPARTMENT)
    hall = do_create_unit("HALL", "区政务服务中心大厅", UnitKind.CENTER)
    inspectorate = do_create_unit("JW", "区纪委监委", UnitKind.INSPECTORATE)
    matter = Matter.objects.create(code="SC-001", name="食品经营许可", owning_department=dept)
    grants = {
        "clerk": (hall, Role.WINDOW_CLERK),
        "handler": (dept, Role.UNIT_HANDLER),
        "leader": (dept, Role.UNIT_LEADER),
        "center_handler": (dept_center, Role.UNIT_HANDLER),
        "other_handler": (other_dept, Role.UNIT_HANDLER),
        "dispatcher": (hub, Role.DISPATCHER),
        "inspector": (inspectorate, Role.INSPECTOR),
    }
    users: dict[str, User] = {}
    tokens: dict[str, str] = {}
    for name, (unit, role) in grants.items():
        user = User.objects.create_user(name, password=PASSWORD, first_name=name.title())
        do_grant_role(user, unit, role)
        users[name] = user
        tokens[name] = do_create_token(user, f"{name} system")[1]
    return District(
        office, hub, dept, dept_center, other_dept, hall, inspectorate, matter, users, tokens
    )


class Api:
    """JSON requests to /api/v1/ as one person, with a token or with the client's session."""

    def __init__(self, client: Client, token: str | None = None, language: str = "en") -> None:
        self.client = client
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> HttpResponse:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(
        self, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        return self.client.post(
            f"/api/v1{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def ok(self, path: str, body: Any = None, status: int = 200) -> dict[str, Any]:
        response = self.post(path, body)
        assert response.status_code == status, response.content.decode()
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def as_user(district: District) -> Any:
    def make(name: str, language: str = "en") -> Api:
        return Api(Client(), district.tokens[name], language)

    return make


def registration(district: District, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "window",
        "petitioner_type": "person",
        "petitioner_name": "张三",
        "phone": MOBILE,
        "id_number": "11010519491231002X",
        "matter_id": district.matter.pk,
        "description": "营业执照变更后食品经营许可无法办理",
        "request": "尽快办结",
    }
    body.update(changes)
    return body
