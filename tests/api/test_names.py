"""The API writes people's names surname first (邓桂英), as the pages do."""

from __future__ import annotations

from tests.api.conftest import District, registration
from tests.api.test_lifecycle import AsUser


def test_me_and_the_records_name_people_surname_first(district: District, as_user: AsUser) -> None:
    handler = district.users["handler"]
    handler.first_name, handler.last_name = "桂英", "邓"
    handler.save()
    api = as_user("handler")
    me = api.get("/me").json()
    assert (me["username"], me["full_name"]) == ("handler", "邓桂英")

    cid = as_user("clerk").ok("/cases", registration(district), status=201)["id"]
    as_user("clerk").ok(f"/cases/{cid}/screen", {"admissible": True, "complexity": "general"})
    api.ok(f"/cases/{cid}/receive")
    api.ok(f"/cases/{cid}/extension", {"days": 1, "reason": "需要跨部门调取档案"})
    [asked] = api.get(f"/cases/{cid}").json()["clock_requests"]
    assert (asked["requested_by"], asked["decided_by"]) == ("邓桂英", "")
