"""GET and POST /api/v1/knowledge: search in pages, staff see internal entries and others
only public ones; a draft written by hand or from a closed case, with exact refusals."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client

from banchengshi.knowledge.actions import do_publish_entry
from banchengshi.tokens.actions import do_create_token
from tests.api.conftest import Api, District, registration
from tests.cases.conftest import FrozenTime, frozen_time, sh  # noqa: F401

AsUser = Callable[..., Api]


def closed_case(district: District, as_user: AsUser) -> int:
    clerk, handler, dispatcher = as_user("clerk"), as_user("handler"), as_user("dispatcher")
    cid = clerk.ok("/cases", registration(district), status=201)["id"]
    clerk.ok(f"/cases/{cid}/screen", {"admissible": True})
    handler.ok(f"/cases/{cid}/receive", {})
    handler.ok(f"/cases/{cid}/cause", {"code": "materials", "note": "缺少营业执照副本"})
    handler.ok(f"/cases/{cid}/reply", {"text": "已指导补齐材料并办结许可", "channel": "sms"})
    dispatcher.ok(f"/cases/{cid}/return-visit", {"satisfaction": 5, "solved": True})
    dispatcher.ok(f"/cases/{cid}/close", {})
    return int(cid)


def test_write_publish_and_search(
    district: District,
    as_user: AsUser,
    frozen_time: FrozenTime,  # noqa: F811
) -> None:
    handler = as_user("handler")
    internal = handler.ok(
        "/knowledge",
        {"problem": "食品经营许可变更被退回", "solution": "补交营业执照副本", "tags": "食品 许可"},
        status=201,
    )
    assert (internal["status"], internal["author"], internal["published_version"]) == (
        "draft",
        "Handler",
        0,
    )
    frozen_time.set(sh(2026, 11, 20, 11))
    public = handler.ok(
        "/knowledge",
        {
            "problem": "食品经营许可证遗失补办",
            "solution": "可在一网通办APP申请补办",
            "matter_ids": [district.matter.pk],
            "visibility": "public",
        },
        status=201,
    )
    assert as_user("handler").get("/knowledge").json()["items"] == []  # drafts are not listed
    for entry in (internal, public):
        do_publish_entry(district.users["dispatcher"], entry["id"])

    body = handler.get("/knowledge", q="食品", limit=1).json()
    assert (body["total"], body["limit"], body["offset"]) == (2, 1, 0)
    assert [i["id"] for i in body["items"]] == [public["id"]]  # the latest published first
    item = body["items"][0]
    assert (item["status"], item["reviewer"], item["matter_ids"]) == (
        "published",
        "Dispatcher",
        [district.matter.pk],
    )
    assert item["published_at"] == "2026-11-20T11:00:00+08:00"
    assert [i["id"] for i in handler.get("/knowledge", q="食", offset=1).json()["items"]] == [
        internal["id"]
    ]
    assert [i["id"] for i in handler.get("/knowledge", q="APP").json()["items"]] == [public["id"]]

    # a token of a person without any role sees the public entries only
    outsider = User.objects.create_user("outsider")
    api = Api(Client(), do_create_token(outsider, "portal")[1])
    assert [i["id"] for i in api.get("/knowledge", q="食品").json()["items"]] == [public["id"]]
    assert [i["id"] for i in api.get("/knowledge").json()["items"]] == [public["id"]]
    refused = api.post("/knowledge", {"problem": "问题描述足够", "solution": "解决办法足够"})
    assert (refused.status_code, refused.json()["message"]) == (
        403,
        "Your roles do not allow you to write knowledge entries.",
    )


def test_draft_from_a_closed_case(district: District, as_user: AsUser) -> None:
    cid = closed_case(district, as_user)
    entry = as_user("handler").ok("/knowledge", {"case_id": cid}, status=201)
    assert entry["source_case_ids"] == [cid]
    assert entry["cause_code"] == "materials"
    assert entry["solution"] == "缺少营业执照副本\n已指导补齐材料并办结许可"
    assert "13812345678" not in entry["problem"]
    again = as_user("dispatcher", language="zh-hans").post("/knowledge", {"case_id": cid})
    assert (again.status_code, again.json()) == (
        409,
        {"code": "invalid_state", "message": "该案例已收入案例库。", "field": None},
    )
    outside = as_user("other_handler").post("/knowledge", {"case_id": cid})
    assert outside.status_code == 404


def test_a_reviewer_publishes_and_withdraws_a_draft(district: District, as_user: AsUser) -> None:
    cid = closed_case(district, as_user)
    draft = as_user("handler").ok("/knowledge", {"case_id": cid}, status=201)
    refused = as_user("handler").post(f"/knowledge/{draft['id']}/publish")
    assert (refused.status_code, refused.json()["message"]) == (
        403,
        "Only office administrators and dispatchers review knowledge entries.",
    )
    dispatcher = as_user("dispatcher")
    published = dispatcher.ok(f"/knowledge/{draft['id']}/publish")
    assert (published["status"], published["published_version"]) == ("published", 1)
    assert [i["id"] for i in dispatcher.get("/knowledge", q="营业执照").json()["items"]] == [
        draft["id"]
    ]
    again = dispatcher.post(f"/knowledge/{draft['id']}/publish")
    assert (again.status_code, again.json()["message"]) == (409, "Only a draft can be published.")
    assert dispatcher.ok(f"/knowledge/{draft['id']}/withdraw")["status"] == "withdrawn"
    assert dispatcher.get("/knowledge", q="营业执照").json()["items"] == []
    assert dispatcher.post("/knowledge/99999999/publish").status_code == 404


def test_bad_input(district: District, as_user: AsUser) -> None:
    handler = as_user("handler")
    both = handler.post("/knowledge", {"case_id": 1, "problem": "问题描述足够"})
    assert both.status_code == 422
    nul = handler.post("/knowledge", {"problem": "问题\u0000描述", "solution": "解决办法足够"})
    assert nul.status_code == 422
    short = handler.post("/knowledge", {"problem": "短", "solution": "解决办法足够"})
    assert (short.status_code, short.json()["field"], short.json()["message"]) == (
        422,
        "problem",
        "The problem needs at least 4 characters.",
    )
    assert handler.get("/knowledge", q="a\u0000b").status_code == 400
    assert handler.get("/knowledge", q="！？").json()["items"] == []
