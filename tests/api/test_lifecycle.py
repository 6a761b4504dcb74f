"""The whole lifecycle through the API, with tokens and with the web session (R-API-1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from banchengshi.cases.models import Case
from banchengshi.notify.models import OutboxMessage
from tests.api.conftest import PASSWORD, Api, District, registration

AsUser = Callable[..., Api]


def test_whole_lifecycle_with_tokens(district: District, as_user: AsUser) -> None:
    clerk, handler, other = as_user("clerk"), as_user("handler"), as_user("other_handler")
    dispatcher = as_user("dispatcher")

    case = clerk.ok("/cases", registration(district), status=201)
    cid = case["id"]
    assert case["state"] == "registered"
    assert case["tracking_no"].startswith("PT-")
    assert case["registered_unit"]["id"] == district.hall.pk
    assert case["actions"] == ["screen", "resolve_on_spot"]
    assert case["version"] == 1

    # Screening accepts; the matter's owning department gets it automatically (R-DIS-1).
    case = clerk.ok(f"/cases/{cid}/screen", {"admissible": True, "complexity": "general"})
    assert case["state"] == "dispatched"
    assert case["handling_unit"]["id"] == district.dept.pk
    assert {c["kind"] for c in case["clocks"]} >= {"reply", "cause_analysis"}
    reply_clock = next(c for c in case["clocks"] if c["kind"] == "reply")
    assert reply_clock["colour"] in ("green", "yellow")
    assert len(reply_clock["counted"]) == 3  # general: 3 working days (putuo)
    assert reply_clock["due"].endswith("+08:00")

    work = handler.get("/worklist").json()
    assert [(i["case_id"], i["kind"]) for i in work["items"]] == [(cid, "receive")]
    assert work["total"] == 1

    case = handler.ok(f"/cases/{cid}/receive", {"version": case["version"]})
    assert case["state"] == "in_progress"
    assert case["owner_unit"]["id"] == district.dept.pk

    case = handler.ok(f"/cases/{cid}/contacts", {"method": "phone", "outcome": "约定补交材料"})
    assert case["contacts"][0]["method"] == "phone"
    assert case["contacts"][0]["by"] == "Handler"

    case = handler.ok(
        f"/cases/{cid}/cohandling",
        {"unit_id": district.other_dept.pk, "request": "请核实医保参保记录", "days": 2},
    )
    task = case["cohandling_tasks"][0]
    assert task["state"] == "open"
    assert task["unit"]["id"] == district.other_dept.pk
    # The co-handling unit now sees the case and has the task on its worklist.
    assert [i["kind"] for i in other.get("/worklist").json()["items"]] == ["cohandle"]
    case = other.ok(
        f"/cases/{cid}/cohandling/{task['id']}/answer", {"answer": "参保记录正常，已同步"}
    )
    assert case["cohandling_tasks"][0]["state"] == "answered"

    case = handler.ok(f"/cases/{cid}/cause", {"code": "materials", "note": "缺少营业执照副本"})
    assert (case["cause_code"], case["cause_side"]) == ("materials", "petitioner")

    # Extension: requested by the unit, approved by the hub; the reply deadline moves.
    due_before = next(c for c in case["clocks"] if c["kind"] == "reply")["due"]
    case = handler.ok(f"/cases/{cid}/extension", {"days": 2, "reason": "需等待上级答复"})
    request_id = case["clock_requests"][0]["id"]
    assert case["clock_requests"][0]["decision"] == "pending"
    case = dispatcher.ok(f"/cases/{cid}/requests/{request_id}/decide", {"approve": True})
    assert case["clock_requests"][0]["decision"] == "approved"
    due_after = next(c for c in case["clocks"] if c["kind"] == "reply" and not c["stopped_at"])[
        "due"
    ]
    assert due_after > due_before

    # Suspension stops the clocks until resumed.
    case = handler.ok(f"/cases/{cid}/suspension", {"reason": "等待申请人补交材料"})
    request_id = case["clock_requests"][-1]["id"]
    case = dispatcher.ok(f"/cases/{cid}/requests/{request_id}/decide", {"approve": True})
    assert case["suspended_at"] is not None
    assert all(c["colour"] is None for c in case["clocks"] if not c["stopped_at"])
    case = handler.ok(f"/cases/{cid}/resume")
    assert case["suspended_at"] is None

    # Downward dispatch keeps the owner (R-DIS-4).
    case = handler.ok(f"/cases/{cid}/dispatch-down", {"unit_id": district.dept_center.pk})
    assert case["handling_unit"]["id"] == district.dept_center.pk
    assert case["owner_unit"]["id"] == district.dept.pk

    case = handler.ok(f"/cases/{cid}/reply", {"text": "已指导补齐材料并办结许可", "channel": "sms"})
    assert case["state"] == "replied"
    assert OutboxMessage.objects.filter(case_id=cid, template="reply").count() == 1

    case = dispatcher.ok(f"/cases/{cid}/return-visit", {"satisfaction": 5, "solved": True})
    assert case["return_visits"][0]["by"] == "hub"
    case = dispatcher.ok(f"/cases/{cid}/close", {"version": case["version"]})
    assert case["state"] == "closed"
    assert case["closed_at"] is not None

    # 督办: reopened with a new deadline and round (R-RV-3).
    case = dispatcher.ok(f"/cases/{cid}/supervise", {"reason": "回访发现仍未办结", "days": 3})
    assert (case["state"], case["round"]) == ("in_progress", 2)
    assert case["supervisions"][0]["round"] == 2

    actions = [event["action"] for event in case["timeline"]]
    assert actions == [
        "register",
        "screen_accept",
        "receive",
        "record_contact",
        "request_cohandling",
        "answer_cohandling",
        "record_cause",
        "request_extension",
        "approve_extension",
        "request_suspension",
        "approve_suspension",
        "resume",
        "dispatch_down",
        "reply",
        "return_visit",
        "close",
        "supervise",
    ]
    assert [event["seq"] for event in case["timeline"]] == sorted(
        event["seq"] for event in case["timeline"]
    )
    screening = case["timeline"][1]
    assert (screening["before"]["state"], screening["after"]["state"]) == (
        "registered",
        "dispatched",
    )
    assert Case.objects.count() == 1


def test_not_admissible_is_closed_by_the_reply(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    cid = clerk.ok("/cases", registration(district), status=201)["id"]
    case = clerk.ok(
        f"/cases/{cid}/screen", {"admissible": False, "reason": "属于司法程序，不予受理"}
    )
    assert case["state"] == "not_admissible"
    assert [c["kind"] for c in case["clocks"]] == ["not_admissible_reply"]
    case = clerk.ok(f"/cases/{cid}/reply", {"text": "依法不予受理，理由如下……", "channel": "phone"})
    assert case["state"] == "closed"


def test_resolved_on_the_spot(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    cid = clerk.ok("/cases", registration(district), status=201)["id"]
    case = clerk.ok(
        f"/cases/{cid}/resolve-on-spot", {"reply": "现场指导完成申报", "category": "consultation"}
    )
    assert (case["state"], case["on_the_spot"], case["category"]) == (
        "closed",
        True,
        "consultation",
    )


def test_manual_dispatch_return_and_redispatch(district: District, as_user: AsUser) -> None:
    clerk, dispatcher = as_user("clerk"), as_user("dispatcher")
    other = as_user("other_handler")
    body = registration(district, matter_id=None, matter_text="不在目录中的事项")
    cid = clerk.ok("/cases", body, status=201)["id"]
    case = clerk.ok(f"/cases/{cid}/screen", {"admissible": True})
    assert case["state"] == "awaiting_dispatch"
    assert [i["kind"] for i in dispatcher.get("/worklist").json()["items"]] == ["dispatch"]

    case = dispatcher.ok(f"/cases/{cid}/dispatch", {"unit_id": district.other_dept.pk})
    assert case["state"] == "dispatched"
    case = other.ok(f"/cases/{cid}/return", {"reason": "不属于本单位职责"})
    assert (case["state"], case["returns_count"]) == ("awaiting_dispatch", 1)
    case = dispatcher.ok(f"/cases/{cid}/dispatch", {"unit_id": district.dept.pk})
    assert case["handling_unit"]["id"] == district.dept.pk


def test_lifecycle_with_the_session_and_csrf(district: District) -> None:
    """A web page uses its session; unsafe methods then need the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="clerk", password=PASSWORD)
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["roles"] == [{"unit_id": district.hall.pk, "role": "window_clerk"}]
    csrf = client.cookies["csrftoken"].value

    def post(path: str, body: dict[str, Any], token: str | None = csrf) -> Any:
        headers = {"X-CSRFToken": token} if token else {}
        return client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)

    refused = post("/cases", registration(district), token=None)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    refused = post("/cases", registration(district), token="x" * 32)
    assert refused.status_code == 403
    assert Case.objects.count() == 0

    created = post("/cases", registration(district))
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    assert client.get(f"/api/v1/cases/{cid}").json()["phone"] == "13812345678"
    screened = post(f"/cases/{cid}/screen", {"admissible": True})
    assert screened.json()["state"] == "dispatched"

    handler = Client(enforce_csrf_checks=True)
    assert handler.login(username="handler", password=PASSWORD)
    handler.get("/api/v1/me")
    token = handler.cookies["csrftoken"].value
    for path, body in [
        (f"/cases/{cid}/receive", {}),
        (f"/cases/{cid}/cause", {"code": "process", "note": "审批环节重复提交"}),
        (f"/cases/{cid}/reply", {"text": "已协调简化流程并办结"}),
    ]:
        response = handler.post(
            f"/api/v1{path}", body, content_type="application/json", headers={"X-CSRFToken": token}
        )
        assert response.status_code == 200, response.content
    assert Case.objects.get(pk=cid).state == "replied"


