"""Personal data is masked for roles that do not contact the petitioner (R-Q-3)."""

from __future__ import annotations

from collections.abc import Callable

from tests.api.conftest import MOBILE, Api, District, registration

AsUser = Callable[..., Api]


def test_phone_and_id_number_by_role(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    cid = clerk.ok("/cases", registration(district), status=201)["id"]
    clerk.ok(f"/cases/{cid}/screen", {"admissible": True})

    seen = {
        name: as_user(name).get(f"/cases/{cid}").json()
        for name in ("clerk", "handler", "dispatcher", "inspector", "leader")
    }
    for name in ("clerk", "handler", "dispatcher"):
        assert seen[name]["phone"] == MOBILE, name
        assert seen[name]["id_number"] == "11010519491231002X", name
        assert seen[name]["personal_data_visible"] is True
    for name in ("inspector", "leader"):
        assert seen[name]["phone"] == "138****5678", name
        assert seen[name]["id_number"] == "110105********002X", name
        assert seen[name]["personal_data_visible"] is False
    assert MOBILE not in str(seen["inspector"])


def test_actions_answer_with_the_masked_view_too(district: District, as_user: AsUser) -> None:
    body = registration(district, matter_id=None, matter_text="目录外事项")
    cid = as_user("clerk").ok("/cases", body, status=201)["id"]
    as_user("clerk").ok(f"/cases/{cid}/screen", {"admissible": True})
    case = as_user("dispatcher").ok(f"/cases/{cid}/dispatch", {"unit_id": district.dept.pk})
    assert case["phone"] == MOBILE
    leader = as_user("leader").ok(f"/cases/{cid}/receive")
    assert leader["phone"] == "138****5678"
