"""Creating and changing points, their status and equipment: each change and each refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.neighborhood.points.actions import (
    check_add_equipment,
    check_change_point,
    check_change_status,
    check_create_point,
    check_remove_equipment,
)
from banchengshi.neighborhood.points.checks import clean_details
from banchengshi.neighborhood.points.models import (
    Equipment,
    PointAction,
    PointEvent,
    PointStatus,
    ServicePoint,
)
from banchengshi.org.models import Unit, UnitKind
from tests.neighborhood.points.conftest import TODAY, Points, details


def test_it_creates_a_planned_point_under_its_center(points: Points) -> None:
    point = check_create_point(
        points.admin, center_id=points.s1.pk, details=clean_details(**details("新点")), code="SP-X"
    )
    unit = Unit.objects.get(pk=point.unit_id)
    assert (unit.code, unit.kind, unit.parent_id) == ("SP-X", UnitKind.SERVICE_POINT, points.s1.pk)
    assert unit.path == f"{points.s1.path}{unit.pk}/"
    assert (point.status, point.center_id, point.latitude) == (
        PointStatus.PLANNED,
        points.s1.pk,
        Decimal("31.245100"),
    )
    event = PointEvent.objects.get(point=point)
    assert (event.action, event.status, event.actor) == ("created", "planned", points.admin)


def test_it_refuses_creation_by_neighbourhood_staff(points: Points) -> None:
    with pytest.raises(Forbidden) as refused:
        check_create_point(
            points.staff_s1, center_id=points.s1.pk, details=clean_details(**details())
        )
    assert str(refused.value.message) == "Only the office administrators manage service points."


def test_it_refuses_a_center_that_is_no_center(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_create_point(
            points.admin, center_id=points.org.dept_a.pk, details=clean_details(**details())
        )
    assert refused.value.errors == {"center_id": ["Choose an active acceptance center."]}


def test_it_refuses_a_code_in_use(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_create_point(
            points.admin, center_id=points.s1.pk, details=clean_details(**details()), code="SQ-TP"
        )
    assert refused.value.errors == {"code": ["Another unit has this code."]}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"name": "  "}, {"name": ["This field is required."]}),
        (
            {"name": "站\x00点"},
            {"name": ["Remove the invisible control character (such as NUL) from this text."]},
        ),
        ({"address": "路" * 201}, {"address": ["The text is too long (at most 200 characters)."]}),
        ({"kind": "castle"}, {"kind": ["Choose one of the kinds offered."]}),
        ({"latitude": "91"}, {"latitude": ["Give a number from -90 to 90."]}),
        ({"longitude": "-180.5"}, {"longitude": ["Give a number from -180 to 180."]}),
        ({"longitude": "NaN"}, {"longitude": ["Give a number from -180 to 180."]}),
        ({"latitude": "1e400"}, {"latitude": ["Give a number from -90 to 90."]}),
        (
            {"latitude": None},
            {"latitude": ["Give both the latitude and the longitude, or neither."]},
        ),
        ({"matter_ids": [10**12]}, {"matter_ids": ["Choose matters from the catalogue."]}),
        ({"matter_ids": [987654]}, {"matter_ids": ["Choose matters from the catalogue."]}),
    ],
)
def test_it_refuses_bad_details(
    points: Points, changes: dict[str, object], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_details(**details(**changes))
    assert refused.value.errors == errors


def test_it_changes_the_details_and_names_what_changed(points: Points) -> None:
    changed = details("曹杨一村新服务站", opening_hours="每天 8:30-20:00", matter_ids=[])
    point = check_change_point(points.admin, points.p1.pk, details=clean_details(**changed))
    assert Unit.objects.get(pk=point.unit_id).name == "曹杨一村新服务站"
    assert list(point.matters.all()) == []
    event = PointEvent.objects.filter(point=point).latest("id")
    assert (event.action, event.note) == ("changed", "name, opening hours, matters")


def test_it_opens_a_planned_point_with_its_day_and_reason(points: Points) -> None:
    day = dt.date(2026, 12, 1)
    check_change_status(
        points.admin, points.q2.pk, status="open", effective_on=day, reason="设备到位"
    )
    point = ServicePoint.objects.get(pk=points.q2.pk)
    event = PointEvent.objects.filter(point=point).latest("id")
    assert point.status == PointStatus.OPEN
    assert (event.action, event.status, event.effective_on, event.note) == (
        "status",
        "open",
        day,
        "设备到位",
    )


def test_it_closes_a_point_and_its_unit(points: Points) -> None:
    check_change_status(
        points.admin, points.p1.pk, status="closed", effective_on=TODAY, reason="居委会搬迁"
    )
    assert ServicePoint.objects.get(pk=points.p1.pk).status == PointStatus.CLOSED
    assert Unit.objects.get(pk=points.p1.unit_id).is_active is False
    check_change_status(
        points.admin, points.p1.pk, status="open", effective_on=TODAY, reason="新址开放"
    )
    assert Unit.objects.get(pk=points.p1.unit_id).is_active is True


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        ("planned", "changed", "Only an open point can be marked changed."),
        ("open", "open", "Only a planned, changed or closed point can open."),
        ("open", "planned", "A point cannot go back to planned."),
        ("closed", "closed", "This point is closed already."),
        ("closed", "changed", "Only an open point can be marked changed."),
    ],
)
def test_it_refuses_a_transition(points: Points, start: str, target: str, message: str) -> None:
    ServicePoint.objects.filter(pk=points.p1.pk).update(status=start)
    with pytest.raises(InvalidState) as refused:
        check_change_status(
            points.admin, points.p1.pk, status=target, effective_on=TODAY, reason="原因"
        )
    assert str(refused.value.message) == message
    assert ServicePoint.objects.get(pk=points.p1.pk).status == start


def test_it_refuses_a_status_without_a_reason(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_change_status(
            points.admin, points.p1.pk, status="closed", effective_on=TODAY, reason=" "
        )
    assert refused.value.errors == {"reason": ["This field is required."]}


def test_it_refuses_an_unknown_status(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_change_status(
            points.admin, points.p1.pk, status="gone", effective_on=TODAY, reason="原因"
        )
    assert refused.value.errors == {"status": ["Choose one of the statuses offered."]}


def test_it_refuses_status_changes_by_the_street(points: Points) -> None:
    with pytest.raises(Forbidden) as refused:
        check_change_status(
            points.staff_s1, points.p1.pk, status="closed", effective_on=TODAY, reason="原因"
        )
    assert str(refused.value.message) == "Only the office administrators manage service points."


def test_it_hides_another_streets_point(points: Points) -> None:
    with pytest.raises(NotFound) as refused:
        check_change_status(
            points.staff_s2, points.p1.pk, status="closed", effective_on=TODAY, reason="原因"
        )
    assert str(refused.value.message) == "No such service point."


def test_it_adds_and_removes_a_device(points: Points) -> None:
    device = check_add_equipment(points.admin, points.p2.pk, kind="camera", serial_number=" CAM-9 ")
    assert (device.kind, device.serial_number, device.removed_at) == ("camera", "CAM-9", None)
    check_remove_equipment(points.admin, points.p2.pk, equipment_id=device.pk, reason="损坏报废")
    device.refresh_from_db()
    assert device.removed_at is not None
    actions = list(
        PointEvent.objects.filter(point=points.p2).order_by("id").values_list("action", "note")
    )
    assert actions[-2:] == [
        (PointAction.EQUIPMENT_ADDED, "camera CAM-9"),
        (PointAction.EQUIPMENT_REMOVED, "camera CAM-9: 损坏报废"),
    ]


def test_it_refuses_a_serial_number_in_use(points: Points) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_add_equipment(points.admin, points.p2.pk, kind="dual_screen", serial_number="DS-001")
    assert refused.value.errors == {
        "serial_number": [
            "A device of this kind with this serial number is in use at 曹杨一村服务站."
        ]
    }


def test_it_refuses_removing_a_device_twice_or_of_another_point(points: Points) -> None:
    check_remove_equipment(
        points.admin, points.p1.pk, equipment_id=points.printer.pk, reason="撤除"
    )
    with pytest.raises(InvalidState) as twice:
        check_remove_equipment(
            points.admin, points.p1.pk, equipment_id=points.printer.pk, reason="撤除"
        )
    assert str(twice.value.message) == "This device was removed already."
    with pytest.raises(NotFound) as elsewhere:
        check_remove_equipment(
            points.admin, points.p2.pk, equipment_id=points.screen.pk, reason="撤除"
        )
    assert str(elsewhere.value.message) == "No such device at this point."
    assert Equipment.objects.get(pk=points.screen.pk).removed_at is None
