"""A door-to-door request's steps (R-NB-3): registration (discovery, from any channel), review
(eligible or not, the explanation texted to the person), the visit's appointment, the visit
record, the person's evaluation, the approval's decision. Each step is one transaction with
the request's row locked, one AssistanceEvent and one audit-chain event (no case: `case_id`
None, the request in the payload); the running deadline moves with the stage (clock.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.actions.common import optional_text, text_value
from banchengshi.cases.models import Satisfaction
from banchengshi.cases.special_groups import (
    SpecialGroupInput,
    apply_special_groups,
    clean_special_groups,
)
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.actions.common import NewEvaluation, mobile_or_blank, write_evaluation
from banchengshi.evaluation.models import EvaluationChannel, SubjectKind
from banchengshi.identifiers import validate_contact_phone, validate_mobile
from banchengshi.ids import MAX_ID
from banchengshi.neighborhood.assistance import clock
from banchengshi.neighborhood.assistance.access import WORKERS, may_act
from banchengshi.neighborhood.assistance.models import (
    ApprovalStatus,
    AssistanceAction,
    AssistanceEvent,
    AssistanceRequest,
    RequestChannel,
    ServiceItem,
    Stage,
)
from banchengshi.notify.inbox import people_of
from banchengshi.notify.outbox import enqueue
from banchengshi.org.models import Unit, UnitKind
from banchengshi.org.names import full_name
from banchengshi.workdays.calendar import local_date

AUDIT_PREFIX = "assistance."
MAX_MATERIALS = 20
MAX_MATERIAL = 100
# What the review's SMS carries of the explanation: a gateway's parameter limit.
SMS_REASON = 35


def _record(
    request: AssistanceRequest,
    action: AssistanceAction,
    *,
    actor: User,
    at: dt.datetime,
    note: str = "",
    before: str = "",
) -> None:
    AssistanceEvent.objects.create(request=request, action=action, actor=actor, at=at, note=note)
    append_events(
        [
            PendingEvent(
                case_id=None,
                actor_id=actor.pk,
                actor_label=full_name(actor),
                action=AUDIT_PREFIX + action.value,
                at=at,
                before={"stage": before} if before else {},
                after={"stage": request.stage},
                payload={"request": request.pk, "street": request.street_id},
            )
        ]
    )


def _refuse(field: str, message: str | Promise) -> InvalidInput:
    return InvalidInput({field: [message]})


# --- registration (discovery) -----------------------------------------------------------------


@dataclass(frozen=True)
class NewRequest:
    street_id: int | None
    channel: str
    person_name: str
    phone: str
    address: str
    service_id: int | None
    need: str = ""
    groups: SpecialGroupInput = field(default_factory=SpecialGroupInput)


def check_register_request(actor: User, data: NewRequest) -> AssistanceRequest:
    errors: dict[str, list[str | Promise]] = {}

    def fail(name: str, message: str | Promise) -> None:
        errors.setdefault(name, []).append(message)

    street = None
    if data.street_id is not None and 1 <= data.street_id <= MAX_ID:
        street = Unit.objects.filter(
            pk=data.street_id, kind=UnitKind.CENTER, is_active=True
        ).first()
    if street is None:
        fail("street_id", _("Choose a street."))
    elif not may_act(actor, street.pk):
        raise Forbidden(_("Only the street's neighbourhood staff register its requests."))
    if data.channel not in RequestChannel.values:
        fail("channel", _("Unknown channel."))
    name = (data.person_name or "").strip()
    if not name:
        fail("person_name", _("The name is required."))
    elif len(name) > 100:
        fail("person_name", _("The name is too long (at most 100 characters)."))
    phone = (data.phone or "").strip()
    try:
        phone = validate_contact_phone(phone)
    except ValidationError as exc:
        for message in exc.messages:
            fail("phone", message)
    address = (data.address or "").strip()
    if len(address) < 5:
        fail("address", _("Give the address where the person is to be visited."))
    elif len(address) > 200:
        fail("address", _("The text is too long (at most %(limit)d characters).") % {"limit": 200})
    service = None
    if data.service_id is not None and 1 <= data.service_id <= MAX_ID and street is not None:
        service = (
            ServiceItem.objects.filter(pk=data.service_id, is_active=True)
            .select_related("matter")
            .first()
        )
        if service is not None and service.street_id not in (None, street.pk):
            service = None
    if service is None:
        fail("service_id", _("Choose a service on the street's list."))
    try:
        need = optional_text(data.need, field="need")
    except InvalidInput as exc:
        errors.update(exc.errors)
    groups, group_errors = clean_special_groups(data.groups, consent_required=True)
    errors.update(group_errors)
    if errors:
        raise InvalidInput(errors)
    assert street is not None
    assert service is not None
    return do_register_request(
        actor,
        street=street,
        channel=data.channel,
        person_name=name,
        phone=phone,
        address=address,
        service=service,
        need=need,
        groups=groups,
    )


def do_register_request(
    actor: User,
    *,
    street: Unit,
    channel: str,
    person_name: str,
    phone: str,
    address: str,
    service: ServiceItem,
    need: str,
    groups: SpecialGroupInput,
) -> AssistanceRequest:
    """Trusts its input as checked. A new request awaits review; the review's clock runs."""
    now = timezone.now()
    with transaction.atomic():
        request = AssistanceRequest(
            street=street,
            channel=channel,
            person_name=person_name,
            phone=phone,
            address=address,
            service=service,
            need=need,
            stage=Stage.REGISTERED,
            registered_at=now,
            registered_by=actor,
        )
        apply_special_groups(request, groups, now)
        clock.start_review(request, now)
        request.save()
        _record(request, AssistanceAction.REGISTERED, actor=actor, at=now, note=need)
    return request


