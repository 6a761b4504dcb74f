"""notify(): one notice per person in the caller's transaction, and copies by SMS and e-mail
to the people whose choices (or the defaults) ask for them — exactly those outbox rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from banchengshi.notify.inbox import notify, people_of, people_with
from banchengshi.notify.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxMessage,
)
from banchengshi.org.models import Role, StaffProfile
from tests.cases.conftest import NOW, CaseBuilder, Org

pytestmark = pytest.mark.django_db
K = NotificationKind
MOBILE = "13912345678"


def outbox() -> list[tuple[str, str, str, dict[str, Any], int | None]]:
    return list(
        OutboxMessage.objects.order_by("id").values_list(
            "channel", "recipient", "template", "payload", "case_id"
        )
    )


def choose(user: Any, kind: NotificationKind, *, sms: bool = False, email: bool = False) -> None:
    NotificationPreference.objects.create(user=user, kind=kind, sms=sms, email=email)


def test_who_is_told(org: Org) -> None:
    assert people_of([org.dept_a.pk]) == sorted([org.handler_a.pk, org.leader_a.pk])
    assert people_of([org.dept_a.pk], [Role.UNIT_LEADER]) == [org.leader_a.pk]
    org.leader_a.is_active = False
    org.leader_a.save()
    assert people_of([org.dept_a.pk]) == [org.handler_a.pk]
    assert people_with([Role.SYSADMIN]) == [org.sysadmin.pk]


def test_one_notice_each_and_no_copies_by_default(org: Org, cases: CaseBuilder) -> None:
    case = cases.awaiting()
    OutboxMessage.objects.all().delete()
    count = notify(
        user_ids=[org.handler_b.pk, org.handler_a.pk, org.handler_b.pk],
        kind=K.CASE_DISPATCHED,
        case_id=case.pk,
        params={"unit": "区人社局"},
    )
    assert count == 2
    rows = Notification.objects.order_by("user_id").values_list(
        "user_id", "kind", "case_id", "params", "created_at", "read_at"
    )
    assert list(rows) == [
        (org.handler_a.pk, "case.dispatched", case.pk, {"unit": "区人社局"}, NOW, None),
        (org.handler_b.pk, "case.dispatched", case.pk, {"unit": "区人社局"}, NOW, None),
    ]
    assert outbox() == []


def test_copies_follow_each_persons_choice(org: Org, cases: CaseBuilder) -> None:
    case = cases.awaiting()
    OutboxMessage.objects.all().delete()
    org.handler_a.email = "handler.a@putuo.example"
    org.handler_a.save()
    StaffProfile.objects.create(user=org.handler_a, mobile=MOBILE)
    org.handler_b.email = "handler.b@putuo.example"
    org.handler_b.save()
    choose(org.handler_a, K.CASE_DISPATCHED, sms=True, email=True)
    choose(org.handler_b, K.CASE_DISPATCHED, email=True)
    choose(org.leader_a, K.CASE_DISPATCHED, sms=True)  # but no mobile number: no SMS
    notify(
        user_ids=[org.handler_a.pk, org.handler_b.pk, org.leader_a.pk],
        kind=K.CASE_DISPATCHED,
        case_id=case.pk,
        params={"unit": "区市场监管局"},
    )
    email = {
        "subject": f"有案件派至本单位：{case.tracking_no}",
        "body": f"案件 {case.tracking_no} 已派发至区市场监管局。\n\n请登录工作台，在“通知”中查看。",
    }
    sms = {"tracking_no": case.tracking_no, "what": "有案件派至本单位"}
    assert outbox() == [
        ("sms", MOBILE, "staff_notification", sms, case.pk),
        ("email", "handler.a@putuo.example", "staff_notification", email, case.pk),
        ("email", "handler.b@putuo.example", "staff_notification", email, case.pk),
    ]
    assert Notification.objects.count() == 3


def test_the_defaults_apply_until_a_person_chooses(org: Org, cases: CaseBuilder) -> None:
    """supervision.opened goes by SMS by default (notify/preferences.toml)."""
    case = cases.awaiting()
    OutboxMessage.objects.all().delete()
    StaffProfile.objects.create(user=org.handler_a, mobile=MOBILE)
    StaffProfile.objects.create(user=org.leader_a, mobile="13700000000")
    choose(org.leader_a, K.SUPERVISION_OPENED)  # inbox only
    notify(
        user_ids=[org.handler_a.pk, org.leader_a.pk],
        kind=K.SUPERVISION_OPENED,
        case_id=case.pk,
        params={"round": 2, "due": "2026-11-30T23:59:59.999999+08:00"},
    )
    assert outbox() == [
        (
            "sms",
            MOBILE,
            "staff_notification",
            {"tracking_no": case.tracking_no, "what": "已启动督办"},
            case.pk,
        )
    ]


def test_a_notice_about_no_case(org: Org) -> None:
    org.sysadmin.email = "admin@putuo.example"
    org.sysadmin.save()
    notify(user_ids=[org.sysadmin.pk], kind=K.CALENDAR_MISSING_YEAR, params={"year": 2027})
    assert outbox() == [
        (
            "email",
            "admin@putuo.example",
            "staff_notification",
            {
                "subject": "下一年度放假安排尚未导入",
                "body": "2027 年的放假安排尚未导入，落在该年的期限为暂定。请在“系统管理”中导入。"
                "\n\n请登录工作台，在“通知”中查看。",
            },
            None,
        )
    ]


def test_a_change_that_rolls_back_notifies_nobody(org: Org) -> None:
    org.sysadmin.email = "admin@putuo.example"
    org.sysadmin.save()
    with transaction.atomic():
        notify(user_ids=[org.sysadmin.pk], kind=K.WEBHOOK_DISABLED, params={"url": "https://x"})
        transaction.set_rollback(True)
    assert not Notification.objects.exists()
    assert outbox() == []


def test_the_queries_do_not_grow_with_the_people_told(org: Org, cases: CaseBuilder) -> None:
    case = cases.awaiting()
    everyone = [org.user(name).pk for name in ("handler_a", "leader_a", "handler_b", "clerk")]
    with CaptureQueriesContext(connection) as few:
        notify(user_ids=everyone[:1], kind=K.CASE_DISPATCHED, case_id=case.pk)
    with CaptureQueriesContext(connection) as many:
        notify(user_ids=everyone, kind=K.CASE_DISPATCHED, case_id=case.pk)
    assert len(few) == len(many) == 2
