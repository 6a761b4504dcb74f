"""A unit's appeal of a rating as mistaken or malicious, and the office's decision."""

from __future__ import annotations

import pytest

from banchengshi.errors import Forbidden, InvalidInput, InvalidState
from banchengshi.evaluation.actions.appeals import check_appeal, check_decide
from banchengshi.evaluation.models import AppealStatus, BadReview, HandlingStatus

pytestmark = pytest.mark.django_db

REASONS = "评价人当天并未到本窗口办理业务，系误评"


def test_an_upheld_appeal_takes_the_rating_out_of_the_figures(org, rate):
    bad = rate(1)
    appeal = check_appeal(org.windowhead, bad.pk, reason="mistaken", explanation=REASONS)
    assert appeal.status == AppealStatus.PENDING
    decided = check_decide(org.officeadmin, appeal.pk, upheld=True, decision="经调取录像，属误评")
    bad.refresh_from_db()
    assert (decided.status, decided.decided_by, bad.excluded) == ("upheld", org.officeadmin, True)
    assert BadReview.objects.get().status == HandlingStatus.CLOSED
    assert list(bad.events.values_list("action", flat=True)) == [
        "recorded",
        "appealed",
        "appeal_upheld",
    ]


def test_a_rejected_appeal_leaves_the_rating(org, rate):
    bad = rate(2)
    appeal = check_appeal(org.windowhead, bad.pk, reason="malicious", explanation=REASONS)
    check_decide(org.officeadmin, appeal.pk, upheld=False, decision="评价有据，驳回申诉")
    bad.refresh_from_db()
    assert bad.excluded is False
    assert BadReview.objects.get().status == HandlingStatus.TO_VERIFY


def test_a_rating_is_appealed_once(org, rate):
    bad = rate(1)
    check_appeal(org.windowhead, bad.pk, reason="mistaken", explanation=REASONS)
    with pytest.raises(InvalidState) as refused:
        check_appeal(org.windowhead, bad.pk, reason="malicious", explanation=REASONS)
    assert refused.value.message == "This rating has been appealed already."


def test_an_appeal_is_decided_once(org, rate):
    appeal = check_appeal(org.windowhead, rate(1).pk, reason="mistaken", explanation=REASONS)
    check_decide(org.officeadmin, appeal.pk, upheld=False, decision="评价有据，驳回申诉")
    with pytest.raises(InvalidState) as refused:
        check_decide(org.officeadmin, appeal.pk, upheld=True, decision="再次决定的理由")
    assert refused.value.message == "This appeal has been decided already."


def test_only_the_units_leaders_appeal(org, rate):
    bad = rate(1)
    for person in (org.clerk, org.handler_b, org.leader_a):
        with pytest.raises(Forbidden) as refused:
            check_appeal(person, bad.pk, reason="mistaken", explanation=REASONS)
        assert refused.value.message == "Only the rated unit's leaders appeal its ratings."


def test_only_the_office_decides(org, rate):
    appeal = check_appeal(org.windowhead, rate(1).pk, reason="mistaken", explanation=REASONS)
    for person in (org.windowhead, org.dispatcher, org.inspector):
        with pytest.raises(Forbidden) as refused:
            check_decide(person, appeal.pk, upheld=True, decision="经调取录像，属误评")
        assert refused.value.message == "Only the office decides appeals of ratings."


def test_it_refuses_an_unknown_reason(org, rate):
    with pytest.raises(InvalidInput) as refused:
        check_appeal(org.windowhead, rate(1).pk, reason="unfair", explanation=REASONS)
    assert refused.value.errors == {"reason": ["Say whether the rating is mistaken or malicious."]}
