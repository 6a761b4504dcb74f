"""Inspections and the follow-up of faults until repaired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.neighborhood.points.inspections import (
    Finding,
    check_record_inspection,
    check_record_repair,
)
from banchengshi.neighborhood.points.models import DeviceCheck, Fault, PointEvent
from tests.neighborhood.points.conftest import TODAY, Points

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def inspect(points: Points, *, screen: bool = True, printer: bool = True, **kw: object) -> object:
    user = kw.pop("user", points.staff_s1)
    return check_record_inspection(
        user,  # type: ignore[arg-type]
        points.p1.pk,
        inspected_on=kw.pop("day", TODAY),  # type: ignore[arg-type]
        findings=[
            Finding(points.screen.pk, screen, "" if screen else "屏幕黑屏"),
            Finding(points.printer.pk, printer),
        ],
        **kw,  # type: ignore[arg-type]
    )


def test_it_records_each_device_and_opens_a_fault(points: Points) -> None:
    inspection = inspect(points, screen=False)
    checks = DeviceCheck.objects.filter(inspection=inspection).order_by("equipment_id")
    assert [(c.equipment_id, c.working) for c in checks] == [
        (points.screen.pk, False),
        (points.printer.pk, True),
    ]
    fault = Fault.objects.get()
    assert (fault.equipment_id, fault.found_on, fault.description, fault.repaired_on) == (
        points.screen.pk,
        TODAY,
        "屏幕黑屏",
        None,
    )
    event = PointEvent.objects.filter(point=points.p1).latest("id")
    assert (event.action, event.note) == ("inspected", "not working: dual-screen all-in-one DS-001")


def test_it_follows_up_an_open_fault_instead_of_opening_another(points: Points) -> None:
    inspect(points, screen=False, day=dt.date(2026, 11, 10))
    inspect(points, screen=False)
    fault = Fault.objects.get()
    assert fault.description == "屏幕黑屏\n2026-11-20: 屏幕黑屏"


def test_a_fault_stays_open_until_a_repair_is_recorded(points: Points) -> None:
    inspect(points, screen=False, day=dt.date(2026, 11, 10))
    inspect(points)
    fault = Fault.objects.get()
    assert fault.repaired_on is None
    check_record_repair(
        points.staff_p1, points.p1.pk, fault_id=fault.pk, repaired_on=TODAY, note="更换主板"
    )
    fault.refresh_from_db()
    assert (fault.repaired_on, fault.repair_note, fault.repaired_by) == (
        TODAY,
        "更换主板",
        points.staff_p1,
    )
    with pytest.raises(InvalidState) as twice:
        check_record_repair(
            points.staff_p1, points.p1.pk, fault_id=fault.pk, repaired_on=TODAY, note="再修"
        )
    assert str(twice.value.message) == "This fault has been repaired already."
    inspect(points, screen=False)
    assert Fault.objects.filter(repaired_on__isnull=True).count() == 1


def test_it_refuses_a_repair_before_the_fault(points: Points) -> None:
    inspect(points, screen=False)
    fault = Fault.objects.get()
    with pytest.raises(InvalidInput) as refused:
        check_record_repair(
            points.admin,
            points.p1.pk,
            fault_id=fault.pk,
            repaired_on=dt.date(2026, 11, 19),
            note="修好",
        )
    assert refused.value.errors == {
        "repaired_on": ["A repair cannot come before the fault was found."]
    }


def test_it_refuses_a_fault_of_another_point(points: Points) -> None:
    inspect(points, screen=False)
    fault = Fault.objects.get()
    with pytest.raises(NotFound) as refused:
        check_record_repair(
            points.admin, points.p2.pk, fault_id=fault.pk, repaired_on=TODAY, note="修好"
        )
    assert str(refused.value.message) == "No such fault at this point."


def test_it_refuses_a_day_to_come(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        inspect(points, day=dt.date(2026, 11, 21))
    assert refused.value.errors == {"inspected_on": ["This day has not come yet."]}


def test_it_refuses_findings_that_miss_a_device(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_record_inspection(
            points.staff_s1,
            points.p1.pk,
            inspected_on=TODAY,
            findings=[Finding(points.screen.pk, True)],
        )
    assert refused.value.errors == {
        "findings": ["Say for each device of the point whether it works."]
    }


def test_it_refuses_a_point_without_devices(points: Points) -> None:
    with pytest.raises(InvalidState) as refused:
        check_record_inspection(points.staff_s2, points.p2.pk, inspected_on=TODAY, findings=[])
    assert str(refused.value.message) == "This point has no device to inspect."


def test_it_keeps_a_png_photo(points: Points) -> None:
    inspection = inspect(points, photo=SimpleUploadedFile("现场.png", PNG))
    name = inspection.photo.name  # type: ignore[attr-defined]
    assert name.startswith("points/inspections/")
    assert name.endswith(".png")
    inspection.photo.delete(save=False)  # type: ignore[attr-defined]


def test_it_refuses_a_photo_that_is_no_image(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        inspect(points, photo=SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image"))
    assert refused.value.errors == {"photo": ["The photo must be a JPEG or PNG image."]}


@pytest.mark.parametrize("user", ["staff_s2", "head_s2"])
def test_another_street_cannot_inspect(points: Points, user: str) -> None:
    with pytest.raises(NotFound):
        inspect(points, user=getattr(points, user))


def test_a_window_head_of_the_street_sees_but_does_not_inspect(points: Points) -> None:
    with pytest.raises(Forbidden) as refused:
        check_record_inspection(
            points.head_s2,
            points.p2.pk,
            inspected_on=TODAY,
            findings=[],
        )
    assert str(refused.value.message) == (
        "Only the neighbourhood staff of the point's street inspect it."
    )
