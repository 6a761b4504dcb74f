"""The changes of remote sessions (R-NB-2): logging a session at a point, each step of its
materials' circulation, turning a failed session into a 办不成事 case. Each writes one event
on the audit chain (no case: `case_id` None, the session in the payload) in its transaction;
the steps lock the session's row, so two people pressing one step record it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.actions.registration import do_register_case, registration_references
from banchengshi.cases.models import Case, Channel, PetitionerType
from banchengshi.cases.registration import MAX_BACKDATE, Registration, clean_registration
from banchengshi.catalog.models import Matter
from banchengshi.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.actions.common import mobile_or_blank
from banchengshi.evaluation.actions.invites import invite_by_sms
from banchengshi.evaluation.models import SubjectKind
from banchengshi.identifiers import validate_contact_phone, validate_id_number
from banchengshi.ids import MAX_ID
from banchengshi.neighborhood.models import PointStatus, ServicePoint
from banchengshi.neighborhood.sessions.access import STAFF, at_center, at_point, visible_sessions
from banchengshi.neighborhood.sessions.models import (
    MAX_MATERIALS,
    MAX_NOTE,
    Circulation,
    CirculationStep,
    Outcome,
    RemoteSession,
    SessionMaterial,
    Side,
)
from banchengshi.org.models import Membership
from banchengshi.org.names import full_name
from banchengshi.org.scope import scope_for

AUDIT_PREFIX = "remote_session."
MAX_COPIES = 99
OPEN_STATUSES = (PointStatus.OPEN, PointStatus.CHANGED)


def _record(
    session: RemoteSession, action: str, *, actor: User, at: dt.datetime, **payload: Any
) -> None:
    append_events(
        [
            PendingEvent(
                case_id=None,
                actor_id=actor.pk,
                actor_label=full_name(actor),
                action=AUDIT_PREFIX + action,
                at=at,
                before={},
                after={"outcome": session.outcome, "circulation": session.circulation},
                payload={"session": session.pk, "point": session.point_id, **payload},
            )
        ]
    )


# --- logging a session ------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialInput:
    name: str
    copies: int
    original: bool


@dataclass(frozen=True)
class SessionInput:
    point_id: int
    started_at: dt.datetime
    ended_at: dt.datetime
    center_staff_id: int
    matter_id: int
    petitioner_name: str
    phone: str
    outcome: str
    id_number: str = ""
    outcome_note: str = ""
    materials: tuple[MaterialInput, ...] = field(default_factory=tuple)
    # Text the petitioner a link to rate the session (好差评, R-NB-4), when the phone is a mobile.
    invite_rating: bool = False


@dataclass(frozen=True)
class Checked:
    """A session's input as validated, with the rows it names (read once)."""

    data: SessionInput
    point: ServicePoint
    matter: Matter


def check_log_session(actor: User, data: SessionInput) -> RemoteSession:
    """The point's staff log a session at their point, with the center's staff member who
    handled it; the materials taken in are listed with it."""
    point = _point(data.point_id)
    if point is None or not scope_for(actor).has_role(STAFF, point.unit_id):
        raise Forbidden(_("You may log sessions only at a service point where you work."))
    if point.status not in OPEN_STATUSES:
        raise InvalidState(_("The service point is not open: no session can be logged there."))
    return do_log_session(actor, _clean(data, point))


def _point(point_id: int) -> ServicePoint | None:
    if not 1 <= point_id <= MAX_ID:
        return None
    return ServicePoint.objects.select_related("unit").filter(pk=point_id).first()


