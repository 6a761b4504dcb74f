"""Rectification items (R-KB-2): opened by a department-side cause, reported done, verified or
sent back by the office; each change with its event and audit record."""

from __future__ import annotations

import pytest
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.errors import Forbidden, InvalidInput, InvalidState
from banchengshi.knowledge.models import (
    FixTarget,
    RectificationCase,
    RectificationEvent,
    RectificationItem,
    RectificationStatus,
)
from banchengshi.knowledge.rectification.actions import (
    check_report_done,
    check_send_back,
    check_verify,
)
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.policy.rules import DEFAULT_RECTIFICATION, parse_policy
from tests.cases.conftest import end_of

pytestmark = pytest.mark.django_db


def only_item() -> RectificationItem:
    return RectificationItem.objects.get()


def test_a_department_side_cause_opens_an_item(org, analysed):
    case = analysed("process")
    item = only_item()
    assert (item.unit, item.cause_code, item.target) == (org.dept_a, "process", FixTarget.PROCESS)
    assert item.status == RectificationStatus.OPEN
    # 20 working days from Friday 2026-11-20 (the default limit: putuo names none).
    assert item.due == end_of(2026, 12, 18)
    assert list(RectificationCase.objects.values_list("case_id", flat=True)) == [case.pk]
    assert list(RectificationEvent.objects.values_list("action", "actor__username")) == [
        ("opened", "handlerA")
    ]
    audit = AuditEvent.objects.get(action="rectification.opened")
    assert audit.case_id is None
    assert audit.payload == {
        "item": item.pk,
        "unit": org.dept_a.pk,
        "status": "open",
        "case": case.pk,
    }
    told = Notification.objects.filter(kind=NotificationKind.RECTIFICATION_OPENED)
    assert sorted(told.values_list("user__username", flat=True)) == ["handlerA", "leaderA"]


def test_a_petitioner_side_cause_opens_none(analysed):
    analysed("materials")
    analysed("other", side="petitioner")
    assert not RectificationItem.objects.exists()


def test_either_side_cause_said_to_be_the_departments_opens_one(analysed):
    analysed("other", side="department")
    assert only_item().target == FixTarget.PROCESS


def test_a_second_case_of_the_same_unit_and_cause_joins_the_open_item(analysed):
    first, second = analysed("policy"), analysed("policy")
    analysed("system_fault")
    item = RectificationItem.objects.get(cause_code="policy")
    assert item.target == FixTarget.SERVICE_GUIDE
    assert sorted(item.links.values_list("case_id", flat=True)) == [first.pk, second.pk]
    assert list(item.events.values_list("action", flat=True)) == ["opened", "case_added"]
    assert RectificationItem.objects.count() == 2


def test_done_then_verified(org, analysed, frozen_time):
    analysed()
    item = only_item()
    frozen_time.advance(days=3)
    done = check_report_done(org.leader_a, item.pk, evidence="已修订审批流程，取消重复提交")
    assert (done.status, done.evidence, done.done_by) == (
        "done",
        "已修订审批流程，取消重复提交",
        org.leader_a,
    )
    assert done.remind_at is None
    verified = check_verify(org.officeadmin, item.pk, note="抽查三件，已不再重复提交")
    assert verified.status == RectificationStatus.VERIFIED
    assert list(item.events.values_list("action", "note")) == [
        ("opened", ""),
        ("done", "已修订审批流程，取消重复提交"),
        ("verified", "抽查三件，已不再重复提交"),
    ]
    assert AuditEvent.objects.filter(action__startswith="rectification.").count() == 3


def test_sent_back_opens_it_again_and_tells_the_unit(org, analysed):
    analysed()
    item = only_item()
    check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
    back = check_send_back(org.officeadmin, item.pk, reason="办事指南尚未更新")
    assert back.status == RectificationStatus.OPEN
    assert back.remind_at is not None
    assert Notification.objects.filter(kind=NotificationKind.RECTIFICATION_SENT_BACK).count() == 2
    # Open again: a new case of the same cause joins it.
    analysed()
    assert RectificationItem.objects.count() == 1


