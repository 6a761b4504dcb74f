"""协办: another unit is asked for its part, with its own task, deadline and answer; the unit
responsible still gives the reply."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.access import may_answer_task
from banchengshi.cases.actions.common import (
    add_work,
    changing_case,
    handling_unit_or_refuse,
    link_unit,
    text_value,
    workdays_value,
)
from banchengshi.cases.clocks import due_in_workdays, new_clock, stop_where
from banchengshi.cases.models import CaseUnit, Clock, ClockKind, CoHandlingTask, WorkItem, WorkKind
from banchengshi.cases.states import Act
from banchengshi.errors import Forbidden, InvalidInput, NotFound
from banchengshi.notify.inbox import notify, people_of
from banchengshi.notify.models import NotificationKind
from banchengshi.org.models import Unit
from banchengshi.org.scope import scope_for

MAX_COHANDLING_DAYS = 30


def check_request_cohandling(
    actor: User,
    case_id: int,
    *,
    unit_id: int,
    request: str,
    days: int,
    version: int | None = None,
) -> CoHandlingTask:
    request = text_value(request, field="request", label=_("The request"), minimum=5)
    days = workdays_value(days, field="days", maximum=MAX_COHANDLING_DAYS)
    unit = handling_unit_or_refuse(unit_id)
    return do_request_cohandling(
        actor, case_id, unit=unit, request=request, days=days, version=version
    )


def do_request_cohandling(
    actor: User, case_id: int, *, unit: Unit, request: str, days: int, version: int | None
) -> CoHandlingTask:
    with changing_case(actor, case_id, Act.REQUEST_COHANDLING, version=version) as change:
        case = change.case
        if unit.pk in (case.owner_unit_id, case.handling_unit_id):
            raise InvalidInput({"unit_id": [_("The case is already with this unit.")]})
        due = due_in_workdays(days, change.now)
        task = CoHandlingTask.objects.create(
            case=case,
            unit=unit,
            request=request,
            due=due,
            requested_by=actor,
            requested_at=change.now,
        )
        clock = new_clock(case, ClockKind.COHANDLING, change.now, due, workdays=days)
        clock.task = task
        clock.save()
        link_unit(case, unit.pk, CaseUnit.Relation.COHANDLING)
        add_work(case, WorkKind.COHANDLE, unit.pk, due, task=task)
        change.payload = {"task": task.pk, "unit": unit.code, "days": days}
        notify(
            user_ids=people_of([unit.pk]),
            kind=NotificationKind.COHANDLING_REQUESTED,
            case_id=case.pk,
            params={"unit": unit.name, "due": due.isoformat()},
        )
    return task


def check_answer_cohandling(
    actor: User, case_id: int, *, task_id: int, answer: str, version: int | None = None
) -> CoHandlingTask:
    answer = text_value(answer, field="answer", label=_("The answer"), minimum=5)
    return do_answer_cohandling(actor, case_id, task_id=task_id, answer=answer, version=version)


def do_answer_cohandling(
    actor: User, case_id: int, *, task_id: int, answer: str, version: int | None
) -> CoHandlingTask:
    with changing_case(actor, case_id, Act.ANSWER_COHANDLING, version=version) as change:
        task = (
            CoHandlingTask.objects.select_for_update()
            .filter(pk=task_id, case_id=case_id, state=CoHandlingTask.TaskState.OPEN)
            .first()
        )
        if task is None:
            raise NotFound(_("There is no open co-handling task with this number."))
        if not may_answer_task(scope_for(actor), task):
            raise Forbidden(_("Only the unit asked may answer this task."))
        task.state = CoHandlingTask.TaskState.ANSWERED
        task.answer = answer
        task.answered_by = actor
        task.answered_at = change.now
        task.save()
        stop_where(Clock.objects.filter(task=task), change.now)
        WorkItem.objects.filter(task=task).delete()
        change.payload = {"task": task.pk}
    return task
