"""Reminders of 差评 handling deadlines, with the clock frozen."""

from __future__ import annotations

import pytest
from django.utils import timezone

from banchengshi.evaluation.actions.handling import check_answer, check_close, check_verify
from banchengshi.evaluation.models import BadReviewReminder
from banchengshi.evaluation.reminders import sweep
from banchengshi.notify.models import Notification, NotificationKind
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def test_it_reminds_before_and_after_the_deadline_once_each(org, rate, frozen_time):
    bad = rate(1)
    assert sweep(timezone.now()).sent == {}
    frozen_time.set(sh(2026, 11, 27, 9))  # the deadline's day: yellow
    assert sweep(timezone.now()).sent == {"yellow": 1}
    assert sweep(timezone.now()).sent == {}
    frozen_time.set(sh(2026, 11, 30, 9))  # the next working day: red, the office too
    assert sweep(timezone.now()).sent == {"red": 1}
    assert list(
        Notification.objects.filter(kind=NotificationKind.BAD_REVIEW_OVERDUE)
        .order_by("user__username")
        .values_list("user__username", flat=True)
    ) == ["officeadmin", "windowhead"]
    assert list(BadReviewReminder.objects.values_list("level", flat=True).order_by("id")) == [
        "yellow",
        "red",
    ]
    assert bad.handling.due < timezone.now()


def test_a_closed_bad_review_is_not_reminded(org, rate, frozen_time):
    bad = rate(1)
    check_verify(org.windowhead, bad.pk, genuine=False, finding="非本中心业务的评价")
    check_answer(org.windowhead, bad.pk, answer="已为您指引正确的办理地点。")
    check_close(org.windowhead, bad.pk)
    frozen_time.set(sh(2026, 11, 30, 9))
    assert sweep(timezone.now()).sent == {}
    assert not BadReviewReminder.objects.exists()