def test_a_case_of_the_cause_after_done_opens_a_new_item(org, analysed):
    analysed()
    first = only_item()
    check_report_done(org.handler_a, first.pk, evidence="已修订审批流程")
    analysed()
    assert RectificationItem.objects.count() == 2
    with translation.override("en"):
        with pytest.raises(InvalidState) as refused:
            check_send_back(org.officeadmin, first.pk, reason="办事指南尚未更新")
        assert str(refused.value.message) == (
            "Another rectification of this unit and cause is open; verify this one."
        )


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("handler_b", "Only the owner unit's handlers and leaders report its rectification."),
        ("officeadmin", "Only the owner unit's handlers and leaders report its rectification."),
        ("handler_a1", "Only the owner unit's handlers and leaders report its rectification."),
    ],
)
def test_only_the_owner_unit_reports_done(org, analysed, user, message):
    analysed()
    with translation.override("en"):
        with pytest.raises(Forbidden) as refused:
            check_report_done(org.user(user), only_item().pk, evidence="已修订审批流程")
        assert str(refused.value.message) == message


@pytest.mark.parametrize("user", ["handler_a", "leader_a", "dispatcher", "inspector"])
def test_only_the_office_verifies_and_sends_back(org, analysed, user):
    analysed()
    item = only_item()
    check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
    with translation.override("en"):
        for act in (
            lambda: check_verify(org.user(user), item.pk),
            lambda: check_send_back(org.user(user), item.pk, reason="办事指南尚未更新"),
        ):
            with pytest.raises(Forbidden) as refused:
                act()
            assert str(refused.value.message) == "Only the office verifies rectifications."


def test_wrong_states_are_refused_with_their_message(org, analysed):
    analysed()
    item = only_item()
    with translation.override("en"):
        with pytest.raises(InvalidState) as refused:
            check_verify(org.officeadmin, item.pk)
        assert str(refused.value.message) == "Only a rectification reported done can be verified."
        with pytest.raises(InvalidState) as refused:
            check_send_back(org.officeadmin, item.pk, reason="办事指南尚未更新")
        assert str(refused.value.message) == "Only a rectification reported done can be sent back."
        check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
        with pytest.raises(InvalidState) as refused:
            check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
        assert str(refused.value.message) == "Only an open rectification can be reported done."


def test_evidence_and_reason_are_required_in_words(org, analysed):
    analysed()
    item = only_item()
    with translation.override("zh-hans"):
        with pytest.raises(InvalidInput) as refused:
            check_report_done(org.handler_a, item.pk, evidence="  ")
        assert refused.value.errors == {"evidence": ["此项为必填项。"]}
        with pytest.raises(InvalidInput) as refused:
            check_report_done(org.handler_a, item.pk, evidence="已改")
        assert refused.value.field == "evidence"
        assert str(refused.value.message) == "整改证明至少需 5 个字。"
    check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
    with translation.override("en"):
        with pytest.raises(InvalidInput) as refused:
            check_send_back(org.officeadmin, item.pk, reason="no")
        assert str(refused.value.message) == "The reason needs at least 5 characters."


def test_a_policy_may_set_the_limit_and_stored_ones_get_the_default():
    with_limit = parse_policy(
        """
name = "x"
version = "1"
yellow_hours = 24
[limits."reply"]
rule = "working_days"
days = 3
[limits."rectification"]
rule = "working_days"
days = 30
[clocks]
rectification = "rectification"
[clocks.reply]
by = "complexity"
default = "reply"
""",
        "x.toml",
    )
    assert with_limit.rectification_limit().days == 30
    without = parse_policy(
        'name = "y"\nversion = "1"\nyellow_hours = 24\n[limits."reply"]\nrule = "same_day"\n'
        '[clocks]\n[clocks.reply]\nby = "complexity"\ndefault = "reply"\n',
        "y.toml",
    )
    assert without.rectification_limit() == DEFAULT_RECTIFICATION
