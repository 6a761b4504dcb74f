"""Changing service points (R-NB-1): creating one (its unit under the street's acceptance
center, through org's actions), changing its details, its status (with the day it takes
effect and the reason), adding and removing devices. Each change runs under the point's row
lock and writes one PointEvent, the point's history. Inspections and repairs:
inspections.py."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from banchengshi.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.neighborhood.points.access import may_inspect, may_manage, may_see
from banchengshi.neighborhood.points.checks import PointDetails, clean_text
from banchengshi.neighborhood.points.models import (
    Equipment,
    EquipmentKind,
    PointAction,
    PointEvent,
    PointStatus,
    ServicePoint,
)
from banchengshi.org.actions import do_create_unit, do_save_unit
from banchengshi.org.models import Unit, UnitKind
from banchengshi.org.scope import scope_for

# From each status, where a point may go. A changed point goes back to plain open once its
# change has been announced long enough; a closed one may reopen.
TRANSITIONS: dict[PointStatus, frozenset[PointStatus]] = {
    PointStatus.PLANNED: frozenset({PointStatus.OPEN, PointStatus.CLOSED}),
    PointStatus.OPEN: frozenset({PointStatus.CHANGED, PointStatus.CLOSED}),
    PointStatus.CHANGED: frozenset({PointStatus.OPEN, PointStatus.CHANGED, PointStatus.CLOSED}),
    PointStatus.CLOSED: frozenset({PointStatus.OPEN}),
}
MAX_REASON = 500


def record(
    point: ServicePoint,
    action: PointAction,
    *,
    actor: User,
    at: dt.datetime,
    note: str = "",
    effective_on: dt.date | None = None,
) -> None:
    PointEvent.objects.create(
        point=point,
        action=action,
        status=point.status if action in (PointAction.CREATED, PointAction.STATUS) else "",
        effective_on=effective_on,
        note=note,
        actor=actor,
        at=at,
    )


@dataclass
class Change:
    point: ServicePoint
    now: dt.datetime


class Need(enum.Enum):
    """What a change asks of the person: managing the point, or inspecting it."""

    MANAGE = "manage"
    INSPECT = "inspect"


@contextmanager
def changing_point(actor: User, point_id: int, *, need: Need) -> Iterator[Change]:
    """The frame of every change: a transaction, the point's row locked, the person's right
    checked (a point they may not see is not found)."""
    with transaction.atomic():
        point = (
            ServicePoint.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk=point_id)
            .first()
        )
        scope = scope_for(actor)
        if point is None or not may_see(scope, point):
            raise NotFound(_("No such service point."))
        if need is Need.MANAGE and not may_manage(scope):
            raise Forbidden(_("Only the office administrators manage service points."))
        if need is Need.INSPECT and not may_inspect(scope, point):
            raise Forbidden(_("Only the neighbourhood staff of the point's street inspect it."))
        yield Change(point=point, now=timezone.now())


def _require_manager(actor: User) -> None:
    if not may_manage(scope_for(actor)):
        raise Forbidden(_("Only the office administrators manage service points."))


def _center(center_id: int) -> Unit:
    center = Unit.objects.filter(pk=center_id, kind=UnitKind.CENTER, is_active=True).first()
    if center is None:
        raise InvalidInput({"center_id": [_("Choose an active acceptance center.")]})
    return center


# --- creating and changing --------------------------------------------------------------------


def check_create_point(
    actor: User, *, center_id: int, details: PointDetails, code: str = ""
) -> ServicePoint:
    """`details` from checks.clean_details. The point starts planned."""
    _require_manager(actor)
    center = _center(center_id)
    code = clean_text(code, field="code", limit=32, required=False)
    if code and Unit.objects.filter(code=code).exists():
        raise InvalidInput({"code": [_("Another unit has this code.")]})
    return do_create_point(actor, center=center, details=details, code=code)


def do_create_point(
    actor: User, *, center: Unit, details: PointDetails, code: str = ""
) -> ServicePoint:
    now = timezone.now()
    try:
        with transaction.atomic():
            unit = do_create_unit(
                code or f"SP-{secrets.token_hex(5).upper()}",
                details.name,
                UnitKind.SERVICE_POINT,
                center,
            )
            point = ServicePoint(unit=unit, center=center, updated_at=now)
            _apply(point, details)
            point.save()
            point.matters.set(details.matter_ids)
            record(point, PointAction.CREATED, actor=actor, at=now)
    except IntegrityError as error:
        raise Conflict(_("Another unit took this code meanwhile; try again.")) from error
    return point


def _apply(point: ServicePoint, details: PointDetails) -> None:
    point.kind = details.kind
    point.address = details.address
    point.latitude, point.longitude = details.latitude, details.longitude
    point.opening_hours = details.opening_hours


def check_change_point(actor: User, point_id: int, *, details: PointDetails) -> ServicePoint:
    return do_change_point(actor, point_id, details=details)


def do_change_point(actor: User, point_id: int, *, details: PointDetails) -> ServicePoint:
    """The history names what changed; a point whose details changed while open may be marked
    changed with check_change_status, which says why."""
    with changing_point(actor, point_id, need=Need.MANAGE) as change:
        point = change.point
        before = _described(point)
        if point.unit.name != details.name:
            point.unit.name = details.name
            do_save_unit(point.unit)
        _apply(point, details)
        point.updated_at = change.now
        point.save()
        point.matters.set(details.matter_ids)
        changed = [label for label, value in _described(point).items() if before[label] != value]
        record(point, PointAction.CHANGED, actor=actor, at=change.now, note=", ".join(changed))
    return point


def _described(point: ServicePoint) -> dict[str, object]:
    return {
        _("name"): point.unit.name,
        _("kind"): point.kind,
        _("address"): point.address,
        _("coordinates"): (point.latitude, point.longitude),
        _("opening hours"): point.opening_hours,
        _("matters"): sorted(point.matters.values_list("pk", flat=True)) if point.pk else [],
    }


# --- status -----------------------------------------------------------------------------------


STATUS_REFUSALS = {
    PointStatus.OPEN: gettext_lazy("Only a planned, changed or closed point can open."),
    PointStatus.CHANGED: gettext_lazy("Only an open point can be marked changed."),
    PointStatus.CLOSED: gettext_lazy("This point is closed already."),
    PointStatus.PLANNED: gettext_lazy("A point cannot go back to planned."),
}


def check_change_status(
    actor: User, point_id: int, *, status: str, effective_on: dt.date, reason: str
) -> ServicePoint:
    if status not in PointStatus.values:
        raise InvalidInput({"status": [_("Choose one of the statuses offered.")]})
    reason = clean_text(reason, field="reason", limit=MAX_REASON)
    if len(reason) < 2:
        raise InvalidInput({"reason": [_("Say why, in a few words.")]})
    return do_change_status(
        actor, point_id, status=PointStatus(status), effective_on=effective_on, reason=reason
    )


def do_change_status(
    actor: User, point_id: int, *, status: PointStatus, effective_on: dt.date, reason: str
) -> ServicePoint:
    with changing_point(actor, point_id, need=Need.MANAGE) as change:
        point = change.point
        if status not in TRANSITIONS[PointStatus(point.status)]:
            raise InvalidState(STATUS_REFUSALS[status])
        point.status = status
        point.updated_at = change.now
        point.save(update_fields=["status", "updated_at"])
        if point.unit.is_active != (status != PointStatus.CLOSED):
            point.unit.is_active = status != PointStatus.CLOSED
            point.unit.save(update_fields=["is_active"])
        record(
            point,
            PointAction.STATUS,
            actor=actor,
            at=change.now,
            note=reason,
            effective_on=effective_on,
        )
    return point


# --- equipment --------------------------------------------------------------------------------


def check_add_equipment(actor: User, point_id: int, *, kind: str, serial_number: str) -> Equipment:
    if kind not in EquipmentKind.values:
        raise InvalidInput({"kind": [_("Choose one of the kinds offered.")]})
    serial = clean_text(serial_number, field="serial_number", limit=64)
    return do_add_equipment(actor, point_id, kind=EquipmentKind(kind), serial_number=serial)


def do_add_equipment(
    actor: User, point_id: int, *, kind: EquipmentKind, serial_number: str
) -> Equipment:
    with changing_point(actor, point_id, need=Need.MANAGE) as change:
        in_use = Equipment.objects.filter(
            kind=kind, serial_number=serial_number, removed_at__isnull=True
        ).first()
        if in_use is not None:
            raise InvalidInput(
                {
                    "serial_number": [
                        _("A device of this kind with this serial number is in use at %(point)s.")
                        % {"point": in_use.point.unit.name}
                    ]
                }
            )
        try:
            with transaction.atomic():
                device = Equipment.objects.create(
                    point=change.point, kind=kind, serial_number=serial_number, added_at=change.now
                )
        except IntegrityError:
            # Added at another point meanwhile (the lock held is this point's).
            raise InvalidInput({"serial_number": [_("This serial number is in use.")]}) from None
        record(
            change.point, PointAction.EQUIPMENT_ADDED, actor=actor, at=change.now, note=str(device)
        )
    return device


def check_remove_equipment(
    actor: User, point_id: int, *, equipment_id: int, reason: str
) -> Equipment:
    reason = clean_text(reason, field="reason", limit=MAX_REASON)
    return do_remove_equipment(actor, point_id, equipment_id=equipment_id, reason=reason)


def do_remove_equipment(actor: User, point_id: int, *, equipment_id: int, reason: str) -> Equipment:
    """The device keeps its row, inspections and faults; an open fault stays open (the
    removal does not repair it)."""
    with changing_point(actor, point_id, need=Need.MANAGE) as change:
        device = Equipment.objects.filter(pk=equipment_id, point=change.point).first()
        if device is None:
            raise NotFound(_("No such device at this point."))
        if device.removed_at is not None:
            raise InvalidState(_("This device was removed already."))
        device.removed_at = change.now
        device.save(update_fields=["removed_at"])
        record(
            change.point,
            PointAction.EQUIPMENT_REMOVED,
            actor=actor,
            at=change.now,
            note=f"{device}: {reason}",
        )
    return device