# --- the steps --------------------------------------------------------------------------------


STATE_MESSAGES = {
    AssistanceAction.REVIEWED: _("Only a request awaiting review can be reviewed."),
    AssistanceAction.SCHEDULED: _(
        "Only an eligible request, or one whose visit is still to come, can be scheduled."
    ),
    AssistanceAction.VISITED: _("Only a request with a scheduled visit can have a visit record."),
    AssistanceAction.EVALUATED: _("Only a visited request can be evaluated."),
    AssistanceAction.APPROVAL: _("The approval is recorded after the evaluation, once."),
}


@contextmanager
def changing_request(
    actor: User, request_id: int, action: AssistanceAction, *, expected: tuple[Stage, ...]
) -> Iterator[tuple[AssistanceRequest, dt.datetime]]:
    """The frame of every step: a transaction, the request's row locked, the person's right
    and the stage checked; leaving it saves the request and writes the events."""
    with transaction.atomic():
        request = (
            AssistanceRequest.objects.select_for_update().filter(pk=request_id).first()
            if 1 <= request_id <= MAX_ID
            else None
        )
        if request is None:
            raise NotFound(_("No such door-to-door request."))
        if not may_act(actor, request.street_id):
            raise Forbidden(_("Only the street's neighbourhood staff work on its requests."))
        if request.stage not in expected:
            raise InvalidState(STATE_MESSAGES[action])
        before, now = request.stage, timezone.now()
        yield request, now
        request.save()
        note = request_note(request, action)
        _record(request, action, actor=actor, at=now, note=note, before=before)


def request_note(request: AssistanceRequest, action: AssistanceAction) -> str:
    """What the history keeps of a step besides its stage."""
    if action is AssistanceAction.REVIEWED:
        return request.review_note
    if action is AssistanceAction.VISITED:
        return request.visit_note
    if action is AssistanceAction.APPROVAL:
        return request.approval_note
    return ""


def check_review(actor: User, request_id: int, *, eligible: bool, note: str) -> AssistanceRequest:
    note = text_value(note, field="note", label=_("The explanation"), minimum=5)
    return do_review(actor, request_id, eligible=eligible, note=note)


def do_review(actor: User, request_id: int, *, eligible: bool, note: str) -> AssistanceRequest:
    """Trusts `note` as checked. Awaiting review → eligible (awaiting its appointment, no
    clock) or not eligible (ended); the person is texted the result and the explanation."""
    with changing_request(
        actor, request_id, AssistanceAction.REVIEWED, expected=(Stage.REGISTERED,)
    ) as (request, now):
        request.stage = Stage.ELIGIBLE if eligible else Stage.INELIGIBLE
        request.review_note, request.reviewed_at = note, now
        clock.stop(request)
        _text_review(request)
    return request


def _text_review(request: AssistanceRequest) -> None:
    try:
        phone = validate_mobile(request.phone)
    except ValidationError:
        return
    result = "符合上门服务条件" if request.stage == Stage.ELIGIBLE else "不符合上门服务条件"
    enqueue(
        channel="sms",
        recipient=phone,
        template="assistance_review",
        payload={
            "request_no": str(request.pk),
            "result": result,
            "reason": request.review_note[:SMS_REASON],
        },
    )


def materials_value(lines: list[str], *, field: str) -> list[str]:
    """A checklist: one material a line, blank lines dropped, each at most 100 characters."""
    items = [line.strip() for line in lines if line.strip()]
    if len(items) > MAX_MATERIALS:
        raise _refuse(field, _("At most %(count)d materials.") % {"count": MAX_MATERIALS})
    if any(len(item) > MAX_MATERIAL for item in items):
        raise _refuse(
            field,
            _("A material's name is too long (at most %(limit)d characters).")
            % {"limit": MAX_MATERIAL},
        )
    return list(dict.fromkeys(items))


def check_schedule(
    actor: User,
    request_id: int,
    *,
    appointment: dt.datetime | None,
    staff_id: int | None,
    materials: list[str],
) -> AssistanceRequest:
    if appointment is None:
        raise _refuse("appointment", _("Give the appointment's date and time."))
    if appointment <= timezone.now():
        raise _refuse("appointment", _("The appointment must be in the future."))
    if staff_id is None or not 1 <= staff_id <= MAX_ID:
        raise _refuse("staff_id", _("Choose the staff member who visits."))
    materials = materials_value(materials, field="materials")
    if not materials:
        raise _refuse("materials", _("List the materials to prepare, one a line."))
    return do_schedule(
        actor, request_id, appointment=appointment, staff_id=staff_id, materials=materials
    )


