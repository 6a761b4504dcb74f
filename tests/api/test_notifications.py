"""GET /api/v1/notifications and marking read: the caller's own notices only, newest first,
worded in the request's language, in pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from banchengshi.notify.inbox import notify
from banchengshi.notify.models import Notification, NotificationKind
from tests.api.conftest import Api, District, registration
from tests.cases.conftest import FrozenTime, frozen_time, sh  # noqa: F401

AsUser = Callable[..., Api]


def dispatched(district: District, as_user: AsUser) -> dict[str, Any]:
    """A case screened at the hall and dispatched to the department owning its matter."""
    clerk = as_user("clerk")
    case = clerk.ok("/cases", registration(district), status=201)
    return clerk.ok(f"/cases/{case['id']}/screen", {"admissible": True})


def test_the_list_with_exact_items(
    district: District,
    as_user: AsUser,
    frozen_time: FrozenTime,  # noqa: F811
) -> None:
    case = dispatched(district, as_user)
    frozen_time.set(sh(2026, 11, 20, 11, 30))
    notify(
        user_ids=[district.users["handler"].pk],
        kind=NotificationKind.CALENDAR_MISSING_YEAR,
        params={"year": 2027},
    )
    body = as_user("handler").get("/notifications").json()
    dispatched_id, missing_id = (
        Notification.objects.filter(user=district.users["handler"])
        .order_by("id")
        .values_list("id", flat=True)
    )
    assert body == {
        "items": [
            {
                "id": missing_id,
                "kind": "calendar.missing_year",
                "case_id": None,
                "tracking_no": None,
                "text": "The holiday schedule of 2027 is not loaded; deadlines in it are "
                "provisional. Load it under Administration.",
                "created_at": "2026-11-20T11:30:00+08:00",
                "read": False,
            },
            {
                "id": dispatched_id,
                "kind": "case.dispatched",
                "case_id": case["id"],
                "tracking_no": case["tracking_no"],
                "text": f"Case {case['tracking_no']} was dispatched to 区市场监管局.",
                "created_at": "2026-11-20T10:00:00+08:00",
                "read": False,
            },
        ],
        "total": 2,
        "total_cap": 1000,
        "unread": 2,
        "limit": 25,
        "offset": 0,
    }
    chinese = as_user("handler", "zh-hans").get("/notifications", limit=1, offset=1).json()
    assert [item["text"] for item in chinese["items"]] == [
        f"案件 {case['tracking_no']} 已派发至区市场监管局。"
    ]
    assert (chinese["total"], chinese["limit"], chinese["offset"]) == (2, 1, 1)


def test_marking_read_and_the_unread_filter(
    district: District,
    as_user: AsUser,
    frozen_time: FrozenTime,  # noqa: F811
) -> None:
    case = dispatched(district, as_user)
    handler = as_user("handler")
    (notice,) = handler.get("/notifications").json()["items"]
    frozen_time.set(sh(2026, 11, 20, 10, 5))
    read = handler.ok(f"/notifications/{notice['id']}/read")
    assert read == {**notice, "read": True}
    # Again: nothing changes, the first reading stays.
    assert handler.ok(f"/notifications/{notice['id']}/read") == read
    row = Notification.objects.get(pk=notice["id"])
    assert row.read_at == sh(2026, 11, 20, 10, 5)
    body = handler.get("/notifications", unread="true").json()
    assert (body["items"], body["total"], body["unread"]) == ([], 0, 0)
    # The leader of the same unit has their own notice, still unread; all of it marked at once.
    leader = as_user("leader")
    assert leader.get("/notifications", unread="true").json()["unread"] == 1
    assert leader.ok("/notifications/read") == {"marked": 1}
    assert leader.ok("/notifications/read") == {"marked": 0}
    assert case["tracking_no"] == notice["tracking_no"]


def test_another_persons_notice_is_not_found(
    district: District,
    as_user: AsUser,
    frozen_time: FrozenTime,  # noqa: F811
) -> None:
    dispatched(district, as_user)
    theirs = Notification.objects.get(user=district.users["leader"])
    for number in (theirs.pk, 99_999_999):
        response = as_user("handler").post(f"/notifications/{number}/read")
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "message": "There is no notice with this number among yours.",
            "field": None,
        }
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert as_user("other_handler").get("/notifications").json()["items"] == []


def test_bad_parameters_are_refused_in_words(district: District, as_user: AsUser) -> None:
    handler = as_user("handler")
    response = handler.get("/notifications", unread="maybe", limit=0)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "unread": ["Enter a valid value."],
        "limit": ["Ensure this value is greater than or equal to 1."],
    }
    assert handler.post("/notifications/0/read").status_code == 422
    assert Client().get("/api/v1/notifications").status_code == 401
