"""What registration and the steps refuse, each with its field and message; nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from banchengshi.cases.special_groups import SpecialGroupInput
from banchengshi.errors import Forbidden, InvalidInput
from banchengshi.neighborhood.assistance.actions import (
    check_evaluate,
    check_record_approval,
    check_record_visit,
    check_review,
    check_schedule,
)
from banchengshi.neighborhood.assistance.models import AssistanceEvent, AssistanceRequest
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def errors_of(call, *args, **kwargs) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    return {field: [str(m) for m in messages] for field, messages in caught.value.errors.items()}


def test_it_lists_every_problem_of_a_registration(streets):
    errors = errors_of(
        streets.request,
        street_id=10**30,
        channel="fax",
        person_name=" ",
        phone="12",
        address="无",
        service_id=None,
        groups=SpecialGroupInput(("elderly", "giant"), "", "telepathy"),
    )
    assert errors == {
        "street_id": ["Choose a street."],
        "channel": ["Unknown channel."],
        "person_name": ["The name is required."],
        "phone": [
            "Enter an 11-digit mobile number, or a landline number with its area code "
            "such as 021-12345678."
        ],
        "address": ["Give the address where the person is to be visited."],
        "service_id": ["Choose a service on the street's list."],
        "special_groups": ["Unknown special group."],
        "consent_by": ["Record who gave consent: the person, or a relative or guardian by name."],
        "consent_method": ["Record how the consent was given."],
    }
    assert not AssistanceRequest.objects.exists()


def test_consent_is_required_even_without_a_flag(streets):
    errors = errors_of(streets.request, groups=SpecialGroupInput())
    assert list(errors) == ["consent_by", "consent_method"]


def test_another_streets_service_is_refused(streets):
    errors = errors_of(
        streets.request, street_id=streets.s2.pk, by=streets.s2staff, service_id=streets.s1_item.pk
    )
    assert errors == {"service_id": ["Choose a service on the street's list."]}


def test_a_point_staff_registers_for_its_street(streets):
    request = streets.request(by=streets.p1staff, service_id=streets.s1_item.pk)
    assert request.street == streets.s1


def test_another_streets_staff_cannot_register(streets):
    with pytest.raises(Forbidden) as caught:
        streets.request(by=streets.s2staff)
    assert (
        str(caught.value.message) == "Only the street's neighbourhood staff register its requests."
    )


def test_a_review_needs_an_explanation(streets):
    request = streets.request()
    assert errors_of(check_review, streets.s1staff, request.pk, eligible=True, note=" 可以 ") == {
        "note": ["The explanation needs at least 5 characters."]
    }
    assert AssistanceEvent.objects.count() == 1


def eligible(streets):  # type: ignore[no-untyped-def]
    request = streets.request()
    return check_review(streets.s1staff, request.pk, eligible=True, note="符合条件，安排上门")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"appointment": None}, {"appointment": ["Give the appointment's date and time."]}),
        (
            {"appointment": sh(2026, 11, 20, 9)},
            {"appointment": ["The appointment must be in the future."]},
        ),
        ({"staff_id": None}, {"staff_id": ["Choose the staff member who visits."]}),
        ({"staff_id": 10**30}, {"staff_id": ["Choose the staff member who visits."]}),
        ({"materials": ["", " "]}, {"materials": ["List the materials to prepare, one a line."]}),
        ({"materials": ["证"] * 21}, {"materials": ["At most 20 materials."]}),
        (
            {"materials": ["证" * 101]},
            {"materials": ["A material's name is too long (at most 100 characters)."]},
        ),
    ],
)
def test_a_schedule_is_checked(streets, fields, errors):
    request = eligible(streets)
    values = {
        "appointment": sh(2026, 11, 24, 14),
        "staff_id": streets.p1staff.pk,
        "materials": ["身份证"],
    }
    values.update(fields)
    assert errors_of(check_schedule, streets.s1staff, request.pk, **values) == errors


@pytest.mark.parametrize("who", ["s2staff", "s1clerk"])
def test_only_the_streets_staff_are_sent(streets, who):
    request = eligible(streets)
    errors = errors_of(
        check_schedule,
        streets.s1staff,
        request.pk,
        appointment=sh(2026, 11, 24, 14),
        staff_id=getattr(streets, who).pk,
        materials=["身份证"],
    )
    assert errors == {"staff_id": ["Choose a staff member of the request's street."]}
    assert AssistanceRequest.objects.get().stage == "eligible"


def test_a_visit_ticks_only_the_checklist(streets):
    request = eligible(streets)
    check_schedule(
        streets.s1staff,
        request.pk,
        appointment=sh(2026, 11, 24, 14),
        staff_id=streets.s1staff.pk,
        materials=["身份证"],
    )
    assert errors_of(
        check_record_visit, streets.s1staff, request.pk, note="已上门办理", collected=["户口本"]
    ) == {"collected": ["Tick only materials of the checklist."]}
    assert AssistanceRequest.objects.get().stage == "scheduled"


def test_an_evaluation_is_one_of_five_levels(streets):
    request = eligible(streets)
    assert errors_of(check_evaluate, streets.s1staff, request.pk, satisfaction=6) == {
        "satisfaction": ["Choose one of the five levels."]
    }


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"status": "pending"}, {"status": ["Choose approved or refused."]}),
        ({"decided_on": None}, {"decided_on": ["Give the date of the decision."]}),
        (
            {"decided_on": dt.date(2026, 11, 21)},
            {"decided_on": ["The decision's date cannot be in the future."]},
        ),
        (
            {"decided_on": dt.date(2026, 11, 19)},
            {"decided_on": ["The decision cannot come before the visit."]},
        ),
    ],
)
def test_an_approval_is_checked(streets, frozen_time, fields, errors):
    request = eligible(streets)
    check_schedule(
        streets.s1staff,
        request.pk,
        appointment=sh(2026, 11, 20, 14),
        staff_id=streets.s1staff.pk,
        materials=["身份证"],
    )
    check_record_visit(streets.s1staff, request.pk, note="已上门办理", collected=[])
    check_evaluate(streets.s1staff, request.pk, satisfaction=4)
    values = {"status": "refused", "decided_on": dt.date(2026, 11, 20), "note": ""}
    values.update(fields)
    assert errors_of(check_record_approval, streets.s1staff, request.pk, **values) == errors
    assert AssistanceRequest.objects.get().stage == "evaluated"
