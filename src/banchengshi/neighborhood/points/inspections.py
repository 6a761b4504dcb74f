"""Inspections of a point and the follow-up of faults (R-NB-1): an inspection records each
device in use as working or not, with an optional photo; a device found not working opens a
fault (or is noted on the fault it already has), which stays open until a repair is recorded.
Each under the point's row lock, with one PointEvent."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from banchengshi.cases.attachments import JPEG, PNG, sniff
from banchengshi.errors import InvalidInput, InvalidState, NotFound
from banchengshi.neighborhood.points.actions import Need, changing_point, record
from banchengshi.neighborhood.points.checks import clean_text, past_day
from banchengshi.neighborhood.points.models import (
    DeviceCheck,
    Equipment,
    Fault,
    Inspection,
    PointAction,
)

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_NOTE = 1000
PHOTO_KINDS = (JPEG, PNG)


@dataclass(frozen=True)
class Finding:
    """One device as the inspector found it; `fault` says what is wrong when it is not
    working."""

    equipment_id: int
    working: bool
    fault: str = ""


def check_record_inspection(
    actor: User,
    point_id: int,
    *,
    inspected_on: dt.date,
    findings: list[Finding],
    note: str = "",
    photo: UploadedFile | None = None,
) -> Inspection:
    inspected_on = past_day(inspected_on, field="inspected_on")
    note = clean_text(note, field="note", limit=MAX_NOTE, required=False)
    cleaned = [
        Finding(
            f.equipment_id,
            f.working,
            clean_text(f.fault, field="findings", limit=MAX_NOTE, required=False),
        )
        for f in findings
    ]
    if photo is not None:
        _check_photo(photo)
    return do_record_inspection(
        actor, point_id, inspected_on=inspected_on, findings=cleaned, note=note, photo=photo
    )


def _check_photo(photo: UploadedFile) -> None:
    if (photo.size or 0) > MAX_PHOTO_BYTES:
        raise InvalidInput({"photo": [_("The photo is too large (at most 8 MB).")]})
    kind = sniff(photo)
    if kind not in PHOTO_KINDS:
        raise InvalidInput({"photo": [_("The photo must be a JPEG or PNG image.")]})


def do_record_inspection(
    actor: User,
    point_id: int,
    *,
    inspected_on: dt.date,
    findings: list[Finding],
    note: str,
    photo: UploadedFile | None,
) -> Inspection:
    """Every device in use must be found working or not, and no other."""
    with changing_point(actor, point_id, need=Need.INSPECT) as change:
        point = change.point
        devices = {d.pk: d for d in Equipment.objects.filter(point=point, removed_at__isnull=True)}
        found = {f.equipment_id: f for f in findings}
        if not devices:
            raise InvalidState(_("This point has no device to inspect."))
        if set(found) != set(devices) or len(found) != len(findings):
            raise InvalidInput(
                {"findings": [_("Say for each device of the point whether it works.")]}
            )
        inspection = Inspection(
            point=point,
            inspected_on=inspected_on,
            inspector=actor,
            note=note,
            recorded_at=change.now,
        )
        if photo is not None:
            kind = sniff(photo)
            assert kind is not None
            inspection.photo.save(f"{secrets.token_hex(8)}{kind.extensions[0]}", photo, save=False)
        inspection.save()
        DeviceCheck.objects.bulk_create(
            [
                DeviceCheck(inspection=inspection, equipment_id=pk, working=found[pk].working)
                for pk in sorted(devices)
            ]
        )
        still_open = {
            fault.equipment_id: fault
            for fault in Fault.objects.filter(point=point, repaired_on__isnull=True)
        }
        broken = []
        for pk in sorted(devices):
            finding = found[pk]
            if finding.working:
                continue
            broken.append(str(devices[pk]))
            fault = still_open.get(pk)
            if fault is None:
                Fault.objects.create(
                    point=point,
                    equipment_id=pk,
                    found_by=inspection,
                    found_on=inspected_on,
                    description=finding.fault,
                )
            elif finding.fault:
                # Followed up: what this inspection saw is added to the open fault.
                fault.description = (
                    f"{fault.description}\n{inspected_on.isoformat()}: {finding.fault}".strip()
                )
                fault.save(update_fields=["description"])
        summary = (
            _("not working: %(devices)s") % {"devices": ", ".join(broken)}
            if broken
            else _("all devices working")
        )
        record(
            point,
            PointAction.INSPECTED,
            actor=actor,
            at=change.now,
            note=summary,
            effective_on=inspected_on,
        )
    return inspection


def check_record_repair(
    actor: User, point_id: int, *, fault_id: int, repaired_on: dt.date, note: str
) -> Fault:
    repaired_on = past_day(repaired_on, field="repaired_on")
    note = clean_text(note, field="note", limit=MAX_NOTE)
    return do_record_repair(actor, point_id, fault_id=fault_id, repaired_on=repaired_on, note=note)


def do_record_repair(
    actor: User, point_id: int, *, fault_id: int, repaired_on: dt.date, note: str
) -> Fault:
    with changing_point(actor, point_id, need=Need.INSPECT) as change:
        fault = (
            Fault.objects.select_related("equipment")
            .filter(pk=fault_id, point=change.point)
            .first()
        )
        if fault is None:
            raise NotFound(_("No such fault at this point."))
        if fault.repaired_on is not None:
            raise InvalidState(_("This fault has been repaired already."))
        if repaired_on < fault.found_on:
            raise InvalidInput(
                {"repaired_on": [_("A repair cannot come before the fault was found.")]}
            )
        fault.repaired_on, fault.repair_note, fault.repaired_by = repaired_on, note, actor
        fault.save(update_fields=["repaired_on", "repair_note", "repaired_by"])
        record(
            change.point,
            PointAction.REPAIRED,
            actor=actor,
            at=change.now,
            note=f"{fault.equipment}: {note}",
            effective_on=repaired_on,
        )
    return fault
