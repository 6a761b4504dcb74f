"""Asking for more time (延期) or a pause (中止) of a case's deadlines, the hub's decision, and
the end of a pause (R-SLA-5)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.actions.common import (
    add_work,
    changing_case,
    clear_work,
    hub_unit,
    optional_text,
    refresh_handle_due,
    running_clocks,
    text_value,
    workdays_value,
)
from banchengshi.cases.clocks import (
    case_policy,
    due_for,
    limit_clock,
    pause_where,
    save_moved,
    shift_due,
    workdays_suspended,
)
from banchengshi.cases.events import decided, requested
from banchengshi.cases.models import (
    NO_DUE,
    Case,
    Clock,
    ClockKind,
    ClockRequest,
    CoHandlingTask,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.states import Act
from banchengshi.errors import InvalidInput, InvalidState, NotFound
from banchengshi.notify.inbox import notify, people_of
from banchengshi.notify.models import NotificationKind
from banchengshi.notify.outbox import text_petitioner
from banchengshi.policy.deadlines import local_date

MAX_EXTENSION_DAYS = 30


def check_request_extension(
    actor: User, case_id: int, *, days: int, reason: str, version: int | None = None
) -> ClockRequest:
    days = workdays_value(days, field="days", maximum=MAX_EXTENSION_DAYS)
    reason = text_value(reason, field="reason", label=_("The reason"), minimum=5)
    return do_request_clock_change(
        actor,
        case_id,
        kind=ClockRequest.Kind.EXTENSION,
        reason=reason,
        days=days,
        version=version,
    )


def check_request_suspension(
    actor: User, case_id: int, *, reason: str, version: int | None = None
) -> ClockRequest:
    reason = text_value(reason, field="reason", label=_("The reason"), minimum=5)
    return do_request_clock_change(
        actor,
        case_id,
        kind=ClockRequest.Kind.SUSPENSION,
        reason=reason,
        days=None,
        version=version,
    )


def _extended_due(case: Case, days: int) -> dt.datetime:
    """The reply deadline after an extension, refused beyond the policy's cap (R-SLA-5)."""
    reply = running_clocks(case, ClockKind.REPLY)
    if not reply:
        raise InvalidState(_("No reply deadline is running."))
    new_due = shift_due(reply[0].due, days)
    cap = case_policy(case).clock_limit("extension_cap")
    if cap is not None and case.round == 1:
        cap_due = limit_clock(case, ClockKind.REPLY, cap, case.received_at).due
        if new_due > cap_due:
            raise InvalidInput(
                {
                    "days": [
                        _("This would pass the limit of %(limit)s from receipt (%(date)s).")
                        % {"limit": cap.describe(), "date": local_date(cap_due).isoformat()}
                    ]
                }
            )
    return new_due


def do_request_clock_change(
    actor: User,
    case_id: int,
    *,
    kind: str,
    reason: str,
    days: int | None,
    version: int | None,
) -> ClockRequest:
    act = Act.REQUEST_EXTENSION if kind == ClockRequest.Kind.EXTENSION else Act.REQUEST_SUSPENSION
    with changing_case(actor, case_id, act, version=version) as change:
        case = change.case
        if days is not None:
            _extended_due(case, days)
        request = ClockRequest.objects.create(
            case=case,
            kind=kind,
            reason=reason,
            days=days,
            requested_by=actor,
            requested_at=change.now,
        )
        review = case_policy(case).clock_limit("hub_review")
        due = due_for(review, change.now) if review is not None else None
        add_work(case, WorkKind.APPROVE, hub_unit().pk, due)
        change.event = requested(kind)
        change.payload = {"request": request.pk, "days": days, "reason": reason}
    return request


def check_decide_request(
    actor: User,
    case_id: int,
    *,
    request_id: int,
    approve: bool,
    note: str = "",
    version: int | None = None,
) -> ClockRequest:
    if approve:
        note = optional_text(note, field="note")
    else:
        note = text_value(note, field="note", label=_("The reason for refusing"))
    return do_decide_request(
        actor, case_id, request_id=request_id, approve=approve, note=note, version=version
    )


def do_decide_request(
    actor: User,
    case_id: int,
    *,
    request_id: int,
    approve: bool,
    note: str,
    version: int | None,
) -> ClockRequest:
    with changing_case(actor, case_id, Act.DECIDE_REQUEST, version=version) as change:
        case = change.case
        request = case.clock_requests.filter(
            pk=request_id, decision=ClockRequest.Decision.PENDING
        ).first()
        if request is None:
            raise NotFound(_("There is no pending request with this number."))
        request.decision = (
            ClockRequest.Decision.APPROVED if approve else ClockRequest.Decision.REFUSED
        )
        request.decided_by = actor
        request.decided_at = change.now
        request.decision_note = note
        request.save()
        clear_work(case, WorkKind.APPROVE)
        change.event = decided(request.kind, approved=approve)
        change.payload = {"request": request.pk, "note": note}
        if approve and request.kind == ClockRequest.Kind.EXTENSION:
            assert request.days is not None
            new_due = _extended_due(case, request.days)
            policy = case_policy(case)
            for clock in Clock.objects.filter(
                case=case, kind=ClockKind.REPLY, stopped_at__isnull=True
            ):
                clock.due = new_due
                clock.extra_workdays += request.days
                save_moved(clock, policy, "due", "extra_workdays")
            change.payload["due"] = new_due.isoformat()
            due_date = local_date(new_due).isoformat()
            text_petitioner(
                phone=case.phone,
                tracking_no=case.tracking_no,
                case_id=case.pk,
                template="extension",
                payload={"due": due_date},
            )
            # R-SLA-5: the window where the appeal was registered is told as well.
            notify(
                user_ids=people_of([case.registered_unit_id]),
                kind=NotificationKind.EXTENSION_GRANTED,
                case_id=case.pk,
                params={"due": due_date},
            )
        elif approve:
            case.suspended_at = change.now
            pause_where(Clock.objects.filter(case=case, stopped_at__isnull=True), change.now)
            WorkItem.objects.filter(case=case).update(due=NO_DUE, provisional=False)
        refresh_handle_due(case)
    return request


def do_resume_case(actor: User, case_id: int, *, version: int | None = None) -> Case:
    """End a suspension: every paused deadline moves by the working days spent suspended."""
    with changing_case(actor, case_id, Act.RESUME, version=version) as change:
        case = change.case
        assert case.suspended_at is not None, "the precondition of resuming"
        lost, pause = workdays_suspended(case.suspended_at, change.now)
        policy = case_policy(case)
        for clock in Clock.objects.filter(case=case, paused_at__isnull=False):
            clock.due = shift_due(clock.due, lost)
            clock.paused_at = None
            clock.extra_workdays += lost
            fields = ["due", "paused_at", "extra_workdays"]
            if pause is not None:
                clock.pauses = [*clock.pauses, pause]
                fields.append("pauses")
            save_moved(clock, policy, *fields)
            if clock.task_id is not None:
                WorkItem.objects.filter(task_id=clock.task_id).update(
                    due=clock.due, provisional=clock.provisional
                )
                CoHandlingTask.objects.filter(pk=clock.task_id).update(due=clock.due)
        case.clock_requests.filter(
            kind=ClockRequest.Kind.SUSPENSION, decision=ClockRequest.Decision.APPROVED
        ).update(decision=ClockRequest.Decision.ENDED)
        case.suspended_at = None
        refresh_handle_due(case)
        change.payload = {"workdays_suspended": lost}
    return change.case
