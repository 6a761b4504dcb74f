"""Every action form of the case page: posted through the page, the case changes as the engine
says, and the page shows it; field errors come back with 422, a stale form with a conflict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
)
from banchengshi.cases.actions.handling import check_record_contact
from banchengshi.cases.models import (
    Case,
    ClockRequest,
    CoHandlingTask,
    ContactRecord,
    State,
    Supervision,
)
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.web.conftest import SignedIn
from tests.web.test_case_page import text

Post = Callable[..., HttpResponse]


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def post(client: Client, case: Case, act: str, **data: Any) -> HttpResponse:
    """Post an action form as the page would, with the case's current version unless given."""
    data.setdefault("version", fresh(case).version)
    return client.post(reverse("web:case_act", args=[case.pk, act]), data)


def done(client: Client, case: Case, act: str, **data: Any) -> str:
    """Post, expect the redirect back to the case, and return the page's words after it."""
    response = post(client, case, act, **data)
    assert response.status_code == 302, text(response.content.decode())[-1500:]
    assert response["Location"] == reverse("web:case", args=[case.pk])
    return text(client.get(response["Location"]).content.decode())


def refused(response: HttpResponse, status: int = 422) -> str:
    assert response.status_code == status, text(response.content.decode())[-1500:]
    return response.content.decode()


# --- intake and dispatch --------------------------------------------------------------------------