def _clean(data: SessionInput, point: ServicePoint) -> Checked:
    """Every problem at once, each under its field (as the case registration does)."""
    errors: dict[str, list[str | Promise]] = {}

    def fail(name: str, message: str | Promise) -> None:
        errors.setdefault(name, []).append(message)

    def validated(name: str, validator: Any, value: str) -> str:
        try:
            return str(validator(value))
        except ValidationError as exc:
            for message in exc.messages:
                fail(name, message)
            return value

    now = timezone.now()
    started, ended = data.started_at, data.ended_at
    if timezone.is_naive(started) or timezone.is_naive(ended):
        fail("started_at", _("The time of the session needs a time zone."))
    elif ended < started:
        fail("ended_at", _("The session cannot end before it started."))
    elif ended > now + dt.timedelta(minutes=5):
        fail("ended_at", _("The session cannot end in the future."))
    elif started < now - MAX_BACKDATE:
        fail("started_at", _("A session more than 30 days ago can no longer be logged."))
    if not (
        1 <= data.center_staff_id <= MAX_ID
        and Membership.objects.filter(
            user_id=data.center_staff_id,
            user__is_active=True,
            unit_id=point.center_id,
            role__in=STAFF,
        ).exists()
    ):
        fail("center_staff_id", _("Choose a member of the acceptance center's staff."))
    matter = (
        Matter.objects.filter(pk=data.matter_id, is_active=True).first()
        if 1 <= data.matter_id <= MAX_ID
        else None
    )
    if matter is None:
        fail("matter_id", _("There is no such service matter."))
    elif not matter.remote:
        fail("matter_id", _("This matter is not served through the remote window."))
    name = data.petitioner_name.strip()
    if not name:
        fail("petitioner_name", _("The name is required."))
    elif len(name) > 100:
        fail("petitioner_name", _("The name is too long (at most 100 characters)."))
    phone = data.phone.strip()
    if not phone:
        fail("phone", _("A contact phone number is required."))
    else:
        phone = validated("phone", validate_contact_phone, phone)
    id_number = data.id_number.strip()
    if id_number:
        id_number = validated("id_number", validate_id_number, id_number)
    note = data.outcome_note.strip()
    if data.outcome not in Outcome.values:
        fail("outcome", _("Choose the outcome of the session."))
    elif data.outcome == Outcome.FAILED and len(note) < 5:
        fail("outcome_note", _("Say why the matter could not be done (at least 5 characters)."))
    if len(note) > MAX_NOTE:
        fail(
            "outcome_note",
            _("The text is too long (at most %(limit)d characters).") % {"limit": MAX_NOTE},
        )
    materials = _materials(data.materials, fail)
    if errors:
        raise InvalidInput(errors)
    assert matter is not None
    cleaned = SessionInput(
        point_id=point.pk,
        started_at=started,
        ended_at=ended,
        center_staff_id=data.center_staff_id,
        matter_id=matter.pk,
        petitioner_name=name,
        phone=phone,
        id_number=id_number,
        outcome=data.outcome,
        outcome_note=note,
        materials=materials,
        invite_rating=data.invite_rating,
    )
    return Checked(cleaned, point, matter)


def _materials(given: tuple[MaterialInput, ...], fail: Any) -> tuple[MaterialInput, ...]:
    if len(given) > MAX_MATERIALS:
        fail("materials", _("At most %(count)d materials per session.") % {"count": MAX_MATERIALS})
        return ()
    cleaned = []
    for number, item in enumerate(given, start=1):
        name = item.name.strip()
        if not name:
            fail("materials", _("Material %(number)d needs its name.") % {"number": number})
        elif len(name) > 100:
            fail(
                "materials",
                _("The name of material %(number)d is too long (at most 100 characters).")
                % {"number": number},
            )
        if not 1 <= item.copies <= MAX_COPIES:
            fail(
                "materials",
                _("Material %(number)d: give from 1 to %(max)d copies.")
                % {"number": number, "max": MAX_COPIES},
            )
        cleaned.append(MaterialInput(name, item.copies, bool(item.original)))
    return tuple(cleaned)


def do_log_session(actor: User, checked: Checked) -> RemoteSession:
    """Trusts `checked`. A session with materials starts their circulation at "listed"."""
    data = checked.data
    now = timezone.now()
    with transaction.atomic():
        session = RemoteSession.objects.create(
            point=checked.point,
            center_id=checked.point.center_id,
            started_at=data.started_at,
            ended_at=data.ended_at,
            point_staff=actor,
            center_staff_id=data.center_staff_id,
            matter=checked.matter,
            petitioner_name=data.petitioner_name,
            phone=data.phone,
            id_number=data.id_number,
            outcome=data.outcome,
            outcome_note=data.outcome_note,
            circulation=Circulation.LISTED if data.materials else Circulation.NONE,
            recorded_at=now,
        )
        SessionMaterial.objects.bulk_create(
            SessionMaterial(
                session=session,
                position=position,
                name=item.name,
                copies=item.copies,
                original=item.original,
            )
            for position, item in enumerate(data.materials, start=1)
        )
        if data.materials:
            CirculationStep.objects.create(
                session=session, state=Circulation.LISTED, at=now, actor=actor
            )
        _record(session, "logged", actor=actor, at=now, materials=len(data.materials))
        mobile = mobile_or_blank(data.phone)
        if data.invite_rating and mobile:
            invite_by_sms(
                actor,
                subject_kind=SubjectKind.REMOTE_SESSION,
                subject_id=str(session.pk),
                unit_id=checked.point.unit_id,
                mobile=mobile,
                staff_id=actor.pk,
                matter_id=checked.matter.pk,
            )
    return session


# --- the materials' circulation ---------------------------------------------------------------


