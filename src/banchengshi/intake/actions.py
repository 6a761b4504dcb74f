"""Registering what arrives from outside: external records (R-IN-3) and Open311 requests.

An external record is identified by its source and its own id. The same record sent again,
by a retry or by a second import of the same file, yields the case it made the first time;
two copies racing each other collide on the unique (external_source, external_id) constraint
and the loser answers with the winner's case (R-Q-4). Registration itself is the engine's
(`cases.actions.registration.check_register_case`): the same checks and audit event as at a window.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.access import may_see
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.models import Case, Channel
from banchengshi.cases.registration import Registration
from banchengshi.errors import ActionRefused, NotFound
from banchengshi.evaluation.actions.recording import do_link_case
from banchengshi.intake.evaluations import keep_evaluation
from banchengshi.intake.mapping import CatalogueLookups, Record, external_id, prepare_registration
from banchengshi.intake.models import Open311Request
from banchengshi.intake.sources import Source, find_source, require_source_account
from banchengshi.notify.outbox import text_petitioner
from banchengshi.org.scope import scope_for


class DuplicateRecord(ActionRefused):
    """The record exists, registered by another account."""

    status = 409

    def __init__(self, column: str) -> None:
        super().__init__(
            "duplicate", _("This external record has already been registered."), column
        )


@dataclass(frozen=True)
class IntakeResult:
    case: Case
    created: bool


def source_or_404(key: str) -> Source:
    source = find_source(key)
    if source is None:
        raise NotFound(_("There is no intake source called “%(key)s”.") % {"key": key})
    return source


def external_records(source: Source) -> QuerySet[Case]:
    """The cases of a source, through the unique index on (external_source, external_id).
    That index is partial (WHERE NOT external_source = ''), and SQLite uses a partial index
    only when the query repeats its condition: without it every look-up scans the table."""
    return Case.objects.filter(external_source=source.key).exclude(external_source="")


def registered_case(actor: User, source: Source, record_id: str) -> Case | None:
    """The case this record made already, if any: one indexed look-up."""
    case_id = (
        external_records(source)
        .filter(external_id=record_id)
        .order_by()
        .values_list("pk", flat=True)
        .first()
    )
    if case_id is None:
        return None
    case = Case.objects.get(pk=case_id)
    # Another account's case under this id (one registered before ids belonged to their
    # source) is a clash to refuse, never the answer to this record.
    if case.registered_by_id != actor.pk or not may_see(scope_for(actor), case):
        raise DuplicateRecord(source.id_column)
    return case


def check_intake_record(
    actor: User, source: Source, record: Record, lookups: CatalogueLookups | None = None
) -> IntakeResult:
    """The case of this external record: the one it made before, or a new one. A record
    already registered is answered with its case even when this copy differs or would no
    longer validate: the first copy is the one that counts."""
    require_source_account(actor, source.key)
    record_id = external_id(source, record)
    lookups = lookups or CatalogueLookups()
    # Kept before the registration's checks: a rating that becomes no case is kept too.
    rating = keep_evaluation(actor, source, record, record_id, lookups)
    existing = registered_case(actor, source, record_id)
    if existing is not None:
        if rating is not None:
            do_link_case(rating.pk, existing.pk)
        return IntakeResult(existing, created=False)
    registration = prepare_registration(source, record, lookups, record_id=record_id)
    return do_intake_record(
        actor, source, registration, evaluation_id=rating.pk if rating is not None else None
    )


def do_intake_record(
    actor: User, source: Source, registration: Registration, *, evaluation_id: int | None = None
) -> IntakeResult:
    """`evaluation_id`: the record's rating (intake.evaluations), linked to the new case."""
    try:
        with transaction.atomic():
            case = check_register_case(actor, registration)
            if source.acknowledge:
                _acknowledge(case)
            if evaluation_id is not None:
                do_link_case(evaluation_id, case.pk)
    except IntegrityError:
        existing = registered_case(actor, source, registration.external_id)
        if existing is None:
            raise
        return IntakeResult(existing, created=False)
    return IntakeResult(case, created=True)


def _acknowledge(case: Case) -> None:
    text_petitioner(
        phone=case.phone,
        tracking_no=case.tracking_no,
        case_id=case.pk,
        template="intake_received",
        payload={"channel": case.channel},
    )


# --- Open311 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Open311Submission:
    """A POST requests.{format}, its parameters checked for shape (open311.forms)."""

    matter_id: int
    petitioner_name: str
    phone: str
    description: str
    # Registration fields from the service definition's attributes, typed (open311.attributes).
    attributes: dict[str, str | int] = field(default_factory=dict)
    lat: float | None = None
    long: float | None = None
    address: str = ""
    address_id: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""


def check_open311_request(actor: User, submission: Open311Submission) -> Open311Request:
    """Register an appeal filed through Open311 at the hub (the api_key's account) and keep
    what the client sent beyond the form; the client exchanges the token for the tracking
    number."""
    extra: dict[str, Any] = dict(submission.attributes)
    registration = Registration(
        channel=Channel.OPEN311,
        petitioner_type=extra.pop("petitioner_type", "person"),
        petitioner_name=submission.petitioner_name,
        phone=submission.phone,
        description=submission.description,
        matter_id=submission.matter_id,
        **extra,
    )
    with transaction.atomic():
        case = check_register_case(actor, registration)
        return Open311Request.objects.create(
            case=case,
            token=secrets.token_urlsafe(16),
            lat=submission.lat,
            long=submission.long,
            address=submission.address,
            address_id=submission.address_id,
            email=submission.email,
            device_id=submission.device_id,
            account_id=submission.account_id,
            media_url=submission.media_url,
        )
