"""The administration pages of service points: a change saved there is in the point's
history; the history, inspections and faults are read only."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from banchengshi.neighborhood.points.models import PointEvent, ServicePoint
from tests.neighborhood.points.conftest import Points


def root() -> Client:
    user = User.objects.create_superuser("root", password="x-very-long-password")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_change_in_the_admin_is_in_the_history(points: Points) -> None:
    client = root()
    url = f"/admin/neighborhood/servicepoint/{points.p2.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "unit": points.p2.unit_id,
        "kind": "park",
        "center": points.s2.pk,
        "address": "真南路1号",
        "latitude": "",
        "longitude": "",
        "opening_hours": "",
        "status": "open",
        "equipment-TOTAL_FORMS": "0",
        "equipment-INITIAL_FORMS": "0",
        "equipment-MIN_NUM_FORMS": "0",
        "equipment-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ServicePoint.objects.get(pk=points.p2.pk).address == "真南路1号"
    event = PointEvent.objects.filter(point=points.p2).latest("id")
    assert (event.action, event.actor.username) == ("changed", "root")
    assert event.note == "Kind, Address, Opening hours"


def test_the_history_is_read_only(points: Points) -> None:
    client = root()
    event = PointEvent.objects.filter(point=points.p1).first()
    assert event is not None
    assert client.get("/admin/neighborhood/pointevent/").status_code == 200
    assert client.get("/admin/neighborhood/pointevent/add/").status_code == 403
    response = client.post(f"/admin/neighborhood/pointevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