def do_schedule(
    actor: User,
    request_id: int,
    *,
    appointment: dt.datetime,
    staff_id: int,
    materials: list[str],
) -> AssistanceRequest:
    """Eligible (or scheduled: a new appointment) → scheduled; the visit's clock runs to the
    appointment. The staff member must work for the request's street."""
    with changing_request(
        actor, request_id, AssistanceAction.SCHEDULED, expected=(Stage.ELIGIBLE, Stage.SCHEDULED)
    ) as (request, _now):
        if staff_id not in street_staff(request.street_id):
            raise _refuse("staff_id", _("Choose a staff member of the request's street."))
        request.stage = Stage.SCHEDULED
        request.appointment_at, request.assigned_to_id = appointment, staff_id
        request.materials = materials
        clock.start_visit(request, appointment)
    return request


def street_staff(street_id: int) -> list[int]:
    """Who may be sent on a street's visits: its workers at the center or its points."""
    units = Unit.objects.filter(
        Q(pk=street_id) | Q(parent_id=street_id, kind=UnitKind.SERVICE_POINT)
    )
    return people_of(units.values_list("pk", flat=True), WORKERS)


def check_record_visit(
    actor: User, request_id: int, *, note: str, collected: list[str]
) -> AssistanceRequest:
    note = text_value(note, field="note", label=_("The visit record"), minimum=5)
    return do_record_visit(actor, request_id, note=note, collected=collected)


def do_record_visit(
    actor: User, request_id: int, *, note: str, collected: list[str]
) -> AssistanceRequest:
    """Trusts `note` as checked. Scheduled → visited: what was collected of the checklist,
    the application submitted and its approval pending; the approval's clock runs."""
    with changing_request(
        actor, request_id, AssistanceAction.VISITED, expected=(Stage.SCHEDULED,)
    ) as (request, now):
        unknown = [item for item in collected if item not in request.materials]
        if unknown:
            raise _refuse("collected", _("Tick only materials of the checklist."))
        request.stage = Stage.VISITED
        request.visited_at, request.visit_note = now, note
        request.materials_collected = [item for item in request.materials if item in collected]
        request.approval_status = ApprovalStatus.PENDING
        clock.start_approval(request, now)
    return request


def check_evaluate(actor: User, request_id: int, *, satisfaction: int | None) -> AssistanceRequest:
    if satisfaction not in Satisfaction.values:
        raise _refuse("satisfaction", _("Choose one of the five levels."))
    assert satisfaction is not None
    return do_evaluate(actor, request_id, satisfaction=satisfaction)


def do_evaluate(actor: User, request_id: int, *, satisfaction: int) -> AssistanceRequest:
    """Visited → evaluated, the person's level recorded; the approval is still followed. The
    level is also a service evaluation of the visit (好差评, R-NB-4): a 差评 is verified and
    answered like any other."""
    with changing_request(
        actor, request_id, AssistanceAction.EVALUATED, expected=(Stage.VISITED,)
    ) as (request, now):
        request.stage = Stage.EVALUATED
        request.satisfaction = satisfaction
        write_evaluation(
            NewEvaluation(
                level=Satisfaction(satisfaction),
                subject_kind=SubjectKind.DOOR_TO_DOOR,
                subject_id=str(request.pk),
                channel=EvaluationChannel.PAPER,
                unit_id=request.street_id,
                evaluated_at=now,
                staff_id=request.assigned_to_id,
                mobile=mobile_or_blank(request.phone),
            ),
            actor=actor,
            now=now,
        )
    return request


def check_record_approval(
    actor: User, request_id: int, *, status: str, decided_on: dt.date | None, note: str
) -> AssistanceRequest:
    if status not in (ApprovalStatus.APPROVED, ApprovalStatus.REFUSED):
        raise _refuse("status", _("Choose approved or refused."))
    if decided_on is None:
        raise _refuse("decided_on", _("Give the date of the decision."))
    if decided_on > local_date(timezone.now()):
        raise _refuse("decided_on", _("The decision's date cannot be in the future."))
    note = optional_text(note, field="note")
    return do_record_approval(
        actor, request_id, status=ApprovalStatus(status), decided_on=decided_on, note=note
    )


def do_record_approval(
    actor: User, request_id: int, *, status: ApprovalStatus, decided_on: dt.date, note: str
) -> AssistanceRequest:
    """Evaluated → done: the approval's decision and its date; the clock stops."""
    with changing_request(
        actor, request_id, AssistanceAction.APPROVAL, expected=(Stage.EVALUATED,)
    ) as (request, _now):
        assert request.visited_at is not None
        if decided_on < local_date(request.visited_at):
            raise _refuse("decided_on", _("The decision cannot come before the visit."))
        request.stage = Stage.DONE
        request.approval_status, request.approval_decided_on = status, decided_on
        request.approval_note = note
        clock.stop(request)
    return request
