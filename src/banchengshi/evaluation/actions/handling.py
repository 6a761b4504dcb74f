"""The handling of a 差评 (国办发〔2019〕51号): verified (genuine or not), the person answered
(an SMS through the outbox where a mobile is known), the cause rectified (a genuine one:
a note, or a rectification item of the learning loop by number), closed. Each step under the
task's row lock, with one event; the deadline's reminders stop when it closes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.actions.common import optional_text, text_value
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.access import may_handle
from banchengshi.evaluation.actions.common import record_event
from banchengshi.evaluation.models import (
    BadReview,
    Evaluation,
    EvaluationAction,
    HandlingStatus,
)
from banchengshi.ids import MAX_ID
from banchengshi.notify.outbox import enqueue

STATE_MESSAGES = {
    EvaluationAction.VERIFIED: _("Only a bad review still to verify can be verified."),
    EvaluationAction.ANSWERED: _("Only a verified bad review can be answered."),
    EvaluationAction.RECTIFIED: _("Only a bad review found genuine and answered can be rectified."),
    EvaluationAction.CLOSED: _(
        "A bad review is closed once answered, and rectified when it was genuine."
    ),
}
EXPECTED = {
    EvaluationAction.VERIFIED: HandlingStatus.TO_VERIFY,
    EvaluationAction.ANSWERED: HandlingStatus.TO_ANSWER,
    EvaluationAction.RECTIFIED: HandlingStatus.TO_RECTIFY,
    EvaluationAction.CLOSED: HandlingStatus.TO_CLOSE,
}
MAX_ANSWER = 300


@dataclass
class Change:
    task: BadReview
    evaluation: Evaluation
    now: dt.datetime
    note: str = ""


@contextmanager
def changing_task(actor: User, evaluation_id: int, action: EvaluationAction) -> Iterator[Change]:
    """The frame of every step: a transaction, the task's row locked, the person's right and
    the task's status checked; leaving it writes the event."""
    with transaction.atomic():
        task = (
            BadReview.objects.select_for_update(of=("self",))
            .select_related("evaluation", "evaluation__unit")
            .filter(evaluation_id=evaluation_id)
            .first()
            if 1 <= evaluation_id <= MAX_ID
            else None
        )
        if task is None:
            raise NotFound(_("This evaluation is no bad review to handle."))
        if not may_handle(actor, task.unit_id):
            raise Forbidden(_("Only the rated unit's leaders and handlers handle its bad reviews."))
        if task.status != EXPECTED[action]:
            raise InvalidState(STATE_MESSAGES[action])
        change = Change(task=task, evaluation=task.evaluation, now=timezone.now())
        yield change
        record_event(change.evaluation, action, actor=actor, at=change.now, note=change.note)


def check_verify(actor: User, evaluation_id: int, *, genuine: bool, finding: str) -> BadReview:
    if not isinstance(genuine, bool):
        raise InvalidInput({"genuine": [_("Say whether the bad review is genuine.")]})
    finding = text_value(finding, field="finding", label=_("The finding"), minimum=5)
    return do_verify(actor, evaluation_id, genuine=genuine, finding=finding)


def do_verify(actor: User, evaluation_id: int, *, genuine: bool, finding: str) -> BadReview:
    with changing_task(actor, evaluation_id, EvaluationAction.VERIFIED) as change:
        task = change.task
        task.genuine, task.verification = genuine, finding
        task.status = HandlingStatus.TO_ANSWER
        task.save(update_fields=["genuine", "verification", "status"])
        change.note = finding
    return task


def check_answer(actor: User, evaluation_id: int, *, answer: str) -> BadReview:
    answer = text_value(answer, field="answer", label=_("The answer"), minimum=5)
    answer = optional_text(answer, field="answer", limit=MAX_ANSWER)
    return do_answer(actor, evaluation_id, answer=answer)


def do_answer(actor: User, evaluation_id: int, *, answer: str) -> BadReview:
    """The answer is texted to the person (after commit, through the outbox) when their
    mobile is known; a genuine 差评 then waits for its rectification."""
    with changing_task(actor, evaluation_id, EvaluationAction.ANSWERED) as change:
        task, evaluation = change.task, change.evaluation
        task.answer, task.answered_at = answer, change.now
        task.status = HandlingStatus.TO_RECTIFY if task.genuine else HandlingStatus.TO_CLOSE
        task.save(update_fields=["answer", "answered_at", "status"])
        change.note = answer
        if evaluation.mobile:
            enqueue(
                channel="sms",
                recipient=evaluation.mobile,
                template="evaluation_answer",
                payload={"unit": evaluation.unit.name, "answer": answer},
                case_id=evaluation.case_id,
            )
    return task


def check_rectify(
    actor: User, evaluation_id: int, *, note: str, item_id: int | None = None
) -> BadReview:
    note = text_value(note, field="note", label=_("What was rectified"), minimum=5)
    if item_id is not None and not 1 <= item_id <= MAX_ID:
        raise InvalidInput({"item_id": [_("Give the number of a rectification item.")]})
    return do_rectify(actor, evaluation_id, note=note, item_id=item_id)


def do_rectify(actor: User, evaluation_id: int, *, note: str, item_id: int | None) -> BadReview:
    with changing_task(actor, evaluation_id, EvaluationAction.RECTIFIED) as change:
        task = change.task
        task.rectification, task.rectification_item_id = note, item_id
        task.status = HandlingStatus.TO_CLOSE
        task.save(update_fields=["rectification", "rectification_item_id", "status"])
        change.note = note
    return task


def check_close(actor: User, evaluation_id: int, *, note: str = "") -> BadReview:
    return do_close(actor, evaluation_id, note=optional_text(note, field="note"))


def do_close(actor: User, evaluation_id: int, *, note: str) -> BadReview:
    """The clock stops: no more reminders."""
    with changing_task(actor, evaluation_id, EvaluationAction.CLOSED) as change:
        task = change.task
        task.status, task.closed_at = HandlingStatus.CLOSED, change.now
        task.remind_at, task.remind_level = None, ""
        task.save(update_fields=["status", "closed_at", "remind_at", "remind_level"])
        change.note = note
    return task
