"""The workbench's service points: who sees which points (a street's staff their street's
only), the forms of each action through the pages, refusals as pages, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from banchengshi.neighborhood.points.models import Fault, PointStatus, ServicePoint
from tests.neighborhood.points.conftest import Points


def client(user: User) -> Client:
    signed = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed.force_login(user)
    return signed


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("admin", ["曹杨一村服务站", "桃浦新村服务点", "桃浦园区服务点"], []),
        ("staff_s1", ["曹杨一村服务站"], ["桃浦新村服务点", "桃浦园区服务点"]),
        ("staff_p1", ["曹杨一村服务站"], ["桃浦新村服务点"]),
        ("staff_s2", ["桃浦新村服务点", "桃浦园区服务点"], ["曹杨一村服务站"]),
        ("head_s2", ["桃浦新村服务点"], ["曹杨一村服务站"]),
    ],
)
def test_each_person_sees_their_points(
    points: Points, who: str, shown: list[str], hidden: list[str]
) -> None:
    page = client(getattr(points, who)).get("/staff/points/").content.decode()
    for name in shown:
        assert name in page
    for name in hidden:
        assert name not in page


@pytest.mark.parametrize("who", ["clerk", "dispatcher", "handler_a"])
def test_other_roles_get_a_refusal(points: Points, who: str) -> None:
    response = client(points.org.user(who)).get("/staff/points/")
    assert response.status_code == 403
    assert "Service points are for the office" in response.content.decode()


def test_another_streets_point_is_not_found(points: Points) -> None:
    assert client(points.staff_s2).get(f"/staff/points/{points.p1.pk}/").status_code == 404


def test_the_list_shows_open_faults_and_last_inspection(points: Points) -> None:
    staff = client(points.staff_s1)
    response = staff.post(
        f"/staff/points/{points.p1.pk}/inspect/",
        {
            "inspected_on": "2026-11-19",
            f"device_{points.screen.pk}": "no",
            f"fault_{points.screen.pk}": "黑屏",
            f"device_{points.printer.pk}": "yes",
        },
    )
    assert response.status_code == 302
    rows = staff.get("/staff/points/").content.decode()
    assert '<strong class="overdue">1</strong>' in rows
    assert "2026-11-19" in rows
    fault = Fault.objects.get()
    response = staff.post(
        f"/staff/points/{points.p1.pk}/repair/{fault.pk}/",
        {"repaired_on": "2026-11-20", "note": "更换电源"},
    )
    assert response.status_code == 302
    assert Fault.objects.get().repaired_on is not None


def test_the_admin_changes_status_through_the_page(points: Points) -> None:
    response = client(points.admin).post(
        f"/staff/points/{points.p1.pk}/status/",
        {"status": "closed", "effective_on": "2026-11-20", "reason": "居委会搬迁"},
    )
    assert response.status_code == 302
    assert ServicePoint.objects.get(pk=points.p1.pk).status == PointStatus.CLOSED
    page = client(points.admin).get(f"/staff/points/{points.p1.pk}/").content.decode()
    assert "居委会搬迁" in page


def test_a_refused_transition_is_shown_on_the_page(points: Points) -> None:
    response = client(points.admin).post(
        f"/staff/points/{points.q2.pk}/status/",
        {"status": "changed", "effective_on": "2026-11-20", "reason": "原因"},
    )
    assert response.status_code == 409
    assert "Only an open point can be marked changed." in response.content.decode()


def test_the_street_cannot_change_status_or_equipment(points: Points) -> None:
    staff = client(points.staff_s1)
    page = staff.get(f"/staff/points/{points.p1.pk}/").content.decode()
    assert "Record an inspection" in page
    assert "Change the status" not in page
    response = staff.post(
        f"/staff/points/{points.p1.pk}/equipment/", {"kind": "camera", "serial_number": "C-1"}
    )
    assert response.status_code == 403


def test_the_admin_creates_a_point(points: Points) -> None:
    response = client(points.admin).post(
        "/staff/points/new/",
        {
            "center": points.s1.pk,
            "name": "长寿公园服务点",
            "kind": "park",
            "address": "长寿路1号",
            "latitude": "31.24",
            "longitude": "121.44",
            "opening_hours": "",
        },
    )
    assert response.status_code == 302
    point = ServicePoint.objects.get(unit__name="长寿公园服务点")
    assert (point.status, point.center_id) == (PointStatus.PLANNED, points.s1.pk)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("new/", {"center": "x", "name": "点\x00", "kind": "park", "address": "路"}),
        ("new/", {"center": "99999999999999999999", "name": "点", "kind": "?", "address": "路"}),
        ("{p}/edit/", {"name": "点", "kind": "park", "address": "路", "latitude": "１e999"}),
        ("{p}/edit/", {"name": "点", "kind": "park", "address": "路", "matters": ["abc", "1e9"]}),
        ("{p}/status/", {"status": "open", "effective_on": "2026-13-45", "reason": "\x00"}),
        ("{p}/equipment/", {"kind": "printer", "serial_number": "A\x00B"}),
        ("{p}/inspect/", {"inspected_on": "9999-99-99", "device_1": "maybe"}),
        ("{p}/repair/99999999999/", {"repaired_on": "2026-11-20", "note": "x"}),
        ("{p}/remove/2147483648/", {"reason": "坏了"}),
        ("{p}/nothing/", {}),
    ],
)
def test_hostile_input_gets_a_page(points: Points, path: str, data: dict[str, object]) -> None:
    response = client(points.admin).post("/staff/points/" + path.format(p=points.p1.pk), data)
    assert response.status_code in (404, 409, 422)
    assert ServicePoint.objects.filter(unit__name="点").count() == 0