def test_worklist_and_search(district: District, as_user: AsUser) -> None:
    clerk, inspector = as_user("clerk"), as_user("inspector")
    ids = [clerk.ok("/cases", registration(district), status=201)["id"] for _ in range(3)]
    work = clerk.get("/worklist", per_page=2).json()
    assert work["total"] == 3
    assert len(work["items"]) == 2
    assert work["items"][0]["due"] is None
    assert work["items"][0]["colour"] is None
    # Screening has no deadline: green counts it (as it always has), undated says so.
    assert (work["green"], work["undated"]) == (3, 3)
    assert (work["count_bound"], work["has_next"]) == (100, True)

    found = inspector.get("/cases", state="registered", limit=2).json()
    assert found["total"] == 3
    assert [c["id"] for c in found["items"]] == sorted(ids, reverse=True)[:2]
    tracking = clerk.get(f"/cases/{ids[0]}").json()["tracking_no"]
    assert [c["id"] for c in inspector.get("/cases", q=tracking).json()["items"]] == [ids[0]]
    assert inspector.get("/cases", state="closed").json()["total"] == 0
    # Out of scope: the other department sees none of them.
    assert as_user("other_handler").get("/cases").json()["total"] == 0
    assert inspector.get("/cases", received_from="2999-01-01").json()["total"] == 0


def test_reference_data(district: District, as_user: AsUser) -> None:
    api = as_user("handler")
    units = api.get("/units").json()
    assert {u["code"] for u in units} >= {"HUB", "SCJG", "SCJG-ZX", "HALL"}
    center = next(u for u in units if u["code"] == "SCJG-ZX")
    assert center["parent_id"] == district.dept.pk
    matters = api.get("/matters", q="食品").json()
    assert [m["code"] for m in matters["items"]] == ["SC-001"]
    assert matters["items"][0]["owning_department_id"] == district.dept.pk
    assert api.get("/matters", q="nothing-like-it").json()["total"] == 0
    causes = {c["code"]: c for c in api.get("/causes").json()}
    assert causes["materials"]["side"] == "petitioner"
    assert causes["materials"]["label"] == "Petitioner's materials incomplete or wrong"
    zh = as_user("handler", language="zh-hans").get("/causes").json()
    assert zh[0]["label"] == "申请人材料不齐全或有误"
