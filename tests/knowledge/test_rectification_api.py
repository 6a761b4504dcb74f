"""GET /api/v1/rectifications and the transitions as POSTs, through the session."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from banchengshi.knowledge.models import RectificationItem
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict) -> tuple[int, dict]:
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_lists_overdue_first_per_unit_and_for_the_office(org, analysed, frozen_time):
    analysed("process")
    frozen_time.advance(days=10)
    analysed("system_fault")
    frozen_time.set(sh(2026, 12, 21, 10))  # the first is overdue, the second not yet
    office = client_of(org.officeadmin)
    rows = office.get("/api/v1/rectifications").json()["items"]
    assert [(r["cause_code"], r["overdue"]) for r in rows] == [
        ("process", True),
        ("system_fault", False),
    ]
    overdue = office.get("/api/v1/rectifications?status=overdue").json()["items"]
    assert [r["cause_code"] for r in overdue] == ["process"]
    assert office.get(f"/api/v1/rectifications?unit={org.dept_b.pk}").json()["items"] == []
    unit_a = client_of(org.handler_a).get("/api/v1/rectifications").json()["items"]
    assert len(unit_a) == 2
    assert client_of(org.handler_b).get("/api/v1/rectifications").json()["items"] == []
    bad = office.get("/api/v1/rectifications?status=late")
    assert bad.status_code == 422


def test_transitions_and_refusals(org, analysed):
    case = analysed()
    item = RectificationItem.objects.get()
    base = f"/api/v1/rectifications/{item.pk}"
    status, body = post(client_of(org.handler_b), f"{base}/done", {"evidence": "已修订审批流程"})
    assert (status, body["message"]) == (
        403,
        "Only the owner unit's handlers and leaders report its rectification.",
    )
    assert client_of(org.handler_b).get(base).status_code == 404
    status, body = post(client_of(org.handler_a), f"{base}/done", {"evidence": "已修订审批流程"})
    assert (status, body["status"], body["cases"]) == (
        200,
        "done",
        [{"id": case.pk, "tracking_no": case.tracking_no}],
    )
    status, body = post(client_of(org.officeadmin), f"{base}/send-back", {"reason": "指南未更新"})
    assert (status, body["status"]) == (200, "open")
    status, body = post(client_of(org.officeadmin), f"{base}/verify", {})
    assert (status, body["code"]) == (409, "invalid_state")


def test_the_list_costs_the_same_queries_for_more_items(org, analysed):
    office = client_of(org.officeadmin)
    analysed("process")
    office.get("/api/v1/rectifications")
    with CaptureQueriesContext(connection) as few:
        office.get("/api/v1/rectifications")
    for code in ("policy", "system_fault", "staff_conduct", "implementation_list"):
        analysed(code)
    with CaptureQueriesContext(connection) as many:
        assert len(office.get("/api/v1/rectifications").json()["items"]) == 5
    assert len(many) == len(few)


def test_linking_the_entry_that_records_the_fix(org, analysed, publish):
    analysed()
    item = RectificationItem.objects.get()
    entry = publish("营业执照变更登记重复提交材料", "已取消重复提交，一次提交即可")
    url = f"/api/v1/rectifications/{item.pk}/entry"
    status, body = post(client_of(org.handler_a), url, {"entry_id": entry.pk})
    assert (status, body["knowledge_entry_id"]) == (200, entry.pk)
    listed = client_of(org.officeadmin).get("/api/v1/rectifications").json()["items"]
    assert listed[0]["knowledge_entry_id"] == entry.pk
    status, body = post(client_of(org.handler_b), url, {"entry_id": entry.pk})
    assert (status, body["message"]) == (
        403,
        "Only the owner unit's handlers and leaders or the office link its entry.",
    )
    for wrong in (0, 10**30, entry.pk + 1000):
        status, body = post(client_of(org.officeadmin), url, {"entry_id": wrong})
        assert (status, body["message"]) == (422, "Choose a draft or published knowledge entry.")
    status, body = post(client_of(org.officeadmin), url, {"entry_id": None})
    assert (status, body["knowledge_entry_id"]) == (200, None)
    status, body = post(client_of(org.officeadmin), url, {"entry_id": None})
    assert (status, body["message"]) == (409, "No knowledge entry is linked to this rectification.")
