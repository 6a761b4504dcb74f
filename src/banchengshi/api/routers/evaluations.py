"""Service evaluations (好差评, R-NB-4): another system sends the ratings it collected (its
token's account must serve at the unit rated, or be the office), and reads the counts."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, QueryEx, Router, Status

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, Day
from banchengshi.api.schemas.evaluations import CountsOut, EvaluationIn, EvaluationOut
from banchengshi.errors import Forbidden
from banchengshi.evaluation.access import may_read_any
from banchengshi.evaluation.actions.recording import check_record
from banchengshi.evaluation.models import EvaluationChannel
from banchengshi.evaluation.selectors import CountBy, evaluation_counts
from banchengshi.org.scope import scope_for
from banchengshi.workdays.calendar import SHANGHAI

router = Router(tags=["evaluations"])


@router.post("/evaluations", response={201: EvaluationOut, **ERRORS}, summary="Record a rating")
def record_evaluation(request: HttpRequest, payload: EvaluationIn) -> Status[EvaluationOut]:
    """A rating of any service; a 差评 (level 1 or 2) opens its handling with a deadline."""
    evaluation = check_record(
        actor(request),
        channel=EvaluationChannel(payload.channel),
        unit_id=payload.unit_id,
        level=payload.level,
        subject_kind=payload.subject_kind,
        subject_id=payload.subject_id,
        comment=payload.comment,
        staff_id=payload.staff_id,
        matter_id=payload.matter_id,
        evaluated_at=payload.evaluated_at,
    )
    return Status(201, EvaluationOut.of(evaluation))


@router.get(
    "/evaluations/counts", response={200: list[CountsOut], **ERRORS}, summary="Rating counts"
)
def counts(
    request: HttpRequest,
    start: QueryEx[Day, P(description="first day (Asia/Shanghai)")],
    end: QueryEx[Day, P(description="last day, included")],
    by: QueryEx[list[CountBy] | None, P(description="unit, month, channel, subject_kind")] = None,
) -> list[CountsOut]:
    if not may_read_any(scope_for(actor(request))):
        raise Forbidden(_("Only the staff of the units rated, and the office, see evaluations."))
    first = dt.datetime.combine(start, dt.time(), tzinfo=SHANGHAI)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    return [CountsOut.of(row) for row in evaluation_counts(first, after, by=by or [])]