def test_screen_accept_dispatches(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.register(matter_id=org.matter_a.pk)
    words = done(staff("clerk"), case, "screen", admissible="yes", complexity="complex")
    assert "The screening is recorded." in words
    case = fresh(case)
    assert (case.state, case.complexity, case.handling_unit_id) == (
        State.DISPATCHED,
        "complex",
        org.dept_a.pk,
    )
    assert "Accepted by clerk registered → dispatched" in words


def test_screen_not_admissible_needs_a_reason(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.register()
    html = refused(post(staff("clerk"), case, "screen", admissible="no", reason=""))
    assert "This field is required." in html
    # The field carries its error for assistive technology, and the form is open.
    assert 'id="screen-reason"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="screen-reason_helptext screen-reason_error"' in html
    assert 'id="screen-reason_error"' in html
    assert "<details open>\n    <summary>Screen the appeal" in html
    assert fresh(case).state == State.REGISTERED
    words = done(
        staff("clerk"), case, "screen", admissible="no", reason="属于司法程序，依法不予受理"
    )
    assert fresh(case).state == State.NOT_ADMISSIBLE
    assert "Found not admissible" in words


def test_reply_with_reasons_closes_a_case_not_admissible(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.not_admissible()
    done(staff("clerk"), case, "reply", text="已书面告知不予受理的理由", channel="letter")
    assert fresh(case).state == State.CLOSED


def test_resolve_on_the_spot(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.register()
    words = done(staff("clerk"), case, "resolve_on_spot", reply="现场指导完成网上申报")
    case = fresh(case)
    assert (case.state, case.on_the_spot) == (State.CLOSED, True)
    assert "resolved on the spot" in words


def test_dispatch_offers_units_and_the_engine_checks_the_one_chosen(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.awaiting()
    dispatcher = staff("dispatcher")
    html = dispatcher.get(reverse("web:case", args=[case.pk])).content.decode()
    assert f'<option value="{org.dept_b.pk}">区人社局</option>' in html
    assert f'<option value="{org.office.pk}">' not in html
    # A unit that was not offered is refused by the action, not trusted.
    html = refused(post(dispatcher, case, "dispatch", unit_id=org.office.pk))
    assert "Choose a department or service center." in html
    assert f'<option value="{org.dept_b.pk}">区人社局</option>' in html  # still offered
    html = refused(post(dispatcher, case, "dispatch", unit_id="abc"))
    assert "Enter a whole number." in html
    words = done(dispatcher, case, "dispatch", unit_id=org.dept_b.pk)
    assert "The case is dispatched." in words
    assert fresh(case).handling_unit_id == org.dept_b.pk


def test_receive_return_and_dispatch_down(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    handler = staff("handler_a")
    returned = cases.dispatched()
    html = refused(post(handler, returned, "return", reason="no"))
    assert "The reason needs at least 5 characters." in html
    done(handler, returned, "return", reason="不属于本单位职责，应由人社局办理")
    assert (fresh(returned).state, fresh(returned).returns_count) == (State.AWAITING_DISPATCH, 1)

    case = cases.dispatched()
    words = done(handler, case, "receive")
    assert "You signed for the case." in words
    assert fresh(case).state == State.IN_PROGRESS
    html = handler.get(reverse("web:case", args=[case.pk])).content.decode()
    assert f'<option value="{org.center_a1.pk}">市场监管所</option>' in html
    done(handler, case, "dispatch_down", unit_id=org.center_a1.pk)
    assert fresh(case).handling_unit_id == org.center_a1.pk


# --- handling -------------------------------------------------------------------------------------


def test_cohandling_is_asked_and_answered_by_the_unit_asked(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.in_progress()
    handler_a, handler_b = staff("handler_a"), staff("handler_b")
    html = refused(
        post(
            handler_a,
            case,
            "request_cohandling",
            unit_id=org.dept_b.pk,
            days=0,
            request="请核实参保缴费记录",
        )
    )
    assert "Give a number of working days from 1 to 30." in html
    done(
        handler_a,
        case,
        "request_cohandling",
        unit_id=org.dept_b.pk,
        days=2,
        request="请核实参保缴费记录",
    )
    task = CoHandlingTask.objects.get(case=case)
    page_b = text(handler_b.get(reverse("web:case", args=[case.pk])).content.decode())
    assert "Answer the co-handling task · 区人社局" in page_b
    assert "Asked 请核实参保缴费记录" in page_b
    # Department A asked; only department B is offered the answer.
    page_a = handler_a.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "answer_cohandling" not in page_a
    words = done(handler_b, case, "answer_cohandling", task_id=task.pk, answer="已核实，记录正常")
    assert "Your answer is recorded." in words
    task.refresh_from_db()
    assert (task.state, task.answer) == ("answered", "已核实，记录正常")


def test_record_a_contact(
    org: Org, cases: CaseBuilder, staff: SignedIn, frozen_time: FrozenTime
) -> None:
    case = cases.dispatched()
    handler = staff("handler_a")
    html = refused(post(handler, case, "record_contact", method="fax", outcome="已联系"))
    assert "Choose phone, SMS, visit or in person." in html
    frozen_time.set(sh(2026, 11, 20, 15))
    words = done(
        handler,
        case,
        "record_contact",
        method="phone",
        contacted_at="2026-11-20T14:30",
        outcome="已电话联系，约定周一补交材料",
    )
    record = ContactRecord.objects.get(case=case)
    assert record.contacted_at == sh(2026, 11, 20, 14, 30)  # entered in Asia/Shanghai
    assert "2026-11-20 14:30 phone handlerA 已电话联系，约定周一补交材料" in words


def test_record_the_cause(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.in_progress()
    handler = staff("handler_a")
    html = handler.get(reverse("web:case", args=[case.pk])).content.decode()
    assert '<optgroup label="petitioner side">' in html
    assert '<optgroup label="department side">' in html
    html = refused(post(handler, case, "record_cause", code="other", note="其他原因导致未办成"))
    assert "Say whether the cause lies with the petitioner or a department." in html
    words = done(
        handler,
        case,
        "record_cause",
        code="other",
        side="department",
        note="窗口人员业务不熟悉",
    )
    case = fresh(case)
    assert (case.cause_code, case.cause_side) == ("other", "department")
    assert "Cause Other (department side) 窗口人员业务不熟悉" in words


def test_extension_is_requested_then_approved_by_the_hub(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.in_progress()
    done(staff("handler_a"), case, "request_extension", days=2, reason="需要调取档案核实")
    request = ClockRequest.objects.get(case=case)
    dispatcher = staff("dispatcher")
    hub_page = text(dispatcher.get(reverse("web:case", args=[case.pk])).content.decode())
    assert "Decide the request · extension · 2 working days" in hub_page
    words = done(dispatcher, case, "decide_request", request_id=request.pk, approve="yes")
    assert "The request is approved." in words
    request.refresh_from_db()
    assert request.decision == ClockRequest.Decision.APPROVED
    assert "reply On time Due 2026-11-27 23:59" in words  # Wed 11-25 + 2 working days


def test_refusing_a_request_needs_a_note(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=2, reason="需要调取档案核实")
    dispatcher = staff("dispatcher")
    html = refused(post(dispatcher, case, "decide_request", request_id=request.pk, approve="no"))
    assert "This field is required." in html
    assert f'id="decide_request-{request.pk}-note_error"' in html
    done(dispatcher, case, "decide_request", request_id=request.pk, approve="no", note="理由不充分")
    request.refresh_from_db()
    assert request.decision == ClockRequest.Decision.REFUSED


def test_suspension_and_resume(
    org: Org, cases: CaseBuilder, staff: SignedIn, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress()
    handler, dispatcher = staff("handler_a"), staff("dispatcher")
    done(handler, case, "request_suspension", reason="等待申请人补交股东会决议")
    request = ClockRequest.objects.get(case=case)
    words = done(dispatcher, case, "decide_request", request_id=request.pk, approve="yes")
    assert "Suspended" in words
    assert "Paused while suspended" in words
    frozen_time.set(sh(2026, 11, 24, 9))
    words = done(handler, case, "resume")
    assert fresh(case).suspended_at is None
    assert "Resumed by handlerA" in words


# --- reply, return visit, supervision, close ------------------------------------------------------


def test_reply_return_visit_supervise_and_close(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.analysed()
    handler, dispatcher = staff("handler_a"), staff("dispatcher")
    done(handler, case, "reply", text="已电话告知需补交股东会决议", channel="phone")
    assert fresh(case).state == State.REPLIED
    html = dispatcher.get(reverse("web:case", args=[case.pk])).content.decode()
    for level in ("very satisfied", "basically satisfied", "very dissatisfied"):
        assert level in html
    html = refused(post(dispatcher, case, "return_visit", satisfaction="", solved="yes"))
    assert "This field is required." in html
    words = done(dispatcher, case, "return_visit", satisfaction=2, solved="no", comment="仍未办成")
    assert "The return visit is recorded." in words
    assert (fresh(case).satisfaction, fresh(case).solved) == (2, False)
    done(dispatcher, case, "supervise", reason="回访不满意，要求重新办理", days=3)
    case = fresh(case)
    assert (case.state, case.round) == (State.IN_PROGRESS, 2)
    assert Supervision.objects.filter(case=case).count() == 1

    closing = cases.visited()
    words = done(dispatcher, closing, "close")
    assert "The case is closed." in words
    assert fresh(closing).state == State.CLOSED


# --- refusals -------------------------------------------------------------------------------------


def test_a_stale_form_is_refused_as_a_conflict(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.analysed()
    seen = fresh(case).version
    check_record_contact(org.leader_a, case.pk, method="phone", outcome="组长已电话联系申请人")
    html = refused(
        post(staff("handler_a"), case, "reply", text="已办结，请查收", channel="sms", version=seen),
        409,
    )
    assert "Someone else changed this case meanwhile; reload it and try again." in html
    assert fresh(case).state == State.IN_PROGRESS
    assert not fresh(case).reply_text
    # What was typed is kept, the page shows the case as it is now, and the form now carries
    # the current version: sending again is a choice made having seen the change.
    assert "已办结，请查收" in html
    assert "组长已电话联系申请人" in html
    assert f'name="version" value="{fresh(case).version}"' in html


def test_an_action_the_roles_do_not_allow_is_refused_with_the_reason(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.dispatched()
    html = refused(post(staff("inspector"), case, "receive"), 403)
    assert "Your roles do not allow you to receive this case." in html
    assert fresh(case).state == State.DISPATCHED


def test_an_action_in_the_wrong_state_is_refused(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.in_progress()
    html = refused(
        post(staff("handler_a"), case, "reply", text="已答复申请人结果", channel="sms"), 409
    )
    assert "Record the cause analysis before replying." in html
    # The page offers no reply form until the cause is recorded (cases.preconditions).
    assert 'name="text"' not in html


def test_outsiders_learn_nothing(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.dispatched()
    for data in ({}, {"reason": ""}):
        response = post(staff("handler_b"), case, "return", **data)
        assert response.status_code == 404
        assert "No case with this number is within your reach." in response.content.decode()
    assert fresh(case).state == State.DISPATCHED


def test_unknown_acts_and_gets_are_refused(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.dispatched()
    handler = staff("handler_a")
    assert post(handler, case, "teleport").status_code == 404
    assert post(handler, case, "attach").status_code == 404  # has its own form
    assert handler.get(reverse("web:case_act", args=[case.pk, "receive"])).status_code == 405


# --- htmx -----------------------------------------------------------------------------------------


def test_with_htmx(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    case = cases.dispatched()
    client = signed_in("handler_a")
    url = reverse("web:case_act", args=[case.pk, "return"])
    htmx = {"HTTP_HX_REQUEST": "true"}
    # Field errors: the page answers, and the form's own panel is swapped in place.
    response = client.post(url, {"version": fresh(case).version, "reason": ""}, **htmx)
    assert response.status_code == 422
    assert "HX-Retarget" not in response
    assert 'id="panel-return"' in response.content.decode()
    # A conflict redraws the whole case.
    response = client.post(url, {"version": 1, "reason": "不属于本单位职责"}, **htmx)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#case-page"
    assert response["HX-Reselect"] == "#case-page"
    # Success: the browser loads the case page again, with the message.
    response = client.post(
        url, {"version": fresh(case).version, "reason": "不属于本单位职责"}, **htmx
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("web:case", args=[case.pk])


@pytest.mark.parametrize("act", ["receive", "close", "resume"])
def test_forms_without_fields_are_single_buttons(
    org: Org, cases: CaseBuilder, staff: SignedIn, act: str
) -> None:
    """Receive, close and resume need no input: one button, no collapsed form."""
    case = {"receive": cases.dispatched, "close": cases.visited, "resume": cases.in_progress}[act]()
    if act == "resume":
        request = check_request_suspension(org.handler_a, case.pk, reason="等待补交材料")
        check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    who = {"receive": "handler_a", "close": "dispatcher", "resume": "handler_a"}[act]
    html = staff(who).get(reverse("web:case", args=[case.pk])).content.decode()
    start = html.index(f'id="panel-{act}"')
    panel = html[start : html.index("</form>", start)]
    assert "<details" not in panel
    assert 'type="submit"' in panel
