"""A new appeal from any channel: the window, the hub, other systems, the public pages."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases import search
from banchengshi.cases.access import may_register_at, registers_anywhere, window_units
from banchengshi.cases.actions.common import actor_label, add_work, deadline_error, hub_unit, is_id
from banchengshi.cases.clocks import policy_version_in_force
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import Case, CaseUnit, State, TrackingSequence, WorkKind
from banchengshi.cases.registration import Registration, clean_registration
from banchengshi.cases.signals import case_registered, tell_if_past
from banchengshi.cases.special_groups import SpecialGroup, apply_special_groups
from banchengshi.catalog.models import Matter
from banchengshi.errors import Forbidden, InvalidInput
from banchengshi.org.models import HANDLING_KINDS, Unit
from banchengshi.org.scope import scope_for
from banchengshi.policy.deadlines import local_date
from banchengshi.workdays.calendar import UnknownYearError


def check_register_case(actor: User, data: Registration) -> Case:
    """Register an appeal from any channel. Window staff register at their own center; the hub
    and external systems (a person with the dispatcher role) register anywhere."""
    scope = scope_for(actor)
    data = clean_registration(data)
    if data.registered_unit_id is None:
        if registers_anywhere(scope):
            # The scope found the hub already for a person holding a hub role.
            data = _with_unit(data, scope.hub_unit_id or hub_unit().pk)
        else:
            units = window_units(scope)
            if len(units) != 1:
                raise InvalidInput({"registered_unit_id": [_("Choose the center registering.")]})
            data = _with_unit(data, units[0])
    unit_id = data.registered_unit_id
    assert unit_id is not None
    if not may_register_at(scope, unit_id):
        raise Forbidden(_("You may register appeals only at a window of your own center."))
    return do_register_case(actor, data, registration_references(data))


def _with_unit(data: Registration, unit_id: int) -> Registration:
    return replace(data, registered_unit_id=unit_id)


@dataclass(frozen=True)
class References:
    """The rows a registration names, read once: checked here, and given to the new case so
    that the answer needs no second read of them."""

    units: dict[int, Unit]
    matter: Matter | None


def registration_references(data: Registration) -> References:
    """The matter and the units a registration names (one query each), or InvalidInput when
    one does not exist or cannot take a case."""
    unit_ids = {data.registered_unit_id, data.department_id, data.failed_at_unit_id}
    units = Unit.objects.in_bulk([unit_id for unit_id in unit_ids if is_id(unit_id)])
    errors: dict[str, list[Any]] = {}
    for field_name in ("department_id", "failed_at_unit_id"):
        unit = units.get(getattr(data, field_name))
        if getattr(data, field_name) is not None and (
            unit is None or not unit.is_active or unit.kind not in HANDLING_KINDS
        ):
            errors[field_name] = [_("Choose a department or service center.")]
    if data.registered_unit_id not in units:
        errors["registered_unit_id"] = [_("Choose the center registering.")]
    matter = None
    if data.matter_id is not None:
        matter = Matter.objects.filter(pk=data.matter_id).first() if is_id(data.matter_id) else None
        if matter is None:
            errors["matter_id"] = [_("There is no such service matter.")]
    if errors:
        raise InvalidInput(errors)
    return References(units, matter)


def do_register_case(actor: User | None, data: Registration, refs: References) -> Case:
    """`actor` None: the petitioner filed it on a public page (portal, phone, kiosk)."""
    received_at = data.received_at or timezone.now()
    unit_id = data.registered_unit_id
    assert unit_id is not None, "check_register_case fills in the registering unit"
    try:
        with transaction.atomic():
            case = Case(
                # A placeholder until the number is taken, last (see below).
                tracking_no=f"~{uuid.uuid4().hex[:23]}",
                state=State.REGISTERED,
                channel=data.channel,
                received_at=received_at,
                registered_unit=refs.units[unit_id],
                window=data.window,
                registered_by=actor,
                petitioner_type=data.petitioner_type,
                petitioner_name=data.petitioner_name,
                phone=data.phone,
                id_number=data.id_number,
                enterprise_name=data.enterprise_name,
                credit_code=data.credit_code,
                matter=refs.matter,
                matter_text=data.matter_text,
                department=refs.units.get(data.department_id or 0),
                failed_at_unit=refs.units.get(data.failed_at_unit_id or 0),
                online_application_no=data.online_application_no,
                visits_count=data.visits_count,
                description=data.description,
                request=data.request,
                category=data.category,
                complexity=data.complexity,
                policy=policy_version_in_force(),
                external_source=data.external_source,
                external_id=data.external_id,
            )
            apply_special_groups(case, data.special, received_at)
            case.save()
            link = CaseUnit.objects.create(
                case=case, unit_id=unit_id, relation=CaseUnit.Relation.REGISTERED
            )
            # Back-dated (the window, the API, an import): a past day's intake changes.
            tell_if_past(received_at, district=True)
            add_work(case, WorkKind.SCREEN, unit_id, None)
            case_registered.send(sender=Case, case=case)
            # The year's sequence row stays locked until the commit, so that the numbers have
            # no gaps: taken last, just before the audit chain's head row (which every audited
            # action waits for anyway), concurrent registrations do the rest side by side.
            case.tracking_no = _next_tracking_no(received_at)
            Case.objects.filter(pk=case.pk).update(tracking_no=case.tracking_no)
            search.index_case(case)
            events = append_events(
                [
                    PendingEvent(
                        case_id=case.pk,
                        actor_id=actor.pk if actor is not None else None,
                        actor_label=actor_label(actor),
                        action=CaseEvent.REGISTER,
                        at=timezone.now(),
                        before={},
                        after={"state": case.state, "tracking_no": case.tracking_no},
                        payload=registered_payload(
                            channel=case.channel,
                            groups=case.special_groups,
                            consent_by=case.consent_by,
                            consent_method=case.consent_method,
                        ),
                    )
                ]
            )
    except UnknownYearError as exc:
        raise deadline_error(exc) from None
    # What a read of the new case would find, so that answering with it costs no query.
    case._prefetched_objects_cache = {"unit_links": [link], "events": events}  # type: ignore[attr-defined]
    return case


def registered_payload(
    *, channel: str, groups: list[SpecialGroup], consent_by: str, consent_method: str
) -> dict[str, object]:
    """The registration's audit payload: the channel, and the special groups of a case on the
    fast channel (who consented, and how). The demo's simulation writes it too."""
    payload: dict[str, object] = {"channel": channel}
    if groups:
        payload["special_groups"] = [group.value for group in groups]
        payload["consent"] = {"by": consent_by, "method": consent_method}
    return payload


def _next_tracking_no(received_at: dt.datetime) -> str:
    prefix = settings.BANCHENGSHI_DISTRICT_CODE
    year = local_date(received_at).year
    last = _advance_sequence(prefix, year)
    if last is None:
        try:
            with transaction.atomic():
                TrackingSequence.objects.create(prefix=prefix, year=year, last=1)
            last = 1
        except IntegrityError:  # created by a concurrent registration meanwhile
            last = _advance_sequence(prefix, year)
    assert last is not None
    return f"{prefix}-{year}-{last:06d}"


def _advance_sequence(prefix: str, year: int) -> int | None:
    """The next number of the year's sequence, or None if the year has none yet. One
    UPDATE … RETURNING (PostgreSQL, SQLite ≥ 3.35): the row lock it takes until the commit
    orders the ends of concurrent registrations, and no second statement reads the number
    back."""
    table = connection.ops.quote_name(TrackingSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND year = %s RETURNING last",
            [prefix, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None
