"""A unit's appeal of a rating as mistaken or malicious, and the office's decision: upheld,
the rating leaves the unit's figures (Evaluation.excluded) and its handling closes; rejected,
it stays. One appeal per rating."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.actions.common import text_value
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.access import may_appeal, may_decide
from banchengshi.evaluation.actions.common import find_evaluation, record_event
from banchengshi.evaluation.models import (
    AppealReason,
    AppealStatus,
    BadReview,
    EvaluationAction,
    EvaluationAppeal,
    HandlingStatus,
)
from banchengshi.ids import MAX_ID


def check_appeal(
    actor: User, evaluation_id: int, *, reason: str, explanation: str
) -> EvaluationAppeal:
    if reason not in AppealReason.values:
        raise InvalidInput({"reason": [_("Say whether the rating is mistaken or malicious.")]})
    explanation = text_value(
        explanation, field="explanation", label=_("The explanation"), minimum=10
    )
    return do_appeal(actor, evaluation_id, reason=AppealReason(reason), explanation=explanation)


def do_appeal(
    actor: User, evaluation_id: int, *, reason: AppealReason, explanation: str
) -> EvaluationAppeal:
    with transaction.atomic():
        evaluation = find_evaluation(evaluation_id, lock=True)
        if not may_appeal(actor, evaluation.unit_id):
            raise Forbidden(_("Only the rated unit's leaders appeal its ratings."))
        if EvaluationAppeal.objects.filter(evaluation=evaluation).exists():
            raise InvalidState(_("This rating has been appealed already."))
        now = timezone.now()
        try:
            with transaction.atomic():
                appeal = EvaluationAppeal.objects.create(
                    evaluation=evaluation,
                    reason=reason,
                    explanation=explanation,
                    filed_by=actor,
                    filed_at=now,
                )
        except IntegrityError as exc:
            raise InvalidState(_("This rating has been appealed already.")) from exc
        record_event(
            evaluation,
            EvaluationAction.APPEALED,
            actor=actor,
            at=now,
            note=explanation,
            extra={"reason": reason.value},
        )
    return appeal


def check_decide(actor: User, appeal_id: int, *, upheld: bool, decision: str) -> EvaluationAppeal:
    if not isinstance(upheld, bool):
        raise InvalidInput({"upheld": [_("Say whether the appeal is upheld.")]})
    decision = text_value(decision, field="decision", label=_("The decision"), minimum=5)
    return do_decide(actor, appeal_id, upheld=upheld, decision=decision)


def do_decide(actor: User, appeal_id: int, *, upheld: bool, decision: str) -> EvaluationAppeal:
    if not may_decide(actor):
        raise Forbidden(_("Only the office decides appeals of ratings."))
    with transaction.atomic():
        appeal = (
            EvaluationAppeal.objects.select_for_update(of=("self",))
            .select_related("evaluation", "evaluation__unit")
            .filter(pk=appeal_id)
            .first()
            if 1 <= appeal_id <= MAX_ID
            else None
        )
        if appeal is None:
            raise NotFound(_("There is no such appeal."))
        if appeal.status != AppealStatus.PENDING:
            raise InvalidState(_("This appeal has been decided already."))
        now = timezone.now()
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
        appeal.decided_by, appeal.decided_at, appeal.decision = actor, now, decision
        appeal.save(update_fields=["status", "decided_by", "decided_at", "decision"])
        evaluation = appeal.evaluation
        if upheld:
            evaluation.excluded = True
            evaluation.save(update_fields=["excluded"])
            # A rating found mistaken or malicious needs no more handling.
            BadReview.objects.filter(evaluation=evaluation).exclude(
                status=HandlingStatus.CLOSED
            ).update(status=HandlingStatus.CLOSED, closed_at=now, remind_at=None, remind_level="")
        record_event(
            evaluation,
            EvaluationAction.APPEAL_UPHELD if upheld else EvaluationAction.APPEAL_REJECTED,
            actor=actor,
            at=now,
            note=decision,
            extra={"appeal": appeal.pk},
        )
    return appeal
