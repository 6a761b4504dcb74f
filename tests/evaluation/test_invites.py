"""SMS invitations to rate (after a session or a visit) and the page `/e/<token>/`."""

from __future__ import annotations

import pytest

from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.actions.invites import check_rate_invite, invite_by_sms
from banchengshi.evaluation.models import BadReview, Evaluation
from banchengshi.notify.messages import sms_text
from banchengshi.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def invite(org, **fields):
    arguments = {
        "subject_kind": "remote_session",
        "subject_id": "17",
        "unit_id": org.hall.pk,
        "mobile": "139 1234 5678",
        "staff_id": org.clerk.pk,
        **fields,
    }
    return invite_by_sms(org.clerk, **arguments)


def test_it_texts_a_link(org, settings):
    settings.BANCHENGSHI_PUBLIC_URL = "https://bcs.example.cn"
    sent = invite(org)
    sms = OutboxMessage.objects.get()
    assert (sms.recipient, sms.template) == ("13912345678", "evaluation_invite")
    assert sms.payload == {"unit": "区政务服务中心大厅", "link": sent.token}
    assert sms_text("evaluation_invite", sms.payload) == (
        "【办成事】感谢您到区政务服务中心大厅办事，请为本次服务评价："
        f"https://bcs.example.cn/e/{sent.token}/"
    )


def test_the_person_rates_once(org):
    sent = invite(org)
    evaluation = check_rate_invite(sent.token, level=2, comment="视频卡顿")
    assert (evaluation.channel, evaluation.subject_kind, evaluation.subject_id) == (
        "sms_link",
        "remote_session",
        "17",
    )
    assert (evaluation.staff, evaluation.mobile, evaluation.recorded_by) == (
        org.clerk,
        "13912345678",
        None,
    )
    assert BadReview.objects.filter(evaluation=evaluation).exists()
    with pytest.raises(InvalidState) as refused:
        check_rate_invite(sent.token, level=5)
    assert refused.value.message == "This service has been rated already. Thank you."
    assert Evaluation.objects.count() == 1


def test_an_expired_invitation_takes_no_rating(org, frozen_time):
    sent = invite(org)
    frozen_time.advance(days=7)
    with pytest.raises(InvalidState) as refused:
        check_rate_invite(sent.token, level=5)
    assert refused.value.message == "This rating link has expired."


def test_an_unknown_token_is_not_found(org):
    for token in ("nonsense12", "", "x" * 200, "abc\x00defgh"):
        with pytest.raises(NotFound) as refused:
            check_rate_invite(token, level=5)
        assert refused.value.message == "This rating link is not valid."


def test_it_refuses_a_landline(org):
    with pytest.raises(InvalidInput) as refused:
        invite(org, mobile="021-12345678")
    assert refused.value.errors == {"mobile": ["Give a mobile phone number of 11 digits."]}
    assert not OutboxMessage.objects.exists()


def test_it_refuses_staff_of_another_unit(org):
    with pytest.raises(Forbidden):
        invite_by_sms(
            org.handler_b,
            subject_kind="door_to_door",
            subject_id="",
            unit_id=org.hall.pk,
            mobile="13912345678",
        )


def test_it_refuses_a_staff_member_or_case_that_does_not_exist(org):
    with pytest.raises(InvalidInput) as refused:
        invite(org, staff_id=10**9)
    assert refused.value.errors == {"staff_id": ["This person does not work at the unit rated."]}
    with pytest.raises(InvalidInput) as refused:
        invite(org, case_id=10**9)
    assert refused.value.errors == {"case_id": ["There is no such appeal."]}
    assert not OutboxMessage.objects.exists()
