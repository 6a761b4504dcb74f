"""What every evaluation change shares: its event (one EvaluationEvent and one audit-chain event,
no case: the evaluation in the payload), input checks, and the one place an evaluation is
written, which opens the handling of a 差评 with its clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.models import Case, Satisfaction
from banchengshi.catalog.models import Matter
from banchengshi.errors import InvalidInput, NotFound
from banchengshi.evaluation.clock import arm, deadline_of
from banchengshi.evaluation.models import (
    MAX_COMMENT,
    BadReview,
    Evaluation,
    EvaluationAction,
    EvaluationChannel,
    EvaluationEvent,
    SubjectKind,
)
from banchengshi.evaluation.policy import evaluation_policy
from banchengshi.identifiers import validate_mobile
from banchengshi.ids import MAX_ID
from banchengshi.notify.inbox import notify, people_of
from banchengshi.notify.models import NotificationKind
from banchengshi.org.models import Membership, Unit
from banchengshi.org.names import full_name
from banchengshi.workdays.registry import current_calendar

AUDIT_PREFIX = "evaluation."
MAX_SUBJECT_ID = 64


def record_event(
    evaluation: Evaluation,
    action: EvaluationAction,
    *,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    EvaluationEvent.objects.create(
        evaluation=evaluation, action=action, actor=actor, at=at, note=note
    )
    payload: dict[str, Any] = {
        "evaluation": evaluation.pk,
        "unit": evaluation.unit_id,
        "level": evaluation.level,
        **(extra or {}),
    }
    append_events(
        [
            PendingEvent(
                case_id=None,
                actor_id=actor.pk if actor is not None else None,
                actor_label=full_name(actor) if actor is not None else "",
                action=AUDIT_PREFIX + action.value,
                at=at,
                before={},
                after={},
                payload=payload,
            )
        ]
    )


# --- input ------------------------------------------------------------------------------------


def level_value(level: object) -> Satisfaction:
    if not isinstance(level, int) or isinstance(level, bool) or level not in Satisfaction.values:
        raise InvalidInput({"level": [_("Choose one of the five ratings.")]})
    return Satisfaction(level)


def comment_value(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            {
                "comment": [
                    _("The text is too long (at most %(limit)d characters).")
                    % {"limit": MAX_COMMENT}
                ]
            }
        )
    return comment


def subject_value(kind: str, subject_id: str) -> tuple[SubjectKind, str]:
    if kind not in SubjectKind.values:
        raise InvalidInput({"subject_kind": [_("Choose what was rated.")]})
    subject_id = (subject_id or "").strip()
    if len(subject_id) > MAX_SUBJECT_ID:
        raise InvalidInput(
            {
                "subject_id": [
                    _("The text is too long (at most %(limit)d characters).")
                    % {"limit": MAX_SUBJECT_ID}
                ]
            }
        )
    return SubjectKind(kind), subject_id


def mobile_or_blank(phone: str) -> str:
    """A mobile number to text the answer to a 差评 to; a landline or nothing gives blank."""
    try:
        return validate_mobile(phone)
    except ValidationError:
        return ""


def unit_or_refuse(unit_id: int) -> Unit:
    unit = (
        Unit.objects.filter(pk=unit_id, is_active=True).first() if 1 <= unit_id <= MAX_ID else None
    )
    if unit is None:
        raise InvalidInput({"unit_id": [_("There is no such unit.")]})
    return unit


def staff_or_refuse(staff_id: int | None, unit_id: int) -> int | None:
    if staff_id is None:
        return None
    known = 1 <= staff_id <= MAX_ID and (
        Membership.objects.filter(user_id=staff_id, unit_id=unit_id, user__is_active=True).exists()
    )
    if not known:
        raise InvalidInput({"staff_id": [_("This person does not work at the unit rated.")]})
    return staff_id


def matter_or_refuse(matter_id: int | None) -> int | None:
    if matter_id is None:
        return None
    if not (
        1 <= matter_id <= MAX_ID and Matter.objects.filter(pk=matter_id, is_active=True).exists()
    ):
        raise InvalidInput({"matter_id": [_("There is no such matter.")]})
    return matter_id


def case_or_refuse(case_id: int | None) -> int | None:
    if case_id is None:
        return None
    if not (1 <= case_id <= MAX_ID and Case.objects.filter(pk=case_id).exists()):
        raise InvalidInput({"case_id": [_("There is no such appeal.")]})
    return case_id


def find_evaluation(evaluation_id: int, *, lock: bool = False) -> Evaluation:
    rows = Evaluation.objects.select_related("unit")
    if lock:
        rows = rows.select_for_update(of=("self",))
    found = rows.filter(pk=evaluation_id).first() if 1 <= evaluation_id <= MAX_ID else None
    if found is None:
        raise NotFound(_("There is no such evaluation."))
    return found


# --- the one write of a new evaluation --------------------------------------------------------


@dataclass(frozen=True)
class NewEvaluation:
    """An evaluation as checked by a channel's check_*: the do_* trusts it."""

    level: Satisfaction
    subject_kind: SubjectKind
    channel: EvaluationChannel
    unit_id: int
    evaluated_at: dt.datetime
    subject_id: str = ""
    comment: str = ""
    staff_id: int | None = None
    case_id: int | None = None
    matter_id: int | None = None
    external_source: str = ""
    external_id: str = ""
    mobile: str = ""


def write_evaluation(new: NewEvaluation, *, actor: User | None, now: dt.datetime) -> Evaluation:
    """In the caller's transaction: the row, its event, and for a 差评 the handling task with
    its deadline and the unit's notice."""
    evaluation = Evaluation.objects.create(
        level=new.level,
        subject_kind=new.subject_kind,
        subject_id=new.subject_id,
        channel=new.channel,
        unit_id=new.unit_id,
        evaluated_at=new.evaluated_at,
        comment=new.comment,
        staff_id=new.staff_id,
        case_id=new.case_id,
        matter_id=new.matter_id,
        recorded_by=actor,
        external_source=new.external_source,
        external_id=new.external_id,
        mobile=new.mobile,
    )
    record_event(
        evaluation,
        EvaluationAction.RECORDED,
        actor=actor,
        at=now,
        extra={"channel": new.channel.value, "subject": new.subject_kind.value},
    )
    if evaluation.is_bad:
        open_bad_review(evaluation, now)
    return evaluation


def open_bad_review(evaluation: Evaluation, now: dt.datetime) -> BadReview:
    due, provisional = deadline_of(now)
    task = BadReview(
        evaluation=evaluation,
        unit_id=evaluation.unit_id,
        opened_at=now,
        due=due,
        provisional=provisional,
    )
    arm(task, current_calendar())
    task.save()
    people = people_of([evaluation.unit_id], evaluation_policy().told_roles)
    if people:
        notify(
            user_ids=people,
            kind=NotificationKind.BAD_REVIEW_OPENED,
            params=notice_params(task, evaluation.unit.name),
        )
    return task


def notice_params(task: BadReview, unit_name: str) -> dict[str, Any]:
    return {"evaluation": task.evaluation_id, "unit": unit_name, "due": task.due.isoformat()}
