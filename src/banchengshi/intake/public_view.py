"""What a petitioner sees of their own appeal on the tracking page (R-IN-2, R-Q-3): its state,
the steps taken in plain words, the deadline of the answer, and the answer.

Only units are named, never a person: no staff name, no actor label, nothing of the audit
payload but the unit a step went to and the new date of an extension. Internal steps (the
cause analysis, co-handling between units, a return to the hub, requests still undecided)
are left out. The answer is the unit's text to this person, with the names of the staff who
acted on the case, the petitioner's own name and any mobile number, ID number, credit code or
e-mail address blanked out: it is shown to whoever holds the tracking number and four digits
of the phone.

Reads: the case with its units and matter, its events, its clocks and its ratings, each by
the case's own index, so the page costs the same however many cases exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import Case, Clock, ClockKind, ReturnVisit, State
from banchengshi.cases.preconditions import CaseFacts, blocker
from banchengshi.cases.states import ALLOWED_STATES, Act
from banchengshi.intake.redaction import redact
from banchengshi.org.models import Unit

# The public steps in their words; the rest of the trail is internal.
STEPS: dict[CaseEvent, Promise] = {
    CaseEvent.REGISTER: _("Your appeal was received"),
    CaseEvent.SCREEN_ACCEPT: _("Accepted for handling"),
    CaseEvent.SCREEN_NOT_ADMISSIBLE: _("Not admissible: see the reasons below"),
    CaseEvent.RESOLVE_ON_SPOT: _("Solved on the spot"),
    CaseEvent.DISPATCH: _("Passed to the unit responsible"),
    CaseEvent.DISPATCH_DOWN: _("Passed to the unit responsible"),
    CaseEvent.RECEIVE: _("The responsible unit has taken it on"),
    CaseEvent.RECORD_CONTACT: _("Staff contacted you"),
    CaseEvent.APPROVE_EXTENSION: _("More time was needed; the new deadline is shown below"),
    CaseEvent.APPROVE_SUSPENSION: _("Waiting for your materials: the time limit is paused"),
    CaseEvent.RESUME: _("Handling resumed"),
    CaseEvent.REPLY: _("Answered"),
    CaseEvent.RETURN_VISIT: _("We asked you about the answer"),
    CaseEvent.RATE: _("You rated the answer"),
    CaseEvent.SUPERVISE: _("Reopened under supervision to be handled again"),
    CaseEvent.CLOSE: _("Closed"),
}
# Steps that name the unit the case went to (the payload's "unit"); accepting a case
# dispatches it automatically in the same step when the engine finds the unit.
UNIT_STEPS = frozenset({CaseEvent.SCREEN_ACCEPT, CaseEvent.DISPATCH, CaseEvent.DISPATCH_DOWN})
ACCEPTED_AND_PASSED = _("Accepted and passed to the unit responsible")
# In plain words for the public; the workbench's state names are the staff's.
STATE_WORDS: dict[str, Promise] = {
    State.REGISTERED: _("Received, being checked"),
    State.NOT_ADMISSIBLE: _("Not admissible"),
    State.AWAITING_DISPATCH: _("Accepted, being passed to a unit"),
    State.DISPATCHED: _("With the unit responsible"),
    State.IN_PROGRESS: _("Being handled"),
    State.REPLIED: _("Answered"),
    State.CLOSED: _("Closed"),
}


@dataclass(frozen=True)
class PublicStep:
    at: dt.datetime
    words: Promise
    unit: str


@dataclass(frozen=True)
class PublicCase:
    case_id: int
    tracking_no: str
    state: str
    state_words: Promise
    received_at: dt.datetime
    matter: str
    unit: str  # the unit handling it now, or the one it was registered at
    steps: list[PublicStep]
    # The answer's deadline while it runs (None once answered), and whether it is paused.
    answer_due: dt.datetime | None
    overdue: bool
    paused: bool
    answer: str
    answered_at: dt.datetime | None
    not_admissible_reason: str
    # The petitioner's own rating of the current answer, if given.
    rating: ReturnVisit | None
    may_rate: bool


def public_case(case_id: int) -> PublicCase:
    case = Case.objects.select_related("matter", "handling_unit", "registered_unit").get(pk=case_id)
    # All of them (a case has tens): the public steps, and the names of everyone of the staff
    # who acted on it, to be blanked out of the answer.
    trail = list(AuditEvent.objects.filter(case_id=case_id).order_by("seq"))
    events = [event for event in trail if event.action in STEPS]
    units = _unit_names(events)
    # And the petitioner's own names: four digits of a phone open this page.
    names = {event.actor_label for event in trail if event.actor_id is not None}
    names |= {case.petitioner_name, case.enterprise_name}
    answer_clock = _running_answer_clock(case)
    rating = (
        ReturnVisit.objects.filter(
            case_id=case_id, by=ReturnVisit.By.PETITIONER, round=case.round
        ).first()
        if case.state in (State.REPLIED, State.CLOSED)
        else None
    )
    now = timezone.now()
    unit = case.handling_unit or case.registered_unit
    return PublicCase(
        case_id=case.pk,
        tracking_no=case.tracking_no,
        state=case.state,
        state_words=STATE_WORDS[case.state],
        received_at=case.received_at,
        matter=case.matter.name if case.matter is not None else case.matter_text,
        unit=unit.name,
        steps=[_step(event, units) for event in events],
        answer_due=answer_clock.due if answer_clock is not None else None,
        overdue=answer_clock is not None
        and answer_clock.paused_at is None
        and answer_clock.due < now,
        paused=case.suspended_at is not None,
        answer=redact(case.reply_text, tuple(names), landlines=False),
        answered_at=case.replied_at,
        not_admissible_reason=redact(case.not_admissible_reason, tuple(names), landlines=False),
        rating=rating,
        may_rate=(
            case.state in ALLOWED_STATES[Act.RATE]
            and blocker(Act.RATE, CaseFacts(case, rated_this_round=rating is not None)) is None
        ),
    )


def _step(event: AuditEvent, units: dict[str, str]) -> PublicStep:
    unit = units.get(event.payload.get("unit", ""), "") if event.action in UNIT_STEPS else ""
    words = (
        ACCEPTED_AND_PASSED
        if event.action == CaseEvent.SCREEN_ACCEPT and unit
        else STEPS[CaseEvent(event.action)]
    )
    return PublicStep(event.at, words, unit)


def _unit_names(events: list[AuditEvent]) -> dict[str, str]:
    codes = {event.payload.get("unit") for event in events if event.action in UNIT_STEPS}
    codes.discard(None)
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def _running_answer_clock(case: Case) -> Clock | None:
    """The deadline the petitioner waits for: the answer's (or the reasons' for a refusal)."""
    return (
        Clock.objects.filter(
            case=case,
            kind__in=(ClockKind.REPLY, ClockKind.NOT_ADMISSIBLE_REPLY),
            stopped_at__isnull=True,
            task__isnull=True,
        )
        .order_by("-round", "due")
        .first()
    )