# Each step: the step it follows, and the side of the session that records it.
STEPS: dict[Circulation, tuple[Circulation, Side]] = {
    Circulation.SCANNED: (Circulation.LISTED, Side.POINT),
    Circulation.SENT: (Circulation.SCANNED, Side.POINT),
    Circulation.RECEIVED: (Circulation.SENT, Side.CENTER),
    Circulation.RETURNED: (Circulation.RECEIVED, Side.POINT),
}
OUT_OF_ORDER = {
    Circulation.SCANNED: _("Only listed materials can be marked scanned; these are %(state)s."),
    Circulation.SENT: _("Only scanned materials can be sent to the center; these are %(state)s."),
    Circulation.RECEIVED: _(
        "Only materials sent by the point can be received; these are %(state)s."
    ),
    Circulation.RETURNED: _(
        "Originals are returned only after the center has received them; these are %(state)s."
    ),
}
WRONG_SIDE = {
    Side.POINT: _("Only the service point's staff record this step of the materials."),
    Side.CENTER: _("Only the acceptance center's staff confirm that the materials arrived."),
}


def next_step(session: RemoteSession, *, has_originals: bool) -> Circulation | None:
    """The step the materials can take now, if any."""
    for step, (after, _side) in STEPS.items():
        if session.circulation == after:
            if step == Circulation.RETURNED and not has_originals:
                return None
            return step
    return None


def side_of(step: Circulation) -> Side:
    return STEPS[step][1]


@contextmanager
def _locked_session(actor: User, session_id: int) -> Iterator[RemoteSession]:
    """A transaction with the session's row locked, if the person may see it."""
    with transaction.atomic():
        found = (
            visible_sessions(scope_for(actor))
            .select_for_update(of=("self",))
            .select_related("point__unit")
            .filter(pk=session_id)
            .first()
            if 1 <= session_id <= MAX_ID
            else None
        )
        if found is None:
            raise NotFound(_("No such remote session."))
        yield found


def check_advance_materials(actor: User, session_id: int, *, step: str) -> RemoteSession:
    """The next step of the materials, by the side of the session whose step it is, in
    order; originals are returned only when an original was taken in."""
    if step not in STEPS:
        raise InvalidInput({"step": [_("Unknown step of the materials.")]})
    return do_advance_materials(actor, session_id, step=Circulation(step))


def do_advance_materials(actor: User, session_id: int, *, step: Circulation) -> RemoteSession:
    after, side = STEPS[step]
    with _locked_session(actor, session_id) as session:
        scope = scope_for(actor)
        if not (at_point(scope, session) if side is Side.POINT else at_center(scope, session)):
            raise Forbidden(WRONG_SIDE[side])
        if session.circulation == Circulation.NONE:
            raise InvalidState(_("This session took in no materials."))
        if session.circulation != after:
            state = Circulation(session.circulation).label
            raise InvalidState(OUT_OF_ORDER[step] % {"state": state})
        if step == Circulation.RETURNED and not session.materials.filter(original=True).exists():
            raise InvalidState(_("No original was taken in: there is nothing to return."))
        now = timezone.now()
        session.circulation = step
        session.save(update_fields=["circulation"])
        CirculationStep.objects.create(session=session, state=step, at=now, actor=actor)
        _record(session, f"materials_{step.value}", actor=actor, at=now)
    return session


# --- a failed session becomes a case ----------------------------------------------------------


def check_register_failed_session(actor: User, session_id: int) -> Case:
    """One step: the 办不成事 case of a failed session, registered at the acceptance center
    (whose window screens it) as failed there, on the remote-window channel, with the
    session's petitioner, matter and the note of why it failed."""
    return do_register_failed_session(actor, session_id)


def do_register_failed_session(actor: User, session_id: int) -> Case:
    with _locked_session(actor, session_id) as session:
        scope = scope_for(actor)
        if not (at_point(scope, session) or at_center(scope, session)):
            raise Forbidden(_("Only the staff of the session's point or center register it."))
        if session.outcome != Outcome.FAILED:
            raise InvalidState(_("Only a failed session can become a 办不成事 case."))
        if session.case_id is not None:
            tracking_no = Case.objects.values_list("tracking_no", flat=True).get(pk=session.case_id)
            raise Conflict(
                _("This session is already case %(tracking_no)s.") % {"tracking_no": tracking_no}
            )
        data = clean_registration(
            Registration(
                channel=Channel.REMOTE_WINDOW,
                petitioner_type=PetitionerType.PERSON,
                petitioner_name=session.petitioner_name,
                phone=session.phone,
                id_number=session.id_number,
                description=session.outcome_note,
                registered_unit_id=session.center_id,
                failed_at_unit_id=session.center_id,
                matter_id=session.matter_id,
                received_at=session.started_at,
                window=session.point.unit.name[:60],
            )
        )
        case = do_register_case(actor, data, registration_references(data))
        session.case = case
        session.save(update_fields=["case"])
        _record(
            session,
            "case_registered",
            actor=actor,
            at=timezone.now(),
            case=case.pk,
            tracking_no=case.tracking_no,
        )
    return case
