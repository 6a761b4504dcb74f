"""GET /cases/{id}/similar, linking, a group's answer and GET /hotspots (R-KB-3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from banchengshi.knowledge.hotspots import concentrations
from banchengshi.policy.rules import HotspotRules
from tests.api.conftest import Api, District, registration
from tests.knowledge.conftest import use_hotspot_rules

AsUser = Callable[..., Api]


def dispatched(district: District, as_user: AsUser, **changes: Any) -> dict[str, Any]:
    clerk = as_user("clerk")
    case = clerk.ok("/cases", registration(district, **changes), status=201)
    return clerk.ok(f"/cases/{case['id']}/screen", {"admissible": True})


def test_similar_then_link_then_answer(district: District, as_user: AsUser) -> None:
    first = dispatched(district, as_user)
    second = dispatched(district, as_user, description="食品经营许可因营业执照变更无法办理")
    dispatcher = as_user("dispatcher")
    body = dispatcher.get(f"/cases/{first['id']}/similar").json()
    assert body["group_id"] is None
    [item] = body["items"]
    assert item["case"]["tracking_no"] == second["tracking_no"]
    assert (item["same_matter"], item["same_cause"], item["group_id"]) == (True, False, None)
    assert "张三" not in str(body)
    assert "138" not in str(body)

    group = dispatcher.ok(f"/cases/{first['id']}/similar/link", {"case_ids": [second["id"]]})
    assert [c["id"] for c in group["cases"]] == [first["id"], second["id"]]
    assert dispatcher.get(f"/cases/{first['id']}/similar").json()["group_id"] == group["id"]

    # Both are dispatched, not received: each reply is refused and reported, none is sent.
    answer = dispatcher.ok(f"/groups/{group['id']}/answer", {"text": "已统一材料清单，请补交"})
    assert answer["sent"] == []
    assert [(r["tracking_no"], r["reason"]) for r in answer["refused"]] == [
        (first["tracking_no"], "This cannot be done now: the case is dispatched."),
        (second["tracking_no"], "This cannot be done now: the case is dispatched."),
    ]


def test_link_refusals(district: District, as_user: AsUser) -> None:
    first = dispatched(district, as_user)
    response = as_user("clerk").post(f"/cases/{first['id']}/similar/link", {"case_ids": [0]})
    assert response.status_code == 422
    response = as_user("other_handler").post(
        f"/cases/{first['id']}/similar/link", {"case_ids": [first["id"] + 1]}
    )
    assert response.status_code == 404
    assert as_user("other_handler").get("/groups/1").status_code == 404


def test_hotspots_list(
    district: District, as_user: AsUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [dispatched(district, as_user) for _ in range(2)]
    rules = HotspotRules(period_days=30, thresholds=(("matter", 2),))
    use_hotspot_rules(monkeypatch, rules)
    concentrations.raise_hotspots(timezone.now())
    [alert] = as_user("dispatcher").get("/hotspots").json()["items"]
    assert (alert["dimension"], alert["subject"], alert["count"], alert["threshold"]) == (
        "matter",
        "食品经营许可",
        2,
        2,
    )
    assert {c["tracking_no"] for c in alert["cases"]} == {c["tracking_no"] for c in cases}
    refused = as_user("clerk").get("/hotspots")
    assert (refused.status_code, refused.json()["message"]) == (
        403,
        "Hot spots are shown to the office and the dispatch hub.",
    )
    assert as_user("dispatcher").get(f"/hotspots/{alert['id']}").json()["id"] == alert["id"]
    assert as_user("dispatcher").get("/hotspots/999").status_code == 404
