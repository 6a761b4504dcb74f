"""The door-to-door pages: who sees which requests (a street's staff their street's only, the
office and the hub all, nobody else), the workflow through its forms, the service list, and
hostile input (a clear message, never a 500, nothing written)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from banchengshi.cases.special_groups import SpecialGroupInput
from banchengshi.neighborhood.assistance.models import AssistanceRequest, ServiceItem
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def client(user: User) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    return browser


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "sees_s1", "sees_s2"),
    [
        ("s1staff", True, False),
        ("p1staff", True, False),
        ("s1head", True, False),
        ("s2staff", False, True),
    ],
)
def test_a_streets_staff_see_their_streets_requests_only(streets, who, sees_s1, sees_s2):
    mine = streets.request()
    theirs = streets.request(by=streets.s2staff, street_id=streets.s2.pk, person_name="李建国")
    browser = client(getattr(streets, who))
    listing = text(browser.get("/staff/assistance/"))
    assert (f'id="request-{mine.pk}"' in listing, f'id="request-{theirs.pk}"' in listing) == (
        sees_s1,
        sees_s2,
    )
    assert browser.get(f"/staff/assistance/{mine.pk}/").status_code == (200 if sees_s1 else 404)
    assert browser.get(f"/staff/assistance/{theirs.pk}/").status_code == (200 if sees_s2 else 404)


@pytest.mark.parametrize("who", ["officeadmin", "dispatcher", "inspector"])
def test_the_office_and_the_hub_see_every_request(streets, who):
    streets.request()
    streets.request(by=streets.s2staff, street_id=streets.s2.pk)
    listing = text(client(streets.org.user(who)).get("/staff/assistance/"))
    assert listing.count('id="request-') == 2


@pytest.mark.parametrize("who", ["s1clerk"])
def test_others_are_refused(streets, who):
    response = client(getattr(streets, who)).get("/staff/assistance/")
    assert response.status_code == 403
    assert "Door-to-door service is for the streets&#x27; staff and the office." in text(response)


def test_the_menu_offers_it(streets):
    page = text(client(streets.s1staff).get("/staff/"))
    assert 'href="/staff/assistance/"' in page
    assert 'href="/staff/assistance/"' not in text(client(streets.org.handler_a).get("/staff/"))


def test_a_reader_who_may_not_act_sees_the_phone_masked(streets):
    request = streets.request()
    assert "13912345678" in text(client(streets.s1staff).get(f"/staff/assistance/{request.pk}/"))
    page = text(client(streets.org.dispatcher).get(f"/staff/assistance/{request.pk}/"))
    assert "13912345678" not in page
    assert "139****5678" in page
    assert 'action="/staff/assistance/' not in page


def test_the_fast_channel_badge_on_the_list(streets):
    streets.request()
    streets.request(groups=SpecialGroupInput((), "王秀英", "oral"))
    listing = text(client(streets.s1staff).get("/staff/assistance/"))
    assert listing.count('class="badge fast"') == 1


def new_request(**fields: str) -> dict[str, object]:
    return {
        "channel": "hotline",
        "person_name": "赵桂兰",
        "phone": "13987654321",
        "address": "石门二路街道泰兴路88号",
        "need": "腿脚不便",
        "special_groups": ["limited_mobility"],
        "consent_by": "赵桂兰之子 赵强",
        "consent_method": "phone",
        **fields,
    }


def test_a_request_goes_through_its_forms(streets, frozen_time):
    browser = client(streets.s1staff)
    response = browser.post(
        "/staff/assistance/new/",
        new_request(street_id=str(streets.s1.pk), service_id=str(streets.s1_item.pk)),
    )
    request = AssistanceRequest.objects.get()
    assert response["Location"] == f"/staff/assistance/{request.pk}/"
    assert (request.limited_mobility, request.consent_by, request.consent_method) == (
        True,
        "赵桂兰之子 赵强",
        "phone",
    )
    url = f"/staff/assistance/{request.pk}/"
    assert (
        browser.post(url + "review/", {"eligible": "yes", "note": "符合条件，安排上门"}).status_code
        == 302
    )
    page = text(browser.get(url))
    assert f'action="{url}schedule/"' in page
    response = browser.post(
        url + "schedule/",
        {
            "appointment": "2026-11-24T14:00",
            "staff_id": str(streets.p1staff.pk),
            "materials": "身份证\n一寸照片",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.appointment_at, request.materials) == (
        sh(2026, 11, 24, 14),
        ["身份证", "一寸照片"],
    )
    frozen_time.set(sh(2026, 11, 24, 15))
    assert (
        browser.post(url + "visit/", {"note": "已上门代办", "collected": ["身份证"]}).status_code
        == 302
    )
    assert browser.post(url + "evaluate/", {"satisfaction": "5"}).status_code == 302
    assert (
        browser.post(
            url + "approval/", {"status": "approved", "decided_on": "2026-11-24", "note": ""}
        ).status_code
        == 302
    )
    request.refresh_from_db()
    assert (request.stage, request.satisfaction, request.materials_collected) == (
        "done",
        5,
        ["身份证"],
    )
    page = text(browser.get(url))
    assert 'action="' + url not in page
    assert "approved · 2026-11-24" in page


def test_a_wrong_step_is_refused_on_the_page(streets):
    request = streets.request()
    response = client(streets.s1staff).post(
        f"/staff/assistance/{request.pk}/evaluate/", {"satisfaction": "5"}
    )
    assert response.status_code == 409
    assert "Only a visited request can be evaluated." in text(response)
    assert (
        client(streets.s1staff).post(f"/staff/assistance/{request.pk}/fly/", {}).status_code == 404
    )


def test_another_streets_staff_cannot_post_a_step(streets):
    request = streets.request()
    response = client(streets.s2staff).post(
        f"/staff/assistance/{request.pk}/review/", {"eligible": "yes", "note": "符合条件，安排上门"}
    )
    assert response.status_code == 404
    assert AssistanceRequest.objects.get().stage == "registered"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"person_name": "赵\x00桂兰"},
            "Remove the invisible control character (such as NUL) from this text.",
        ),
        ({"phone": "\x00"}, "Remove the invisible control character (such as NUL) from this text."),
        ({"street_id": "１" * 40}, "Enter a whole number."),
        ({"street_id": "99999"}, "Choose a street."),
        ({"service_id": "abc"}, "Enter a whole number."),
        (
            {"special_groups": ["giant"]},
            "Select a valid choice. giant is not one of the available choices.",
        ),
        (
            {"consent_method": "\x00"},
            "Remove the invisible control character (such as NUL) from this text.",
        ),
        (
            {"consent_by": ""},
            "Record who gave consent: the person, or a relative or guardian by name.",
        ),
    ],
)
def test_hostile_input_on_the_new_form(streets, fields, message):
    values = new_request(street_id=str(streets.s1.pk), service_id=str(streets.district_item.pk))
    values.update(fields)
    response = client(streets.s1staff).post("/staff/assistance/new/", values)
    assert response.status_code == 422
    assert message.replace("'", "&#x27;") in text(response)
    assert not AssistanceRequest.objects.exists()


@pytest.mark.parametrize(
    ("step", "fields", "message"),
    [
        (
            "review",
            {"eligible": "yes", "note": "\x00\x00\x00\x00\x00"},
            "Remove the invisible control character (such as NUL) from this text.",
        ),
        ("review", {"eligible": "yes", "note": ""}, "This field is required."),
    ],
)
def test_hostile_input_on_a_step(streets, step, fields, message):
    request = streets.request()
    response = client(streets.s1staff).post(f"/staff/assistance/{request.pk}/{step}/", fields)
    assert response.status_code == 422
    assert message in text(response)
    assert AssistanceRequest.objects.get().stage == "registered"


def test_the_service_list(streets):
    browser = client(streets.s1staff)
    page = text(browser.get("/staff/assistance/services/"))
    assert f'id="service-{streets.district_item.pk}"' in page
    assert "Added by 石门二路街道" in page
    assert "Added by" not in text(
        client(streets.s2staff).get("/staff/assistance/services/")
    ).replace("Added by 南京西路街道", "")


def test_the_office_keeps_the_district_list(streets):
    matter = streets.org.matter_a
    ServiceItem.objects.filter(matter=matter).delete()
    response = client(streets.org.officeadmin).post(
        "/staff/assistance/services/",
        {"street_id": "", "matter_id": str(matter.pk), "difficulty": "medium", "note": ""},
    )
    assert response.status_code == 302
    assert ServiceItem.objects.get(matter=matter).street is None


def test_a_street_cannot_add_to_the_district_list(streets):
    matter = streets.org.matter_a
    ServiceItem.objects.filter(matter=matter).delete()
    response = client(streets.s1staff).post(
        "/staff/assistance/services/",
        {"street_id": "", "matter_id": str(matter.pk), "difficulty": "medium", "note": ""},
    )
    assert response.status_code == 403
    assert (
        "The office keeps the district&#x27;s list; "
        "a street&#x27;s staff add to their street&#x27;s." in text(response)
    )


def test_a_matter_listed_twice_is_refused(streets):
    response = client(streets.s1staff).post(
        "/staff/assistance/services/",
        {
            "street_id": str(streets.s1.pk),
            "matter_id": str(streets.org.matter_h.pk),
            "difficulty": "easy",
            "note": "",
        },
    )
    assert response.status_code == 409
    assert "This matter is on the list already." in text(response)


def test_a_service_is_taken_off_the_list(streets):
    response = client(streets.s1staff).post(
        f"/staff/assistance/services/{streets.s1_item.pk}/",
        {"difficulty": "medium", "note": "仅限工作日"},
    )
    assert response.status_code == 302
    streets.s1_item.refresh_from_db()
    assert (streets.s1_item.is_active, streets.s1_item.difficulty, streets.s1_item.note) == (
        False,
        "medium",
        "仅限工作日",
    )
    response = client(streets.s2staff).post(
        f"/staff/assistance/services/{streets.s1_item.pk}/", {"difficulty": "easy", "active": "on"}
    )
    assert response.status_code == 403


def test_the_form_offers_the_chosen_streets_services(streets):
    browser = client(streets.org.officeadmin)
    first = text(browser.get(f"/staff/assistance/new/?street={streets.s1.pk}"))
    other = text(browser.get(f"/staff/assistance/new/?street={streets.s2.pk}"))
    assert "营业执照变更登记" in first
    assert "营业执照变更登记" not in other
    assert "社保卡补办" in other
    assert text(browser.get("/staff/assistance/new/?street=abc")).count("社保卡补办") == 1


def test_a_wrong_new_appointment_is_shown_in_its_own_form(streets):
    request = streets.request()
    browser = client(streets.s1staff)
    url = f"/staff/assistance/{request.pk}/"
    browser.post(url + "review/", {"eligible": "yes", "note": "符合条件，安排上门"})
    schedule = {"appointment": "2026-11-24T14:00", "staff_id": str(streets.s1staff.pk)}
    assert browser.post(url + "schedule/", {**schedule, "materials": "身份证"}).status_code == 302
    response = browser.post(url + "schedule/", {**schedule, "appointment": "2026-11-19T09:00"})
    assert response.status_code == 422
    page = text(response)
    assert '<details class="card" open>' in page
    assert "The appointment must be in the future." in page
    assert f'action="{url}visit/"' in page


def test_the_list_and_a_request_cost_the_same_whatever_the_number(streets):
    browser = client(streets.s1staff)

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(path).status_code == 200
        return len(captured)

    first = streets.request()
    few = queries("/staff/assistance/"), queries(f"/staff/assistance/{first.pk}/")
    for _ in range(8):
        streets.request()
    assert (queries("/staff/assistance/"), queries(f"/staff/assistance/{first.pk}/")) == few
