"""Recording an interview (约谈) of a unit on the accountability list, and ordering it to
rectify (R-REP-2): the office's administrators only; one transaction, one audit event."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.actions.common import text_value
from banchengshi.errors import Forbidden, InvalidInput, NotFound
from banchengshi.knowledge.models import FixTarget
from banchengshi.knowledge.rectification.actions import do_open_by_order
from banchengshi.org.models import Role, Unit
from banchengshi.org.names import full_name
from banchengshi.org.scope import scope_for
from banchengshi.reports.accountability import accountability_list
from banchengshi.reports.models import Interview
from banchengshi.reports.periods import Period
from banchengshi.workdays.calendar import local_date

RECORDED = "accountability.interview"
INTERVIEWERS = frozenset({Role.OFFICE_ADMIN})


def may_interview(user: User) -> bool:
    return scope_for(user).has_role(INTERVIEWERS)


def check_record_interview(
    actor: User,
    *,
    unit_id: int,
    period: Period,
    held_on: dt.date | None,
    attendees: str,
    notes: str,
    order: str = "",
) -> Interview:
    if not may_interview(actor):
        raise Forbidden(_("Interviews are recorded by the office's administrators."))
    listed = {item.unit_id: item for item in accountability_list(period)}
    if unit_id not in listed:
        raise NotFound(
            _("This unit is not on the accountability list of %(period)s.")
            % {"period": period.label}
        )
    errors: dict[str, list[str]] = {}
    today = local_date(timezone.now())
    if held_on is None:
        errors["held_on"] = [_("Enter the day the interview was held, for example 2026-12-02.")]
    elif held_on > today or held_on < period.first:
        errors["held_on"] = [_("The interview is held between the period's first day and today.")]
    if order and order not in FixTarget.values:
        errors["order"] = [_("Choose what the unit is to rectify.")]
    try:
        attendees = text_value(
            attendees, field="attendees", label=gettext_lazy("Who attended"), minimum=2
        )
    except InvalidInput as refused:
        errors.update(refused.errors)  # type: ignore[arg-type]
    try:
        notes = text_value(notes, field="notes", label=gettext_lazy("The notes"), minimum=5)
    except InvalidInput as refused:
        errors.update(refused.errors)  # type: ignore[arg-type]
    if errors:
        raise InvalidInput(errors)  # type: ignore[arg-type]
    assert held_on is not None
    return do_record_interview(
        actor,
        unit=Unit.objects.get(pk=unit_id),
        period=period,
        reasons="；".join(listed[unit_id].reasons),
        held_on=held_on,
        attendees=attendees,
        notes=notes,
        order=FixTarget(order) if order else None,
    )


def do_record_interview(
    actor: User,
    *,
    unit: Unit,
    period: Period,
    reasons: str,
    held_on: dt.date,
    attendees: str,
    notes: str,
    order: FixTarget | None,
) -> Interview:
    now = timezone.now()
    with transaction.atomic():
        item = (
            do_open_by_order(
                unit_id=unit.pk,
                target=order,
                actor=actor,
                note=_("Interview on %(period)s: %(reasons)s")
                % {"period": period.label, "reasons": reasons},
            )
            if order is not None
            else None
        )
        interview = Interview.objects.create(
            unit=unit,
            period=period.label,
            reasons=reasons,
            held_on=held_on,
            attendees=attendees,
            notes=notes,
            rectification=item,
            recorded_by=actor,
            recorded_at=now,
        )
        append_events(
            [
                PendingEvent(
                    case_id=None,
                    actor_id=actor.pk,
                    actor_label=full_name(actor),
                    action=RECORDED,
                    at=now,
                    before={},
                    after={"interview": interview.pk},
                    payload={
                        "unit": unit.pk,
                        "period": period.label,
                        "held_on": held_on.isoformat(),
                        "rectification": item.pk if item else None,
                    },
                )
            ]
        )
    return interview
