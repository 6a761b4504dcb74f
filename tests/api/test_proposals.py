"""POST /api/v1/proposals: the proposal with its reasons in the caller's language, similar
cases within the caller's scope, bad input a 422."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client

from banchengshi.knowledge.actions import do_publish_entry
from banchengshi.tokens.actions import do_create_token
from tests.api.conftest import Api, District, registration

AsUser = Callable[..., Api]
TEXT = "窗口工作人员态度恶劣，食品经营许可跑了三次还没办成"


def test_a_proposal_with_its_reasons(district: District, as_user: AsUser) -> None:
    answer = as_user("clerk", "zh-hans").ok("/proposals", {"description": TEXT})
    assert answer == {
        "category": "complaint",
        "complexity": "complex",
        "matter_id": district.matter.pk,
        "unit_id": district.dept.pk,
        "reasons": {
            "category": "含'态度恶劣'等投诉用语",
            "complexity": "含'跑了'，可能涉及多次往返或多个部门",
            "matter": "描述含事项'食品经营许可'名称中100%的字词",
            "unit": "事项'食品经营许可'的主管部门",
        },
        "knowledge": [],
        "similar": [],
    }
    english = as_user("clerk", "en").ok("/proposals", {"description": TEXT})
    assert english["reasons"]["category"] == "Contains complaint wording such as '态度恶劣'."


def test_similar_cases_the_caller_may_see(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    case = clerk.ok("/cases", registration(district, description=TEXT), status=201)
    answer = clerk.ok("/proposals", {"description": TEXT, "matter_id": district.matter.pk})
    assert [
        (s["case_id"], s["tracking_no"], s["same_matter"], s["overlap_percent"])
        for s in answer["similar"]
    ] == [(case["id"], case["tracking_no"], True, 100)]
    # A handler of another department sees none of the hall's cases.
    assert as_user("other_handler").ok("/proposals", {"description": TEXT})["similar"] == []


def test_bad_input_is_a_422(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk", "en")
    for body, field in [
        ({}, "description"),
        ({"description": ""}, "description"),
        ({"description": "a\x00b"}, "description"),
        ({"description": "x", "matter_id": 0}, "matter_id"),
        ({"description": "x", "extra": 1}, "extra"),
    ]:
        response = clerk.post("/proposals", body)
        assert response.status_code == 422, body
        assert (response.json()["code"], response.json()["field"]) == ("invalid", f"body.{field}")
    response = clerk.post("/proposals", {"description": "x", "matter_id": 999999})
    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"matter_id": ["There is no such service matter."]},
    )


def test_knowledge_entries_that_fit(district: District, as_user: AsUser) -> None:
    handler = as_user("handler")
    internal = handler.ok(
        "/knowledge",
        {"problem": "食品经营许可跑了三次被退回", "solution": "核对营业执照副本后一次办结"},
        status=201,
    )
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
    for entry in (internal, public):
        do_publish_entry(district.users["dispatcher"], entry["id"])
    answer = as_user("clerk").ok("/proposals", {"description": TEXT})
    assert answer["knowledge"] == [
        {
            "id": internal["id"],
            "title": "食品经营许可跑了三次被退回",
            "snippet": "核对营业执照副本后一次办结",
            "url": f"/staff/knowledge/{internal['id']}/",
            "public": False,
            "same_matter": False,
        },
        {
            "id": public["id"],
            "title": "食品经营许可证遗失补办",
            "snippet": "可在一网通办APP申请补办",
            "url": f"/staff/knowledge/{public['id']}/",
            "public": True,
            "same_matter": True,
        },
    ]
    # A token whose user holds no role reads public entries only, on the FAQ.
    outsider = User.objects.create_user("outsider")
    api = Api(Client(), do_create_token(outsider, "portal")[1])
    found = api.ok("/proposals", {"description": TEXT})["knowledge"]
    assert [(k["id"], k["url"]) for k in found] == [(public["id"], f"/faq/{public['id']}/")]
