"""Recording an evaluation typed in by staff (a paper form) or sent by another system through
the API (online); the review platform's records (intake); each channel's check_* validates
and checks the person's right, its do_* writes through common.write_evaluation."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.errors import Forbidden, InvalidInput
from banchengshi.evaluation.access import may_record
from banchengshi.evaluation.actions.common import (
    NewEvaluation,
    comment_value,
    level_value,
    matter_or_refuse,
    staff_or_refuse,
    subject_value,
    unit_or_refuse,
    write_evaluation,
)
from banchengshi.evaluation.models import Evaluation, EvaluationChannel

# A paper form is typed in within weeks, not years: older dates are typing errors.
PAPER_MAX_AGE = dt.timedelta(days=366)


def _time_or_refuse(when: dt.datetime, now: dt.datetime) -> dt.datetime:
    if timezone.is_naive(when):
        raise InvalidInput({"evaluated_at": [_("Give the time with its time zone.")]})
    if when > now:
        raise InvalidInput({"evaluated_at": [_("The rating cannot be in the future.")]})
    if when < now - PAPER_MAX_AGE:
        raise InvalidInput({"evaluated_at": [_("The rating is more than a year old.")]})
    return when


def check_record(
    actor: User,
    *,
    channel: EvaluationChannel,
    unit_id: int,
    level: int,
    subject_kind: str,
    subject_id: str = "",
    comment: str = "",
    staff_id: int | None = None,
    matter_id: int | None = None,
    evaluated_at: dt.datetime | None = None,
) -> Evaluation:
    """A paper form typed in by staff (PAPER) or a rating another system collected online
    (ONLINE, the API). The person must serve at the unit (or be the office)."""
    if channel not in (EvaluationChannel.PAPER, EvaluationChannel.ONLINE):
        raise InvalidInput({"channel": [_("Ratings of this channel arrive by their own way.")]})
    unit = unit_or_refuse(unit_id)
    if not may_record(actor, unit.pk):
        raise Forbidden(_("Only the staff of the unit rated, or the office, record its ratings."))
    kind, subject_id = subject_value(subject_kind, subject_id)
    now = timezone.now()
    new = NewEvaluation(
        level=level_value(level),
        subject_kind=kind,
        subject_id=subject_id,
        channel=channel,
        unit_id=unit.pk,
        evaluated_at=now if evaluated_at is None else _time_or_refuse(evaluated_at, now),
        comment=comment_value(comment),
        staff_id=staff_or_refuse(staff_id, unit.pk),
        matter_id=matter_or_refuse(matter_id),
    )
    return do_record(actor, new)


def do_record(actor: User | None, new: NewEvaluation) -> Evaluation:
    with transaction.atomic():
        return write_evaluation(new, actor=actor, now=timezone.now())


def do_keep_external(actor: User | None, new: NewEvaluation) -> tuple[Evaluation, bool]:
    """An outside record (its source and id in `new`), kept once: the same record again, or
    two copies racing, yields the first one's row. Returns it and whether it is new."""
    found = _external(new)
    if found is not None:
        return found, False
    try:
        return do_record(actor, new), True
    except IntegrityError:
        found = _external(new)
        if found is None:
            raise
        return found, False


def _external(new: NewEvaluation) -> Evaluation | None:
    return (
        Evaluation.objects.filter(external_source=new.external_source, external_id=new.external_id)
        .exclude(external_source="")
        .first()
    )


def do_link_case(evaluation_id: int, case_id: int) -> None:
    """The case an outside record made (intake), in that registration's transaction."""
    Evaluation.objects.filter(pk=evaluation_id, case__isnull=True).update(case_id=case_id)
