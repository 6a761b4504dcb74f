"""The demo's service evaluations: every channel, every handling state, one appeal upheld
and one rejected, through the real actions (the audit chain holds)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from banchengshi.audit.chain import verify_chain
from banchengshi.evaluation.models import (
    AppealStatus,
    BadReview,
    Evaluation,
    EvaluationAppeal,
    EvaluationChannel,
    HandlingStatus,
    SubjectKind,
)
from banchengshi.neighborhood.assistance.models import AssistanceRequest

pytestmark = pytest.mark.django_db


def test_the_demo_rates_through_every_channel_and_state() -> None:
    out = StringIO()
    call_command("demo", cases=20, stdout=out)
    assert "300 service ratings" in out.getvalue()
    # Besides the 300, each door-to-door visit rated in the demo is an evaluation of its own.
    rated = AssistanceRequest.objects.filter(satisfaction__isnull=False)
    visits = rated.count()
    assert visits > 0
    for request in rated:
        assert Evaluation.objects.filter(
            subject_kind=SubjectKind.DOOR_TO_DOOR,
            subject_id=str(request.pk),
            level=request.satisfaction,
        ).exists()
    assert Evaluation.objects.count() == 300 + visits
    assert set(Evaluation.objects.values_list("channel", flat=True)) == set(EvaluationChannel)
    assert set(BadReview.objects.values_list("status", flat=True)) == set(HandlingStatus)
    assert sorted(EvaluationAppeal.objects.values_list("status", flat=True)) == [
        AppealStatus.REJECTED,
        AppealStatus.UPHELD,
    ]
    assert Evaluation.objects.filter(excluded=True).count() == 1
    assert verify_chain().ok
    call_command("demo", cases=0, stdout=StringIO())
    assert Evaluation.objects.count() == 300 + visits
