"""The window's evaluation tablet: a clerk pushes the transaction, the citizen taps a face."""

from __future__ import annotations

import pytest
from django.utils import timezone

from banchengshi.errors import Forbidden, InvalidInput, InvalidState
from banchengshi.evaluation.actions.tablet import check_push, check_rate_push, open_pushes
from banchengshi.evaluation.models import TabletPush
from banchengshi.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_pushed_transaction_is_rated_once(org):
    pushed = check_push(org.clerk, matter_id=org.matter_h.pk)
    assert pushed.unit == org.hall
    evaluation = check_rate_push(org.clerk, pushed.pk, level=5)
    assert (evaluation.channel, evaluation.subject_kind, evaluation.subject_id) == (
        "window_tablet",
        "window",
        str(pushed.pk),
    )
    assert (evaluation.staff, evaluation.matter, evaluation.unit) == (
        org.clerk,
        org.matter_h,
        org.hall,
    )
    with pytest.raises(InvalidState) as refused:
        check_rate_push(org.clerk, pushed.pk, level=1)
    assert refused.value.message == "This transaction has been rated already."


def test_a_new_push_ends_the_one_before(org):
    first = check_push(org.clerk, matter_id=org.matter_h.pk)
    second = check_push(org.clerk, matter_id=org.matter_h.pk)
    assert list(open_pushes(org.clerk, timezone.now())) == [second]
    with pytest.raises(InvalidState) as refused:
        check_rate_push(org.clerk, first.pk, level=5)
    assert refused.value.message == "This rating screen has expired; push the transaction again."


def test_a_push_expires(org, frozen_time):
    pushed = check_push(org.clerk, matter_id=org.matter_h.pk)
    frozen_time.advance(minutes=10)
    assert list(open_pushes(org.clerk, timezone.now())) == []
    with pytest.raises(InvalidState):
        check_rate_push(org.clerk, pushed.pk, level=5)


def test_another_clerk_cannot_rate_on_it(org):
    pushed = check_push(org.clerk, matter_id=org.matter_h.pk)
    with pytest.raises(Forbidden) as refused:
        check_rate_push(org.windowhead, pushed.pk, level=5)
    assert refused.value.message == "This rating screen was opened by another member of staff."


def test_only_window_staff_push(org):
    with pytest.raises(Forbidden) as refused:
        check_push(org.handler_a, matter_id=org.matter_h.pk)
    assert refused.value.message == "Only window staff push a transaction to the tablet."


def test_a_push_names_what_was_served(org):
    with pytest.raises(InvalidInput) as refused:
        check_push(org.clerk)
    assert refused.value.errors == {"matter_id": ["Choose the matter just served."]}
    assert not TabletPush.objects.exists()


def test_a_push_of_someone_elses_case_is_refused(org, cases):
    case = cases.register(org.windowhead)
    with pytest.raises(InvalidInput) as refused:
        check_push(org.clerk, case_id=case.pk)
    assert refused.value.errors == {"case_id": ["Only an appeal you registered can be rated here."]}


def test_a_bad_rating_of_a_registered_case_keeps_its_mobile(org, cases):
    case = cases.register(org.clerk)
    pushed = check_push(org.clerk, case_id=case.pk)
    evaluation = check_rate_push(org.clerk, pushed.pk, level=1)
    assert (evaluation.case, evaluation.mobile) == (case, "13812345678")
    assert OutboxMessage.objects.filter(template="evaluation_answer").count() == 0
