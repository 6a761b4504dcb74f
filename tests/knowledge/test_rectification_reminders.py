"""Reminders of a rectification's deadline: each level once, to the owner unit (and the office
at red), under a frozen clock. The item opened Friday 2026-11-20 is due 2026-12-18 (20 working
days); putuo's times: 48 hours before (moved into working hours), yellow 24 hours before."""

from __future__ import annotations

import pytest

from banchengshi.knowledge.models import RectificationItem, RectificationReminder
from banchengshi.knowledge.rectification.actions import check_report_done
from banchengshi.knowledge.rectification.reminders import sweep
from banchengshi.notify.models import Notification, NotificationKind
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def told(kind: NotificationKind) -> list[str]:
    rows = Notification.objects.filter(kind=kind).order_by("user__username")
    return list(rows.values_list("user__username", flat=True))


def test_each_level_once_to_the_unit_and_the_office_at_red(org, analysed):
    analysed()
    item = RectificationItem.objects.get()
    assert item.remind_at == sh(2026, 12, 17, 9)
    assert sweep(sh(2026, 12, 17, 8, 55)).sent == {}
    assert sweep(sh(2026, 12, 17, 9)).sent == {"before_yellow": 1}
    assert sweep(sh(2026, 12, 17, 9, 5)).sent == {}
    assert told(NotificationKind.RECTIFICATION_DUE_SOON) == ["handlerA", "leaderA"]
    assert sweep(sh(2026, 12, 18, 0, 0)).sent == {"yellow": 1}
    assert sweep(sh(2026, 12, 19, 0, 0)).sent == {"red": 1}
    assert sweep(sh(2026, 12, 25)).sent == {}
    assert told(NotificationKind.RECTIFICATION_OVERDUE) == ["handlerA", "leaderA", "officeadmin"]
    assert list(
        RectificationReminder.objects.order_by("id").values_list("level", "recipients")
    ) == [
        ("before_yellow", 2),
        ("yellow", 2),
        ("red", 3),
    ]
    assert RectificationItem.objects.get().remind_at is None


def test_a_late_sweep_sends_only_the_most_severe_level(analysed):
    analysed()
    assert sweep(sh(2026, 12, 21, 10)).sent == {"red": 1}
    assert sweep(sh(2026, 12, 22, 10)).sent == {}


def test_a_reported_item_is_not_reminded(org, analysed):
    analysed()
    check_report_done(org.handler_a, RectificationItem.objects.get().pk, evidence="已修订审批流程")
    assert sweep(sh(2026, 12, 21, 10)).items == 0
