"""The unit at work on a case: contact with the petitioner (R-DIS-7) and the cause analysis
(R-DIS-5)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.cases import causes
from banchengshi.cases.actions.common import (
    changing_case,
    refresh_handle_due,
    running_clocks,
    stop_clocks,
    text_value,
)
from banchengshi.cases.clocks import case_policy, limit_clock, save_moved, shift_due
from banchengshi.cases.models import Case, ClockKind, ContactMethod, ContactRecord
from banchengshi.cases.states import Act
from banchengshi.errors import InvalidInput

# A contact recorded a little ahead of the server's clock is a clock difference, not the future.
CLOCK_SKEW = dt.timedelta(minutes=5)


def check_record_contact(
    actor: User,
    case_id: int,
    *,
    method: str,
    outcome: str,
    contacted_at: dt.datetime | None = None,
    version: int | None = None,
) -> ContactRecord:
    if method not in ContactMethod.values:
        raise InvalidInput({"method": [_("Choose phone, SMS, visit or in person.")]})
    outcome = text_value(outcome, field="outcome", label=_("The outcome"))
    now = timezone.now()
    contacted_at = contacted_at or now
    if timezone.is_naive(contacted_at) or contacted_at > now + CLOCK_SKEW:
        raise InvalidInput({"contacted_at": [_("The contact time cannot be in the future.")]})
    return do_record_contact(
        actor,
        case_id,
        method=method,
        outcome=outcome,
        contacted_at=contacted_at,
        version=version,
    )


def do_record_contact(
    actor: User,
    case_id: int,
    *,
    method: str,
    outcome: str,
    contacted_at: dt.datetime,
    version: int | None,
) -> ContactRecord:
    """R-DIS-7; the first contact stops the contact clock."""
    with changing_case(actor, case_id, Act.RECORD_CONTACT, version=version) as change:
        if contacted_at < change.case.received_at:
            raise InvalidInput(
                {"contacted_at": [_("The contact time cannot be before the case was received.")]}
            )
        record = ContactRecord.objects.create(
            case=change.case, contacted_at=contacted_at, method=method, by=actor, outcome=outcome
        )
        stop_clocks(change.case, contacted_at, ClockKind.CONTACT)
        refresh_handle_due(change.case)
        change.payload = {"method": method, "contacted_at": contacted_at.isoformat()}
    return record


def check_record_cause(
    actor: User,
    case_id: int,
    *,
    code: str,
    note: str,
    side: str = "",
    version: int | None = None,
) -> Case:
    cause = causes.get(code)
    if cause is None:
        raise InvalidInput({"code": [_("Choose a cause from the list.")]})
    if cause.side == "either":
        if side not in ("petitioner", "department"):
            raise InvalidInput(
                {"side": [_("Say whether the cause lies with the petitioner or a department.")]}
            )
    else:
        side = cause.side
    note = text_value(note, field="note", label=_("The analysis"), minimum=5)
    return do_record_cause(actor, case_id, code=code, side=side, note=note, version=version)


def do_record_cause(
    actor: User, case_id: int, *, code: str, side: str, note: str, version: int | None
) -> Case:
    """R-DIS-5. Under a policy whose reply limit depends on the cause's side (liuzhou), the
    reply deadline is recomputed from receipt under the limit that side selects."""
    with changing_case(actor, case_id, Act.RECORD_CAUSE, version=version) as change:
        case = change.case
        case.cause_code, case.cause_side, case.cause_note = code, side, note
        stop_clocks(case, change.now, ClockKind.CAUSE_ANALYSIS)
        policy = case_policy(case)
        if policy.reply.by == "cause_side":
            limit = policy.reply_limit(cause_side=side)
            for clock in running_clocks(case, ClockKind.REPLY):
                if clock.limit_name != limit.name and clock.round == 1:
                    fresh = limit_clock(case, ClockKind.REPLY, limit, case.received_at)
                    clock.limit_name = limit.name
                    clock.due = shift_due(fresh.due, clock.extra_workdays)
                    save_moved(clock, policy, "limit_name", "due")
        refresh_handle_due(case)
        change.payload = {"code": code, "side": side}
    return change.case
