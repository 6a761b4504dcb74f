"""A door-to-door request from discovery to the approval's decision, each step's record, its
audit event and its clock; and every refused transition with its message."""

from __future__ import annotations

import datetime as dt

import pytest

from banchengshi.audit.models import AuditEvent
from banchengshi.errors import ActionRefused, Forbidden, InvalidState
from banchengshi.evaluation.models import BadReview, Evaluation
from banchengshi.neighborhood.assistance.actions import (
    check_evaluate,
    check_record_approval,
    check_record_visit,
    check_review,
    check_schedule,
)
from banchengshi.neighborhood.assistance.models import AssistanceEvent, AssistanceRequest
from banchengshi.notify.models import OutboxMessage
from tests.cases.conftest import end_of, sh

pytestmark = pytest.mark.django_db


def refusal(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionRefused) as caught:
        call(*args, **kwargs)
    return str(caught.value.message)


def scheduled(streets, frozen_time):  # type: ignore[no-untyped-def]
    request = streets.request()
    check_review(streets.s1staff, request.pk, eligible=True, note="独居老人，行动不便，符合条件")
    return check_schedule(
        streets.s1staff,
        request.pk,
        appointment=sh(2026, 11, 24, 14),
        staff_id=streets.p1staff.pk,
        materials=["身份证", "", "一寸照片", "身份证"],
    )


def test_it_registers_with_the_review_clock(streets):
    request = streets.request()
    assert request.stage == "registered"
    assert (request.elderly, request.disabled, request.fast_channel) == (True, False, True)
    assert (request.consent_by, request.consent_method) == ("王秀英", "oral")
    assert request.consent_at == sh(2026, 11, 20)
    assert (request.clock, request.due) == ("review", end_of(2026, 11, 24))
    event = AuditEvent.objects.get(action="assistance.registered")
    assert (event.case_id, event.payload) == (
        None,
        {"request": request.pk, "street": streets.s1.pk},
    )


def test_it_tells_the_person_the_review_by_sms(streets):
    request = streets.request()
    check_review(streets.s1staff, request.pk, eligible=False, note="所需事项须本人到窗口面签")
    request.refresh_from_db()
    assert (request.stage, request.clock, request.due, request.remind_at) == (
        "ineligible",
        "",
        None,
        None,
    )
    sms = OutboxMessage.objects.get(template="assistance_review")
    assert (sms.recipient, sms.payload) == (
        "13912345678",
        {
            "request_no": str(request.pk),
            "result": "不符合上门服务条件",
            "reason": "所需事项须本人到窗口面签",
        },
    )


def test_a_landline_gets_no_sms(streets):
    request = streets.request(phone="021-62881234")
    check_review(streets.s1staff, request.pk, eligible=True, note="符合条件，安排上门")
    assert not OutboxMessage.objects.filter(template="assistance_review").exists()


def test_it_schedules_with_a_checklist_and_the_visit_clock(streets, frozen_time):
    request = scheduled(streets, frozen_time)
    assert request.stage == "scheduled"
    assert request.materials == ["身份证", "一寸照片"]
    assert (request.clock, request.due, request.assigned_to) == (
        "visit",
        sh(2026, 11, 24, 14),
        streets.p1staff,
    )


def test_it_goes_to_the_approval_decision(streets, frozen_time):
    request = scheduled(streets, frozen_time)
    frozen_time.set(sh(2026, 11, 24, 14, 30))
    request = check_record_visit(
        streets.p1staff, request.pk, note="已上门采集照片并代为提交申请", collected=["一寸照片"]
    )
    assert (request.stage, request.approval_status, request.materials_collected) == (
        "visited",
        "pending",
        ["一寸照片"],
    )
    assert (request.clock, request.due) == ("approval", end_of(2026, 12, 22))
    request = check_evaluate(streets.p1staff, request.pk, satisfaction=5)
    assert (request.stage, request.satisfaction, request.clock) == ("evaluated", 5, "approval")
    frozen_time.set(sh(2026, 12, 1, 9))
    request = check_record_approval(
        streets.s1staff, request.pk, status="approved", decided_on=dt.date(2026, 11, 30), note=""
    )
    assert (request.stage, request.approval_status, request.approval_decided_on) == (
        "done",
        "approved",
        dt.date(2026, 11, 30),
    )
    assert (request.clock, request.remind_at) == ("", None)
    assert list(AssistanceEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "registered",
        "reviewed",
        "scheduled",
        "visited",
        "evaluated",
        "approval",
    ]
    assert list(
        AuditEvent.objects.filter(action__startswith="assistance.")
        .order_by("id")
        .values_list("action", "before", "after")
    ) == [
        ("assistance.registered", {}, {"stage": "registered"}),
        ("assistance.reviewed", {"stage": "registered"}, {"stage": "eligible"}),
        ("assistance.scheduled", {"stage": "eligible"}, {"stage": "scheduled"}),
        ("assistance.visited", {"stage": "scheduled"}, {"stage": "visited"}),
        ("assistance.evaluated", {"stage": "visited"}, {"stage": "evaluated"}),
        ("assistance.approval", {"stage": "evaluated"}, {"stage": "done"}),
    ]


