"""GET /api/v1/remote-sessions: a period's sessions within the caller's reach, the phone masked
as on the pages, the counts per point and per center; bad parameters a JSON refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.neighborhood.sessions.conftest import Streets

URL = "/api/v1/remote-sessions"


def get(user: User, query: str = "") -> Any:
    client = Client()
    client.force_login(user)
    return client.get(URL + query)


def test_a_street_gets_its_sessions_and_counts(streets: Streets) -> None:
    session = streets.session()
    body = get(streets.center_staff_a, "?start=2026-11-20&end=2026-11-20").json()
    assert body["start"] == "2026-11-20"
    assert body["total"] == 1
    [item] = body["items"]
    assert item["id"] == session.pk
    assert item["point"] == {"id": streets.point_a1.unit_id, "name": "甲一居委会服务站"}
    assert item["started_at"] == "2026-11-20T09:00:00+08:00"
    assert item["phone"] == "13812345678"
    assert (item["outcome"], item["circulation"], item["case_tracking_no"]) == (
        "accepted",
        "listed",
        None,
    )
    assert body["counts"]["by_center"] == [
        {
            "unit_id": streets.center_a.pk,
            "name": "街道A社区事务受理服务中心",
            "total": 1,
            "done": 0,
            "accepted": 1,
            "referred": 0,
            "failed": 0,
            "cases": 0,
        }
    ]


def test_another_street_gets_none_and_the_office_a_masked_phone(streets: Streets) -> None:
    streets.session()
    body = get(streets.center_staff_b).json()
    assert (body["items"], body["counts"]["by_point"]) == ([], [])
    [item] = get(streets.org.officeadmin).json()["items"]
    assert item["phone"] == "138****5678"


@pytest.mark.parametrize(
    "query",
    [
        "?start=2026-13-01",
        "?start=\x00",
        "?page=0",
        "?page=99999999999999999999",
        "?end=0001-01-01",
    ],
)
def test_bad_parameters_are_refused(streets: Streets, query: str) -> None:
    response = get(streets.center_staff_a, query)
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("invalid", "bad_request")


def test_an_end_before_the_start_is_refused(streets: Streets) -> None:
    response = get(streets.center_staff_a, "?start=2026-11-20&end=2026-11-19")
    assert response.status_code == 422
    assert response.json()["errors"] == {"end": ["最后一天早于第一天。"]}


def test_the_list_does_not_query_per_row(streets: Streets) -> None:
    streets.session()
    with CaptureQueriesContext(connection) as one:
        get(streets.center_staff_a)
    for _ in range(4):
        streets.session()
    with CaptureQueriesContext(connection) as five:
        get(streets.center_staff_a)
    assert len(five) == len(one)
