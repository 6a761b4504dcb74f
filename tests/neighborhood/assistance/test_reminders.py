"""Reminders of a request's deadline under a frozen clock: registered Friday 2026-11-20 10:00,
its review is due Tuesday 2026-11-24 (2 working days); putuo's working hours and 48 hours
before, yellow 24 hours before (policy.toml). Each level once, to the street's neighbourhood
staff, the window heads at red, and the staff member assigned to a visit."""

from __future__ import annotations

import pytest

from banchengshi.neighborhood.assistance.actions import check_review, check_schedule
from banchengshi.neighborhood.assistance.models import AssistanceReminder, AssistanceRequest
from banchengshi.neighborhood.assistance.policy import (
    POLICY_FILE,
    AssistancePolicyError,
    parse_policy,
)
from banchengshi.neighborhood.assistance.reminders import sweep
from banchengshi.neighborhood.jobs import assistance_reminders
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.notify.wording import notice_text
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def told(kind: NotificationKind) -> list[str]:
    rows = Notification.objects.filter(kind=kind).order_by("user__username")
    return list(rows.values_list("user__username", flat=True))


def test_each_level_once_to_the_street(streets):
    request = streets.request()
    assert request.remind_at == sh(2026, 11, 23, 9)
    assert sweep(sh(2026, 11, 23, 8, 55)).sent == {}
    assert sweep(sh(2026, 11, 23, 9)).sent == {"before_yellow": 1}
    assert sweep(sh(2026, 11, 23, 9, 5)).sent == {}
    assert told(NotificationKind.ASSISTANCE_DUE_SOON) == ["s1staff"]
    assert sweep(sh(2026, 11, 24, 0, 0)).sent == {"yellow": 1}
    assert sweep(sh(2026, 11, 25, 0, 0)).sent == {"red": 1}
    assert sweep(sh(2026, 11, 30)).sent == {}
    assert told(NotificationKind.ASSISTANCE_OVERDUE) == ["s1head", "s1staff"]
    assert list(
        AssistanceReminder.objects.order_by("id").values_list("clock", "level", "recipients")
    ) == [("review", "before_yellow", 1), ("review", "yellow", 1), ("review", "red", 2)]
    assert AssistanceRequest.objects.get().remind_at is None


def test_the_notice_names_the_request_and_its_clock(streets):
    request = streets.request()
    sweep(sh(2026, 11, 25, 10))
    notice = Notification.objects.get(user=streets.s1head)
    assert notice_text(notice.kind, notice.params, None) == (
        f"Door-to-door request no. {request.pk}: the review is overdue since 2026-11-24 23:59."
    )


def test_a_reviewed_request_is_not_reminded(streets):
    request = streets.request()
    check_review(streets.s1staff, request.pk, eligible=True, note="符合条件，安排上门")
    assert sweep(sh(2026, 11, 30)).requests == 0


def test_the_visit_reminds_the_staff_member_sent(streets, frozen_time):
    request = streets.request()
    check_review(streets.s1staff, request.pk, eligible=True, note="符合条件，安排上门")
    check_schedule(
        streets.s1staff,
        request.pk,
        appointment=sh(2026, 11, 26, 14),
        staff_id=streets.p1staff.pk,
        materials=["身份证"],
    )
    assert sweep(sh(2026, 11, 26, 14, 5)).sent == {"red": 1}
    assert told(NotificationKind.ASSISTANCE_OVERDUE) == ["p1staff", "s1head", "s1staff"]


def test_the_job_sweeps_at_its_slot(streets):
    streets.request()
    assistance_reminders(sh(2026, 11, 25, 10))
    assert AssistanceReminder.objects.get().level == "red"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "review_days = 2",
            "review_days = 0",
            "t.toml: review_days must be a whole number from 1 to 250",
        ),
        (
            "[levels.red]",
            "[levels.orange]",
            "t.toml: [levels] must name before_yellow, yellow, red",
        ),
        ('"window_head"', '"mayor"', "t.toml: [levels.red] at_street: a list of roles among "),
        ("review_days = 2", "speed = 2", "t.toml: unknown keys speed"),
    ],
)
def test_a_wrong_policy_file_is_refused(old, new, message):
    text = POLICY_FILE.read_text(encoding="utf-8").replace(old, new)
    with pytest.raises(AssistancePolicyError) as caught:
        parse_policy(text, "t.toml")
    assert str(caught.value).startswith(message)


def test_the_packaged_policy_is_valid():
    policy = parse_policy(POLICY_FILE.read_text(encoding="utf-8"), "policy.toml")
    assert (policy.review_days, policy.approval_days) == (2, 20)