def test_a_visit_can_be_rescheduled(streets, frozen_time):
    request = scheduled(streets, frozen_time)
    request = check_schedule(
        streets.s1staff,
        request.pk,
        appointment=sh(2026, 11, 25, 9),
        staff_id=streets.s1staff.pk,
        materials=["身份证"],
    )
    assert (request.due, request.assigned_to, request.materials) == (
        sh(2026, 11, 25, 9),
        streets.s1staff,
        ["身份证"],
    )


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            lambda s, r: check_schedule(
                s.s1staff,
                r,
                appointment=sh(2026, 11, 24, 14),
                staff_id=s.s1staff.pk,
                materials=["身份证"],
            ),
            "Only an eligible request, or one whose visit is still to come, can be scheduled.",
        ),
        (
            lambda s, r: check_record_visit(s.s1staff, r, note="已上门办理完毕", collected=[]),
            "Only a request with a scheduled visit can have a visit record.",
        ),
        (
            lambda s, r: check_evaluate(s.s1staff, r, satisfaction=4),
            "Only a visited request can be evaluated.",
        ),
        (
            lambda s, r: check_record_approval(
                s.s1staff, r, status="approved", decided_on=dt.date(2026, 11, 20), note=""
            ),
            "The approval is recorded after the evaluation, once.",
        ),
    ],
)
def test_steps_out_of_order_are_refused(streets, step, message):
    request = streets.request()
    with pytest.raises(InvalidState) as caught:
        step(streets, request.pk)
    assert str(caught.value.message) == message


def test_a_request_is_reviewed_once(streets):
    request = streets.request()
    check_review(streets.s1staff, request.pk, eligible=True, note="符合条件，安排上门")
    assert (
        refusal(check_review, streets.s1staff, request.pk, eligible=False, note="再次审核不符合")
        == "Only a request awaiting review can be reviewed."
    )


@pytest.mark.parametrize("who", ["s2staff", "s1clerk"])
def test_other_streets_and_other_roles_cannot_act(streets, who):
    request = streets.request()
    with pytest.raises(Forbidden) as caught:
        check_review(getattr(streets, who), request.pk, eligible=True, note="符合条件，安排上门")
    assert (
        str(caught.value.message) == "Only the street's neighbourhood staff work on its requests."
    )


def test_the_office_may_act_on_any_street(streets):
    request = streets.request()
    check_review(streets.org.officeadmin, request.pk, eligible=True, note="符合条件，安排上门")
    assert AssistanceRequest.objects.get().stage == "eligible"


def test_a_missing_request(streets):
    assert refusal(check_review, streets.s1staff, 999, eligible=True, note="符合条件安排上门") == (
        "No such door-to-door request."
    )
    assert refusal(
        check_review, streets.s1staff, 10**30, eligible=True, note="符合条件安排上门"
    ) == ("No such door-to-door request.")


def test_a_bad_rating_of_the_visit_is_a_bad_review_to_handle(streets, frozen_time):
    request = scheduled(streets, frozen_time)
    frozen_time.set(sh(2026, 11, 24, 14, 30))
    check_record_visit(streets.p1staff, request.pk, note="已上门采集照片", collected=["一寸照片"])
    check_evaluate(streets.p1staff, request.pk, satisfaction=2)
    rated = Evaluation.objects.get()
    assert (rated.subject_kind, rated.subject_id, rated.channel, rated.level) == (
        "door_to_door",
        str(request.pk),
        "paper",
        2,
    )
    assert (rated.unit_id, rated.staff_id) == (request.street_id, request.assigned_to_id)
    assert BadReview.objects.filter(evaluation=rated).exists()
