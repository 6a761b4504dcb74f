"""Recording a paper form or an online rating (R-NB-4): the row, its event on the audit chain,
and a 差评's handling opened with its clock."""

from __future__ import annotations

import pytest

from banchengshi.audit.models import AuditEvent
from banchengshi.errors import Forbidden, InvalidInput
from banchengshi.evaluation.actions.recording import check_record
from banchengshi.evaluation.models import (
    BadReview,
    Evaluation,
    EvaluationChannel,
    HandlingStatus,
)
from banchengshi.notify.models import Notification, NotificationKind
from tests.cases.conftest import end_of, sh

pytestmark = pytest.mark.django_db


def test_it_records_a_paper_form(org, rate):
    evaluation = rate(4, comment="窗口服务热情", evaluated_at=sh(2026, 11, 19, 15))
    assert (evaluation.level, evaluation.channel, evaluation.unit) == (4, "paper", org.hall)
    assert evaluation.recorded_by == org.windowhead
    assert evaluation.evaluated_at == sh(2026, 11, 19, 15)
    assert list(evaluation.events.values_list("action", flat=True)) == ["recorded"]
    audit = AuditEvent.objects.get(action="evaluation.recorded")
    assert audit.case_id is None
    assert audit.payload == {
        "evaluation": evaluation.pk,
        "unit": org.hall.pk,
        "level": 4,
        "channel": "paper",
        "subject": "window",
    }
    assert not BadReview.objects.exists()


def test_it_opens_the_handling_of_a_bad_review_with_five_working_days(org, rate):
    evaluation = rate(1, comment="等了两个小时")
    task = BadReview.objects.get(evaluation=evaluation)
    assert task.status == HandlingStatus.TO_VERIFY
    # Friday 2026-11-20: five working days end on Friday 2026-11-27.
    assert task.due == end_of(2026, 11, 27)
    assert task.remind_at is not None
    told = Notification.objects.filter(kind=NotificationKind.BAD_REVIEW_OPENED)
    assert list(told.values_list("user__username", flat=True)) == ["windowhead"]
    assert told.get().params == {
        "evaluation": evaluation.pk,
        "unit": "区政务服务中心大厅",
        "due": end_of(2026, 11, 27).isoformat(),
    }


def test_it_refuses_a_level_out_of_the_five(rate):
    with pytest.raises(InvalidInput) as refused:
        rate(6)
    assert refused.value.errors == {"level": ["Choose one of the five ratings."]}
    assert not Evaluation.objects.exists()


def test_it_refuses_an_unknown_subject_kind(rate):
    with pytest.raises(InvalidInput) as refused:
        rate(4, subject_kind="haircut")
    assert refused.value.errors == {"subject_kind": ["Choose what was rated."]}


def test_it_refuses_a_future_date(rate):
    with pytest.raises(InvalidInput) as refused:
        rate(4, evaluated_at=sh(2026, 11, 21))
    assert refused.value.errors == {"evaluated_at": ["The rating cannot be in the future."]}


def test_it_refuses_a_too_long_comment(rate):
    with pytest.raises(InvalidInput) as refused:
        rate(4, comment="长" * 501)
    assert refused.value.errors == {"comment": ["The text is too long (at most 500 characters)."]}


def test_it_refuses_a_staff_member_of_another_unit(org, rate):
    with pytest.raises(InvalidInput) as refused:
        rate(4, staff_id=org.handler_b.pk)
    assert refused.value.errors == {"staff_id": ["This person does not work at the unit rated."]}


def test_it_refuses_an_unknown_unit(rate):
    with pytest.raises(InvalidInput) as refused:
        rate(4, unit_id=10**30)
    assert refused.value.errors == {"unit_id": ["There is no such unit."]}


def test_it_refuses_staff_of_another_unit(org, rate):
    with pytest.raises(Forbidden) as refused:
        rate(4, actor=org.handler_b)
    assert refused.value.message == (
        "Only the staff of the unit rated, or the office, record its ratings."
    )


def test_it_lets_the_office_record_for_any_unit(org, rate):
    assert rate(4, actor=org.officeadmin, unit_id=org.dept_b.pk).unit == org.dept_b


def test_it_refuses_the_tablet_channel_here(org):
    with pytest.raises(InvalidInput) as refused:
        check_record(
            org.windowhead,
            channel=EvaluationChannel.WINDOW_TABLET,
            unit_id=org.hall.pk,
            level=4,
            subject_kind="window",
        )
    assert refused.value.errors == {"channel": ["Ratings of this channel arrive by their own way."]}
