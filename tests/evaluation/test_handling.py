"""The handling of a 差评 (国办发〔2019〕51号): verify, answer (SMS through the outbox), rectify
when genuine, close; refused out of order and for people of other units."""

from __future__ import annotations

import pytest

from banchengshi.audit.models import AuditEvent
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.actions.handling import (
    check_answer,
    check_close,
    check_rectify,
    check_verify,
)
from banchengshi.evaluation.models import BadReview, HandlingStatus
from banchengshi.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_it_runs_a_genuine_bad_review_to_its_close(org, rate):
    bad = rate(2, comment="材料被退回三次")
    bad.mobile = "13912345678"
    bad.save()
    head = org.windowhead
    check_verify(head, bad.pk, genuine=True, finding="核实：窗口一次性告知不到位")
    check_answer(head, bad.pk, answer="已向您致歉，并改进一次性告知。")
    check_rectify(head, bad.pk, note="窗口人员培训一次性告知", item_id=7)
    task = check_close(head, bad.pk, note="")
    assert task.status == HandlingStatus.CLOSED
    assert (task.genuine, task.rectification_item_id, task.remind_at) == (True, 7, None)
    assert list(bad.events.values_list("action", flat=True)) == [
        "recorded",
        "verified",
        "answered",
        "rectified",
        "closed",
    ]
    assert AuditEvent.objects.filter(action__startswith="evaluation.").count() == 5
    sms = OutboxMessage.objects.get(template="evaluation_answer")
    assert (sms.recipient, sms.payload) == (
        "13912345678",
        {"unit": "区政务服务中心大厅", "answer": "已向您致歉，并改进一次性告知。"},
    )


def test_a_bad_review_found_not_genuine_closes_after_the_answer(org, rate):
    bad = rate(1)
    check_verify(org.windowhead, bad.pk, genuine=False, finding="评价人办理的是其他区事项")
    task = check_answer(org.windowhead, bad.pk, answer="您反映的事项不属本中心，已为您指引。")
    assert task.status == HandlingStatus.TO_CLOSE
    # No mobile known: the answer is recorded, nothing is texted.
    assert not OutboxMessage.objects.filter(template="evaluation_answer").exists()
    with pytest.raises(InvalidState) as refused:
        check_rectify(org.windowhead, bad.pk, note="无需整改的说明")
    assert refused.value.message == "Only a bad review found genuine and answered can be rectified."
    assert check_close(org.windowhead, bad.pk).status == HandlingStatus.CLOSED


def test_it_refuses_an_answer_before_the_verification(org, rate):
    bad = rate(1)
    with pytest.raises(InvalidState) as refused:
        check_answer(org.windowhead, bad.pk, answer="已向您致歉。谢谢")
    assert refused.value.message == "Only a verified bad review can be answered."


def test_it_refuses_a_second_verification(org, rate):
    bad = rate(1)
    check_verify(org.windowhead, bad.pk, genuine=True, finding="核实属实的情况")
    with pytest.raises(InvalidState) as refused:
        check_verify(org.windowhead, bad.pk, genuine=False, finding="再次核实的情况")
    assert refused.value.message == "Only a bad review still to verify can be verified."


def test_it_refuses_closing_before_the_answer(org, rate):
    bad = rate(1)
    with pytest.raises(InvalidState) as refused:
        check_close(org.windowhead, bad.pk)
    assert refused.value.message == (
        "A bad review is closed once answered, and rectified when it was genuine."
    )


def test_a_good_rating_has_nothing_to_handle(org, rate):
    good = rate(5)
    with pytest.raises(NotFound) as refused:
        check_verify(org.windowhead, good.pk, genuine=True, finding="核实属实的情况")
    assert refused.value.message == "This evaluation is no bad review to handle."


def test_it_refuses_people_of_another_unit(org, rate):
    bad = rate(1)
    with pytest.raises(Forbidden) as refused:
        check_verify(org.handler_b, bad.pk, genuine=True, finding="核实属实的情况")
    assert refused.value.message == (
        "Only the rated unit's leaders and handlers handle its bad reviews."
    )


def test_a_window_clerk_does_not_handle(org, rate):
    bad = rate(1)
    with pytest.raises(Forbidden):
        check_verify(org.clerk, bad.pk, genuine=True, finding="核实属实的情况")


def test_the_office_handles_any(org, rate):
    bad = rate(1)
    check_verify(org.officeadmin, bad.pk, genuine=True, finding="核实属实的情况")
    assert BadReview.objects.get().status == HandlingStatus.TO_ANSWER


def test_it_refuses_a_short_finding(org, rate):
    bad = rate(1)
    with pytest.raises(InvalidInput) as refused:
        check_verify(org.windowhead, bad.pk, genuine=True, finding="属实")
    assert refused.value.errors == {"finding": ["The finding needs at least 5 characters."]}
