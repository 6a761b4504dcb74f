"""The case lifecycle (DESIGN.md "The case lifecycle"): every action's effect, every refusal.

Time is frozen at Friday 2026-11-20 10:00 Asia/Shanghai (conftest.NOW) unless a test moves it.
Deadlines were counted by hand on the 2026 schedule: late November has no holiday, so working
days are Monday to Friday (Nov 23-27, Nov 30, Dec 1-4, Dec 7 ...). Policy: putuo unless said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.actions.answer import (
    check_rate_case,
    check_reply_case,
    check_return_visit,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_resolve_on_spot,
    check_return_case,
    check_screen_case,
    do_dispatch_down,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.errors import ActionRefused, Conflict, Forbidden, InvalidInput, InvalidState
from banchengshi.cases.models import (
    NO_DUE,
    Case,
    CaseUnit,
    Clock,
    ClockRequest,
    CoHandlingTask,
    ContactRecord,
    ReturnVisit,
    State,
    Supervision,
    WorkItem,
)
from banchengshi.cases.states import ALLOWED_STATES, Act
from banchengshi.catalog.models import Matter
from banchengshi.notify.models import OutboxMessage
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role

from .conftest import (
    CREDIT_CODE,
    ID_NUMBER,
    NOW,
    PHONE,
    CaseBuilder,
    FrozenTime,
    Org,
    end_of,
    sh,
)

NOW_JSON = "2026-11-20T02:00:00Z"  # NOW as the audit trail's JSON writes it (UTC)

# --- helpers --------------------------------------------------------------------------------


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def events(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case=case).order_by("seq"))


def last_event(case: Case) -> AuditEvent:
    event = AuditEvent.objects.filter(case=case).order_by("-seq").first()
    assert event is not None
    return event


def work(case: Case) -> list[tuple[str, int, dt.datetime]]:
    return sorted(WorkItem.objects.filter(case=case).values_list("kind", "unit_id", "due"))


def clocks(case: Case) -> dict[tuple[str, int], Clock]:
    """Clocks by (kind, round); co-handling clocks are looked up through their task."""
    return {(c.kind, c.round): c for c in Clock.objects.filter(case=case, task__isnull=True)}


def links(case: Case) -> set[tuple[int, str]]:
    return set(CaseUnit.objects.filter(case=case).values_list("unit_id", "relation"))


def outbox(case: Case) -> list[tuple[str, str, str, dict[str, Any]]]:
    return list(
        OutboxMessage.objects.filter(case=case)
        .order_by("id")
        .values_list("channel", "recipient", "template", "payload")
    )


def refused(call: Callable[[], Any]) -> ActionRefused:
    with pytest.raises(ActionRefused) as info:
        call()
    return info.value


# --- registration ---------------------------------------------------------------------------


def test_register_at_the_window(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(received_at=sh(2026, 11, 2, 9, 30), window="3号窗口")
    case = fresh(case)
    assert case.tracking_no == "PT-2026-000001"
    assert case.state == State.REGISTERED
    assert case.registered_unit_id == org.hall.pk
    assert case.registered_by == org.clerk
    assert case.received_at == sh(2026, 11, 2, 9, 30)
    assert (case.window, case.phone, case.id_number) == ("3号窗口", PHONE, ID_NUMBER)
    assert case.policy.key == "putuo@2023.2"
    assert (case.version, case.round, case.returns_count) == (1, 1, 0)
    assert case.owner_unit_id is None
    assert case.handling_unit_id is None
    assert links(case) == {(org.hall.pk, "registered")}
    assert work(case) == [("screen", org.hall.pk, NO_DUE)]
    assert clocks(case) == {}
    [event] = events(case)
    assert (event.action, event.actor_id, event.actor_label) == ("register", org.clerk.pk, "clerk")
    assert event.before == {}
    assert event.after == {"state": "registered", "tracking_no": "PT-2026-000001"}
    assert event.payload == {"channel": "window"}
    assert cases.register().tracking_no == "PT-2026-000002"


def test_registration_normalises_identifiers(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(
        petitioner_type="enterprise",
        enterprise_name=" 上海某某贸易有限公司 ",
        credit_code="91310107ma1g00000q",
        phone="+86 138-1234-5678",
        id_number="",
    )
    case = fresh(case)
    assert case.credit_code == CREDIT_CODE
    assert case.enterprise_name == "上海某某贸易有限公司"
    assert case.phone == PHONE
    assert case.received_at == NOW


def test_dispatcher_registers_at_the_hub(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(actor=org.dispatcher, channel="hotline_12345")
    assert case.registered_unit_id == org.hub.pk
    assert work(case) == [("screen", org.hub.pk, NO_DUE)]


@pytest.mark.parametrize("who", ["handler_a", "inspector", "sysadmin", "officeadmin"])
def test_only_windows_and_the_hub_register(org: Org, cases: CaseBuilder, who: str) -> None:
    error = refused(lambda: cases.register(actor=org.user(who), registered_unit_id=org.hall.pk))
    assert isinstance(error, Forbidden)
    assert Case.objects.count() == 0


def test_a_clerk_registers_only_at_their_own_center(org: Org, cases: CaseBuilder) -> None:
    error = refused(lambda: cases.register(registered_unit_id=org.center_a1.pk))
    assert error.code == "forbidden"


def test_a_clerk_of_two_centers_must_choose(org: Org, cases: CaseBuilder) -> None:
    do_grant_role(org.clerk, org.center_a1, Role.WINDOW_CLERK)
    clerk = User.objects.get(pk=org.clerk.pk)  # no cached scope
    error = refused(lambda: cases.register(actor=clerk))
    assert isinstance(error, InvalidInput)
    assert error.field == "registered_unit_id"
    assert cases.register(actor=clerk, registered_unit_id=org.center_a1.pk).registered_unit_id


REGISTRATION_ERRORS = [
    pytest.param({"phone": "12345"}, "phone", id="bad-phone"),
    pytest.param({"phone": "  "}, "phone", id="no-phone"),
    pytest.param({"id_number": "310107199003072013"}, "id_number", id="id-checksum"),
    pytest.param({"id_number": "31010719900307201"}, "id_number", id="id-length"),
    pytest.param(
        {"petitioner_type": "enterprise", "enterprise_name": "某公司", "credit_code": ""},
        "credit_code",
        id="enterprise-without-credit-code",
    ),
    pytest.param(
        {
            "petitioner_type": "enterprise",
            "enterprise_name": "某公司",
            "credit_code": "91310107MA1G00000A",
        },
        "credit_code",
        id="credit-code-checksum",
    ),
    pytest.param(
        {"petitioner_type": "enterprise", "credit_code": CREDIT_CODE},
        "enterprise_name",
        id="enterprise-without-name",
    ),
    pytest.param({"received_at": sh(2026, 11, 20, 11)}, "received_at", id="future"),
    pytest.param({"received_at": sh(2026, 10, 20, 9, 59)}, "received_at", id="31-days-ago"),
    pytest.param({"received_at": dt.datetime(2026, 11, 20, 9)}, "received_at", id="naive"),  # noqa: DTZ001
    pytest.param({"matter_id": 999_999}, "matter_id", id="unknown-matter"),
    pytest.param({"matter_text": ""}, "matter_id", id="no-matter-at-all"),
    pytest.param({"department_id": 999_999}, "department_id", id="unknown-department"),
    pytest.param({"description": "办不成"}, "description", id="short-description"),
    pytest.param({"description": "很" * 5001}, "description", id="long-description"),
    pytest.param({"petitioner_name": " "}, "petitioner_name", id="no-name"),
    pytest.param({"channel": "fax"}, "channel", id="unknown-channel"),
    pytest.param({"category": "gossip"}, "category", id="unknown-category"),
    pytest.param({"complexity": "huge"}, "complexity", id="unknown-complexity"),
    pytest.param({"visits_count": 0}, "visits_count", id="visits-0"),
    pytest.param({"external_source": "12345"}, "external_id", id="source-without-id"),
    pytest.param({"window": "9" * 61}, "window", id="long-window"),
    pytest.param({"matter_text": "事" * 201}, "matter_text", id="long-matter-text"),
    pytest.param(
        {"online_application_no": "1" * 65}, "online_application_no", id="long-application-no"
    ),
]


@pytest.mark.parametrize(("fields", "field"), REGISTRATION_ERRORS)
def test_registration_input_errors(
    org: Org, cases: CaseBuilder, fields: dict[str, Any], field: str
) -> None:
    error = refused(lambda: cases.register(**fields))
    assert isinstance(error, InvalidInput)
    assert error.code == "invalid"
    assert error.field == field
    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_registration_reports_every_field_at_once(org: Org, cases: CaseBuilder) -> None:
    error = refused(lambda: cases.register(phone="123", id_number="123", description="短"))
    assert isinstance(error, InvalidInput)
    assert set(error.errors) == {"phone", "id_number", "description"}


def test_received_exactly_30_days_ago_is_accepted(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(received_at=sh(2026, 10, 21, 10))
    assert case.received_at == sh(2026, 10, 21, 10)


def test_unknown_failed_at_unit_is_reported_under_its_own_field(
    org: Org, cases: CaseBuilder
) -> None:
    error = refused(lambda: cases.register(failed_at_unit_id=999_999))
    assert isinstance(error, InvalidInput)
    assert error.field == "failed_at_unit_id"


def test_a_case_is_never_auto_dispatched_to_the_inspectorate(org: Org, cases: CaseBuilder) -> None:
    refused_field, handling_unit_id = "", None
    try:
        case = cases.awaiting(department_id=org.inspectorate.pk)
        handling_unit_id = case.handling_unit_id
    except InvalidInput as error:  # refusing the form is a fine answer too
        refused_field = error.field
    assert refused_field == "department_id" or handling_unit_id != org.inspectorate.pk


# --- screening and automatic dispatch (R-IN-4, R-DIS-1) ---------------------------------------


def test_accept_starts_the_putuo_clocks(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    by_kind = clocks(case)
    assert set(by_kind) == {("reply", 1), ("cause_analysis", 1)}
    reply = by_kind["reply", 1]
    assert (reply.limit_name, reply.started_at, reply.due) == (
        "reply.general",
        NOW,
        end_of(2026, 11, 25),
    )
    cause = by_kind["cause_analysis", 1]
    assert (cause.limit_name, cause.due) == ("cause_analysis", end_of(2026, 11, 20))
    assert reply.stopped_at is None
    assert cause.stopped_at is None


@pytest.mark.parametrize(
    ("form", "target"),
    [
        pytest.param({"matter": "matter_a"}, "dept_a", id="owning-department"),
        pytest.param({"department": "dept_b"}, "dept_b", id="department-on-the-form"),
        pytest.param({"failed_at": "center_a1"}, "center_a1", id="failed-at-unit"),
        pytest.param({"matter": "matter_h"}, "hall", id="matter-handled-at-one-center"),
        pytest.param(
            {"matter": "matter_a", "department": "dept_b"}, "dept_a", id="owner-before-form"
        ),
        pytest.param(
            {"department": "dept_b", "failed_at": "center_a1"}, "dept_b", id="form-before-place"
        ),
        pytest.param({"matter": "matter_two_centers"}, None, id="matter-at-two-centers"),
        pytest.param({}, None, id="nothing-known"),
    ],
)
def test_automatic_dispatch(
    org: Org, cases: CaseBuilder, form: dict[str, str], target: str | None
) -> None:
    two = Matter.objects.create(code="M-2", name="两处办理的事项")
    two.handling_centers.add(org.hall, org.center_a1)
    matters = {"matter_a": org.matter_a, "matter_h": org.matter_h, "matter_two_centers": two}
    fields: dict[str, Any] = {}
    if "matter" in form:
        fields["matter_id"] = matters[form["matter"]].pk
    if "department" in form:
        fields["department_id"] = getattr(org, form["department"]).pk
    if "failed_at" in form:
        fields["failed_at_unit_id"] = getattr(org, form["failed_at"]).pk
    case = fresh(cases.awaiting(**fields))
    reply_due = end_of(2026, 11, 25)
    event = last_event(case)
    assert event.action == "screen_accept"
    if target is None:
        assert case.state == State.AWAITING_DISPATCH
        assert case.handling_unit_id is None
        assert work(case) == [("dispatch", org.hub.pk, reply_due)]
        assert event.after == {"state": "awaiting_dispatch"}
        assert event.payload == {"category": "handling", "complexity": "general"}
    else:
        unit = getattr(org, target)
        assert case.state == State.DISPATCHED
        assert (case.handling_unit_id, case.owner_unit_id) == (unit.pk, None)
        assert work(case) == [("receive", unit.pk, reply_due)]
        assert (unit.pk, "handling") in links(case)
        assert event.before == {"state": "registered", "handling_unit_id": None}
        assert event.after == {"state": "dispatched", "handling_unit_id": unit.pk}
        assert event.payload == {
            "category": "handling",
            "complexity": "general",
            "unit": unit.code,
            "automatic": True,
        }


def test_screening_confirms_category_and_complexity(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(matter_id=org.matter_a.pk)
    case = check_screen_case(
        org.dispatcher, case.pk, admissible=True, category="complaint", complexity="complex"
    )
    case = fresh(case)
    assert (case.category, case.complexity) == ("complaint", "complex")
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 1)
    assert last_event(case).before == {
        "state": "registered",
        "handling_unit_id": None,
        "category": "handling",
        "complexity": "general",
    }


def test_screening_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    screen = partial(check_screen_case, org.clerk, case.pk)
    for kwargs, field in [
        ({"admissible": True, "category": "gossip"}, "category"),
        ({"admissible": True, "complexity": "huge"}, "complexity"),
        ({"admissible": False}, "reason"),
        ({"admissible": False, "reason": "不予受理"}, "reason"),  # 4 characters
        ({"admissible": False, "reason": "理" * 5001}, "reason"),
    ]:
        error = refused(partial(screen, **kwargs))
        assert isinstance(error, InvalidInput)
        assert error.field == field
    resolve = partial(check_resolve_on_spot, org.clerk, case.pk)
    error = refused(partial(resolve, reply="已办结"))
    assert isinstance(error, InvalidInput)
    assert error.field == "reply"
    assert fresh(case).state == State.REGISTERED
    assert [e.action for e in events(case)] == ["register"]


def test_not_admissible_under_putuo_then_reply_closes(org: Org, cases: CaseBuilder) -> None:
    case = fresh(cases.not_admissible())
    assert case.state == State.NOT_ADMISSIBLE
    assert case.not_admissible_reason == "属于司法程序，依法不予受理"
    clock = clocks(case)["not_admissible_reply", 1]
    assert (clock.limit_name, clock.started_at, clock.due) == (
        "not_admissible",
        NOW,
        end_of(2026, 11, 25),
    )
    assert set(clocks(case)) == {("not_admissible_reply", 1)}
    assert work(case) == [("reply_reasons", org.hall.pk, end_of(2026, 11, 25))]
    event = last_event(case)
    assert event.action == "screen_not_admissible"
    assert (event.before, event.after) == ({"state": "registered"}, {"state": "not_admissible"})
    assert event.payload == {"reason": "属于司法程序，依法不予受理"}

    check_reply_case(org.clerk, case.pk, text="依据相关规定不予受理，理由已书面说明")
    case = fresh(case)
    assert (case.state, case.closed_at, case.replied_at) == (State.CLOSED, NOW, NOW)
    assert clocks(case)["not_admissible_reply", 1].stopped_at == NOW
    assert work(case) == []
    assert outbox(case) == [
        ("sms", PHONE, "reply", {"tracking_no": case.tracking_no, "channel": "sms", "round": 1})
    ]
    event = last_event(case)
    assert event.action == "reply"
    assert event.before == {"state": "not_admissible", "closed_at": None}
    assert event.after == {"state": "closed", "closed_at": NOW_JSON}


def test_not_admissible_under_chongming_has_no_clock(
    org: Org, cases: CaseBuilder, use_policy: Callable[[str], None]
) -> None:
    use_policy("chongming")
    case = cases.not_admissible()
    assert case.policy.key == "chongming@2023.2"
    assert clocks(case) == {}
    assert work(case) == [("reply_reasons", org.hall.pk, NO_DUE)]
    check_reply_case(org.windowhead, case.pk, text="依据相关规定不予受理，理由已书面说明")
    assert fresh(case).state == State.CLOSED


def test_resolve_on_the_spot(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    case = check_resolve_on_spot(
        org.clerk, case.pk, reply="窗口当场协调办结", category="consultation"
    )
    case = fresh(case)
    assert case.state == State.CLOSED
    assert case.on_the_spot is True
    assert case.category == "consultation"
    assert (case.owner_unit_id, case.handling_unit_id) == (org.hall.pk, org.hall.pk)
    assert (case.reply_text, case.replied_at, case.closed_at) == ("窗口当场协调办结", NOW, NOW)
    assert work(case) == []
    assert clocks(case) == {}
    event = last_event(case)
    assert event.action == "resolve_on_spot"
    assert event.before == {
        "state": "registered",
        "owner_unit_id": None,
        "handling_unit_id": None,
        "category": "handling",
        "closed_at": None,
        "on_the_spot": False,
    }
    assert event.after == {
        "state": "closed",
        "owner_unit_id": org.hall.pk,
        "handling_unit_id": org.hall.pk,
        "category": "consultation",
        "closed_at": NOW_JSON,
        "on_the_spot": True,
    }
    assert len(events(case)) == 2  # register, resolve_on_spot: one step


def test_resolve_on_the_spot_links_the_center_as_owner(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    check_resolve_on_spot(org.clerk, case.pk, reply="窗口当场协调办结")
    assert links(case) == {
        (org.hall.pk, "registered"),
        (org.hall.pk, "owner"),
        (org.hall.pk, "handling"),
    }


# --- dispatch, receive, return, downward dispatch (R-DIS-2..4) --------------------------------


def test_manual_dispatch_from_the_hub_queue(org: Org, cases: CaseBuilder) -> None:
    case = cases.awaiting()
    case = check_dispatch_case(org.dispatcher, case.pk, unit_id=org.dept_b.pk)
    case = fresh(case)
    assert (case.state, case.handling_unit_id, case.owner_unit_id) == (
        State.DISPATCHED,
        org.dept_b.pk,
        None,
    )
    assert work(case) == [("receive", org.dept_b.pk, end_of(2026, 11, 25))]
    assert links(case) == {(org.hall.pk, "registered"), (org.dept_b.pk, "handling")}
    event = last_event(case)
    assert event.action == "dispatch"
    assert event.before == {"state": "awaiting_dispatch", "handling_unit_id": None}
    assert event.after == {"state": "dispatched", "handling_unit_id": org.dept_b.pk}
    assert event.payload == {"unit": "DEPT-B", "automatic": False}


@pytest.mark.parametrize("unit", ["hub", "office", "inspectorate"])
def test_dispatch_only_to_departments_and_centers(org: Org, cases: CaseBuilder, unit: str) -> None:
    case = cases.awaiting()
    error = refused(
        lambda: check_dispatch_case(org.dispatcher, case.pk, unit_id=getattr(org, unit).pk)
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "unit_id"
    error = refused(lambda: check_dispatch_case(org.dispatcher, case.pk, unit_id=999_999))
    assert isinstance(error, InvalidInput)
    assert error.field == "unit_id"


def test_receive_makes_the_first_receiver_the_owner(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    case = do_receive_case(org.leader_a, case.pk)
    case = fresh(case)
    assert (case.state, case.owner_unit_id, case.handling_unit_id) == (
        State.IN_PROGRESS,
        org.dept_a.pk,
        org.dept_a.pk,
    )
    assert links(case) == {
        (org.hall.pk, "registered"),
        (org.dept_a.pk, "handling"),
        (org.dept_a.pk, "owner"),
    }
    # The handler's item sorts by the nearest running deadline: same-day cause analysis.
    assert work(case) == [("handle", org.dept_a.pk, end_of(2026, 11, 20))]
    event = last_event(case)
    assert event.action == "receive"
    assert event.before == {"state": "dispatched", "owner_unit_id": None}
    assert event.after == {"state": "in_progress", "owner_unit_id": org.dept_a.pk}


@pytest.mark.parametrize("stage", ["dispatched", "in_progress"])
def test_return_goes_back_to_the_hub_queue(org: Org, cases: CaseBuilder, stage: str) -> None:
    case = getattr(cases, stage)()
    case = check_return_case(org.handler_a, case.pk, reason="本事项不属于本单位职责")
    case = fresh(case)
    assert case.state == State.AWAITING_DISPATCH
    assert case.returns_count == 1
    assert (case.owner_unit_id, case.handling_unit_id) == (None, None)
    assert work(case) == [("dispatch", org.hub.pk, end_of(2026, 11, 25))]
    event = last_event(case)
    assert event.action == "return"
    assert event.payload == {"reason": "本事项不属于本单位职责", "returned_by": org.dept_a.pk}
    assert event.after["state"] == "awaiting_dispatch"
    assert event.after["returns_count"] == 1

    # Re-dispatched by the hub to the right unit, which becomes the owner on receipt.
    check_dispatch_case(org.dispatcher, case.pk, unit_id=org.dept_b.pk)
    do_receive_case(org.handler_b, case.pk)
    case = fresh(case)
    assert (case.owner_unit_id, case.handling_unit_id) == (org.dept_b.pk, org.dept_b.pk)
    assert case.returns_count == 1
    check_return_case(org.handler_b, case.pk, reason="本事项也不属于本单位职责")
    assert fresh(case).returns_count == 2


def test_return_needs_a_reason(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    for reason in ("", "   ", "不归本所"):  # 4 characters; at least 5 are needed
        error = refused(partial(check_return_case, org.handler_a, case.pk, reason=reason))
        assert isinstance(error, InvalidInput)
        assert error.field == "reason"
    assert fresh(case).state == State.DISPATCHED


def test_dispatch_down_keeps_the_owner(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    case = do_dispatch_down(org.handler_a, case.pk, unit_id=org.center_a1.pk)
    case = fresh(case)
    assert (case.state, case.owner_unit_id, case.handling_unit_id) == (
        State.IN_PROGRESS,
        org.dept_a.pk,
        org.center_a1.pk,
    )
    assert (org.center_a1.pk, "handling") in links(case)
    assert (org.dept_a.pk, "owner") in links(case)
    assert work(case) == [("handle", org.center_a1.pk, end_of(2026, 11, 20))]
    event = last_event(case)
    assert event.action == "dispatch_down"
    assert event.before == {"handling_unit_id": org.dept_a.pk}
    assert event.after == {"handling_unit_id": org.center_a1.pk}
    assert event.payload == {"unit": "CTR-A1"}
    # The sub-center handles; it may not return a case its owner passed down.
    check_record_cause(org.handler_a1, case.pk, code="materials", note="缺少股东会决议原件")
    error = refused(lambda: check_return_case(org.handler_a1, case.pk, reason="不属于本所职责"))
    assert isinstance(error, InvalidState)
    check_reply_case(org.handler_a1, case.pk, text="已告知补交材料后当场办结")
    assert fresh(case).state == State.REPLIED


@pytest.mark.parametrize("unit", ["dept_a", "dept_b", "hall"])
def test_dispatch_down_only_below_the_owner(org: Org, cases: CaseBuilder, unit: str) -> None:
    case = cases.in_progress()
    error = refused(lambda: do_dispatch_down(org.handler_a, case.pk, unit_id=getattr(org, unit).pk))
    assert isinstance(error, InvalidInput)
    assert error.field == "unit_id"
    assert fresh(case).handling_unit_id == org.dept_a.pk


# --- co-handling (R-DIS-3) ------------------------------------------------------------------


def test_cohandling_has_its_own_task_clock_and_answer(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实社保缴费记录", days=2
    )
    assert (task.state, task.unit_id, task.requested_by, task.due) == (
        "open",
        org.dept_b.pk,
        org.handler_a,
        end_of(2026, 11, 24),
    )
    clock = Clock.objects.get(task=task)
    assert (clock.kind, clock.started_at, clock.due, clock.stopped_at) == (
        "cohandling",
        NOW,
        end_of(2026, 11, 24),
        None,
    )
    assert (org.dept_b.pk, "cohandling") in links(case)
    assert WorkItem.objects.get(task=task).unit_id == org.dept_b.pk
    assert ("cohandle", org.dept_b.pk, end_of(2026, 11, 24)) in work(case)
    event = last_event(case)
    assert event.action == "request_cohandling"
    assert (event.before, event.after) == ({}, {})
    assert event.payload == {"task": task.pk, "unit": "DEPT-B", "days": 2}

    check_record_cause(org.handler_a, case.pk, code="materials", note="缺少社保缴费证明")
    error = refused(lambda: check_reply_case(org.handler_a, case.pk, text="已答复申请人结果"))
    assert isinstance(error, InvalidState)

    error = refused(
        lambda: check_answer_cohandling(
            org.handler_a, case.pk, task_id=task.pk, answer="已核实无误情况"
        )
    )
    assert isinstance(error, Forbidden)  # only the unit asked answers

    answered = check_answer_cohandling(
        org.handler_b, case.pk, task_id=task.pk, answer="缴费记录完整，可以办理"
    )
    answered.refresh_from_db()
    assert (answered.state, answered.answer, answered.answered_by, answered.answered_at) == (
        "answered",
        "缴费记录完整，可以办理",
        org.handler_b,
        NOW,
    )
    assert Clock.objects.get(task=task).stopped_at == NOW
    assert not WorkItem.objects.filter(task=task).exists()
    assert last_event(case).action == "answer_cohandling"
    assert last_event(case).payload == {"task": task.pk}
    check_reply_case(org.handler_a, case.pk, text="已答复申请人结果，材料齐全即可办理")
    assert fresh(case).state == State.REPLIED


def test_cohandling_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    ask = partial(check_request_cohandling, org.handler_a, case.pk)
    b = org.dept_b.pk
    for args, field in [
        ((b, "请核", 2), "request"),
        ((b, "请核实记录", 0), "days"),
        ((b, "请核实记录", 31), "days"),
        ((org.office.pk, "请核实记录", 2), "unit_id"),
        ((org.inspectorate.pk, "请核实记录", 2), "unit_id"),
        ((999_999, "请核实记录", 2), "unit_id"),
        ((org.dept_a.pk, "请核实记录", 2), "unit_id"),  # the case is already with A
    ]:
        error = refused(
            partial(ask, **dict(zip(("unit_id", "request", "days"), args, strict=False)))
        )
        assert isinstance(error, InvalidInput), field
        assert error.field == field
    task = ask(unit_id=b, request="请核实记录", days=2)
    error = refused(
        lambda: check_answer_cohandling(org.handler_b, case.pk, task_id=task.pk, answer="好")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "answer"
    error = refused(
        lambda: check_answer_cohandling(
            org.handler_b, case.pk, task_id=task.pk + 1, answer="已核实无误"
        )
    )
    assert error.code == "not_found"


# --- contact and cause (R-DIS-5, R-DIS-7) ---------------------------------------------------


def test_record_contact(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    contacted = sh(2026, 11, 20, 10, 4)
    record = check_record_contact(
        org.handler_a,
        case.pk,
        method="phone",
        outcome="已电话联系，申请人同意补交材料",
        contacted_at=contacted,
    )
    assert ContactRecord.objects.get(pk=record.pk).contacted_at == contacted
    assert (record.method, record.by) == ("phone", org.handler_a)
    event = last_event(case)
    assert event.action == "record_contact"
    assert event.payload == {"method": "phone", "contacted_at": contacted.isoformat()}
    assert fresh(case).state == State.DISPATCHED  # contact does not change the state


def test_contact_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    contact = partial(check_record_contact, org.handler_a, case.pk)
    naive = dt.datetime(2026, 11, 20, 9)  # noqa: DTZ001
    for args, field in [
        (("pigeon", "已联系申请人"), "method"),
        (("phone", " "), "outcome"),
        (("sms", "已联系", sh(2026, 11, 20, 10, 6)), "contacted_at"),  # 6 minutes ahead
        (("sms", "已联系", naive), "contacted_at"),
        (("sms", "已联系", sh(2026, 11, 20, 9, 59)), "contacted_at"),  # before receipt
    ]:
        error = refused(
            partial(contact, **dict(zip(("method", "outcome", "contacted_at"), args, strict=False)))
        )
        assert isinstance(error, InvalidInput)
        assert error.field == field


def test_record_cause_stops_the_cause_analysis_clock(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    case = check_record_cause(
        org.handler_a, case.pk, code="other", note="办事指南未写明需要原件", side="department"
    )
    case = fresh(case)
    assert (case.cause_code, case.cause_side, case.cause_note) == (
        "other",
        "department",
        "办事指南未写明需要原件",
    )
    assert clocks(case)["cause_analysis", 1].stopped_at == NOW
    assert clocks(case)["reply", 1].stopped_at is None
    # With the cause done, the handler's item follows the reply deadline.
    assert work(case) == [("handle", org.dept_a.pk, end_of(2026, 11, 25))]
    event = last_event(case)
    assert event.action == "record_cause"
    assert event.before == {"cause_code": "", "cause_side": ""}
    assert event.after == {"cause_code": "other", "cause_side": "department"}
    assert event.payload == {"code": "other", "side": "department"}


def test_a_coded_cause_has_a_fixed_side(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    check_record_cause(
        org.handler_a, case.pk, code="system_fault", note="信息系统出现故障", side="petitioner"
    )
    assert fresh(case).cause_side == "department"
    check_record_cause(
        org.clerk, case.pk, code="materials", note="材料不齐全的情况", side="department"
    )
    assert fresh(case).cause_side == "petitioner"


def test_cause_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    record = partial(check_record_cause, org.handler_a, case.pk)
    for args, field in [
        (("laziness", "说不清楚的原因"), "code"),
        (("other", "说不清楚的原因"), "side"),
        (("other", "说不清楚的原因", "both"), "side"),
        (("materials", "缺"), "note"),
        (("materials", "缺少材料"), "note"),  # 4 characters: at least 5
    ]:
        error = refused(partial(record, **dict(zip(("code", "note", "side"), args, strict=False))))
        assert isinstance(error, InvalidInput)
        assert error.field == field
    assert fresh(case).cause_code == ""


# --- reply (R-DIS-6, R-DIS-8) ---------------------------------------------------------------


def test_reply(org: Org, cases: CaseBuilder) -> None:
    case = cases.analysed()
    case = check_reply_case(
        org.handler_a, case.pk, text="已告知补交股东会决议，补交后当日办结", channel="phone"
    )
    case = fresh(case)
    assert (case.state, case.replied_at) == (State.REPLIED, NOW)
    assert case.reply_text == "已告知补交股东会决议，补交后当日办结"
    assert clocks(case)["reply", 1].stopped_at == NOW
    assert work(case) == [("return_visit", org.hub.pk, end_of(2026, 11, 25))]
    assert outbox(case) == [
        ("sms", PHONE, "reply", {"tracking_no": case.tracking_no, "channel": "phone", "round": 1})
    ]
    event = last_event(case)
    assert event.action == "reply"
    assert (event.before, event.after) == ({"state": "in_progress"}, {"state": "replied"})
    assert event.payload == {"channel": "phone", "text": "已告知补交股东会决议，补交后当日办结"}


def test_reply_refused_before_cause_analysis(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    error = refused(lambda: check_reply_case(org.handler_a, case.pk, text="已答复申请人结果"))
    assert error.code == "invalid_state"
    assert fresh(case).state == State.IN_PROGRESS


def test_reply_refused_while_suspended(org: Org, cases: CaseBuilder) -> None:
    case = cases.analysed()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    error = refused(lambda: check_reply_case(org.handler_a, case.pk, text="已答复申请人结果"))
    assert error.code == "invalid_state"
    assert fresh(case).state == State.IN_PROGRESS


def test_reply_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.analysed()
    error = refused(lambda: check_reply_case(org.handler_a, case.pk, text="好的"))
    assert isinstance(error, InvalidInput)
    assert error.field == "text"
    error = refused(
        lambda: check_reply_case(org.handler_a, case.pk, text="已答复申请人结果", channel="pigeon")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "channel"


def test_reply_leaves_no_undecidable_request(org: Org, cases: CaseBuilder) -> None:
    case = cases.analysed()
    check_request_extension(org.handler_a, case.pk, days=2, reason="需要进一步核实情况")
    try:
        check_reply_case(org.handler_a, case.pk, text="已答复申请人结果")
    except InvalidState:
        return  # refusing the reply while a request waits is a fine answer too
    assert work(case) == [("return_visit", org.hub.pk, end_of(2026, 11, 25))]
    assert not ClockRequest.objects.filter(case=case, decision="pending").exists()


# --- extension and suspension (R-SLA-5) -----------------------------------------------------


def test_extension_within_the_putuo_cap(org: Org, cases: CaseBuilder) -> None:
    """General: due Wed 11-25. Cap: 10 WD from receipt = Fri 12-04. 7 WD more = 12-04."""
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=7, reason="需要跨部门调取档案")
    assert (request.kind, request.decision, request.days) == ("extension", "pending", 7)
    assert ("approve", org.hub.pk, end_of(2026, 11, 23)) in work(case)  # the hub's review
    event = last_event(case)
    assert event.action == "request_extension"
    assert event.payload == {"request": request.pk, "days": 7, "reason": "需要跨部门调取档案"}

    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    request.refresh_from_db()
    assert (request.decision, request.decided_by, request.decided_at) == (
        "approved",
        org.dispatcher,
        NOW,
    )
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 4)
    assert [kind for kind, _, _ in work(case)] == ["handle"]
    assert outbox(case) == [
        ("sms", PHONE, "extension", {"tracking_no": case.tracking_no, "due": "2026-12-04"}),
        (
            "notice",
            str(org.hall.pk),
            "extension",
            {"tracking_no": case.tracking_no, "due": "2026-12-04"},
        ),
    ]
    event = last_event(case)
    assert event.action == "approve_extension"
    assert event.payload == {
        "request": request.pk,
        "note": "",
        "due": "2026-12-04T23:59:59.999999+08:00",
    }


def test_extension_beyond_the_putuo_cap(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    error = refused(
        lambda: check_request_extension(org.handler_a, case.pk, days=8, reason="需要跨部门调取档案")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "days"
    assert "2026-12-04" in str(error.message)
    assert not ClockRequest.objects.filter(case=case).exists()


def test_extensions_add_up_under_the_cap(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    first = check_request_extension(org.handler_a, case.pk, days=3, reason="需要跨部门调取档案")
    check_decide_request(
        org.officeadmin, case.pk, request_id=first.pk, approve=True, note="同意延期"
    )
    assert clocks(case)["reply", 1].due == end_of(2026, 11, 30)
    error = refused(
        lambda: check_request_extension(org.handler_a, case.pk, days=5, reason="还需要再核实")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "days"
    second = check_request_extension(org.handler_a, case.pk, days=4, reason="还需要再核实")
    check_decide_request(org.dispatcher, case.pk, request_id=second.pk, approve=True)
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 4)


def test_complex_case_extension_cap(org: Org, cases: CaseBuilder) -> None:
    """Complex: 7 WD = Tue 12-01; the cap stays 10 WD from receipt (12-04): 3 more at most."""
    case = cases.in_progress(complexity="complex")
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 1)
    error = refused(
        lambda: check_request_extension(org.handler_a, case.pk, days=4, reason="需要调取档案")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "days"
    check_request_extension(org.handler_a, case.pk, days=3, reason="需要调取档案")


def test_refused_extension(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    error = refused(
        lambda: check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=False)
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "note"
    check_decide_request(
        org.dispatcher, case.pk, request_id=request.pk, approve=False, note="理由不充分"
    )
    request.refresh_from_db()
    assert (request.decision, request.decision_note) == ("refused", "理由不充分")
    assert clocks(case)["reply", 1].due == end_of(2026, 11, 25)
    assert outbox(case) == []
    assert last_event(case).action == "refuse_extension"
    error = refused(
        lambda: check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    )
    assert error.code == "invalid_state"
    with translation.override("zh-hans"):
        assert str(error.message) == "没有等待审批的延期或中止申请。"


def test_one_request_at_a_time(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    error = refused(lambda: check_request_suspension(org.handler_a, case.pk, reason="等待补交材料"))
    assert isinstance(error, InvalidState)


def test_extension_and_suspension_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    extend = partial(check_request_extension, org.handler_a, case.pk)
    suspend = partial(check_request_suspension, org.handler_a, case.pk)
    for call, field in [
        (partial(extend, days=0, reason="需要跨部门调取档案"), "days"),
        (partial(extend, days=31, reason="需要跨部门调取档案"), "days"),
        (partial(extend, days="3", reason="需要跨部门调取档案"), "days"),
        (partial(extend, days=3, reason="需要"), "reason"),
        (partial(suspend, reason=""), "reason"),
    ]:
        error = refused(call)
        assert isinstance(error, InvalidInput)
        assert error.field == field


def test_suspension_pauses_and_resume_shifts_by_the_working_days_lost(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    """Suspended Fri 11-20, resumed Tue 11-24: Mon 23 and Tue 24 lost (2 WD).
    Reply Wed 11-25 -> Fri 11-27; cause analysis Fri 11-20 -> Tue 11-24."""
    case = cases.in_progress()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    assert last_event(case).action == "request_suspension"
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    case = fresh(case)
    assert case.suspended_at == NOW
    assert {c.paused_at for c in clocks(case).values()} == {NOW}
    assert work(case) == [("handle", org.dept_a.pk, NO_DUE)]
    event = last_event(case)
    assert event.action == "approve_suspension"
    assert (event.before, event.after) == ({"suspended_at": None}, {"suspended_at": NOW_JSON})
    error = refused(lambda: check_request_suspension(org.handler_a, case.pk, reason="再次申请挂起"))
    assert isinstance(error, InvalidState)

    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    case = fresh(case)
    assert case.suspended_at is None
    assert clocks(case)["reply", 1].due == end_of(2026, 11, 27)
    assert clocks(case)["cause_analysis", 1].due == end_of(2026, 11, 24)
    assert {c.paused_at for c in clocks(case).values()} == {None}
    assert work(case) == [("handle", org.dept_a.pk, end_of(2026, 11, 24))]
    request.refresh_from_db()
    assert request.decision == "ended"
    event = last_event(case)
    assert event.action == "resume"
    assert event.payload == {"workdays_suspended": 2}
    assert event.before == {"suspended_at": NOW_JSON}
    assert event.after == {"suspended_at": None}


@pytest.mark.parametrize(
    ("resumed", "lost", "reply_due"),
    [
        (sh(2026, 11, 20, 17), 0, end_of(2026, 11, 25)),  # same day
        (sh(2026, 11, 22, 17), 0, end_of(2026, 11, 25)),  # Sunday: only the weekend passed
        (sh(2026, 11, 23, 9), 1, end_of(2026, 11, 26)),  # Monday
        (sh(2026, 11, 30, 9), 6, end_of(2026, 12, 3)),  # a week and a day
    ],
)
def test_working_days_lost_while_suspended(
    org: Org,
    cases: CaseBuilder,
    frozen_time: FrozenTime,
    resumed: dt.datetime,
    lost: int,
    reply_due: dt.datetime,
) -> None:
    case = cases.analysed()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    frozen_time.set(resumed)
    do_resume_case(org.dispatcher, case.pk)
    assert last_event(case).payload == {"workdays_suspended": lost}
    assert clocks(case)["reply", 1].due == reply_due
    assert work(case) == [("handle", org.dept_a.pk, reply_due)]


def test_resume_when_not_suspended(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    error = refused(lambda: do_resume_case(org.handler_a, case.pk))
    assert error.code == "invalid_state"


def test_suspension_pauses_cohandling_too(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实记录", days=2
    )
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    assert WorkItem.objects.get(task=task).due == NO_DUE
    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    assert Clock.objects.get(task=task).due == end_of(2026, 11, 26)
    assert WorkItem.objects.get(task=task).due == end_of(2026, 11, 26)


def test_resume_shifts_the_cohandling_task_due(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实记录", days=2
    )
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    assert CoHandlingTask.objects.get(pk=task.pk).due == end_of(2026, 11, 26)


def test_resume_leaves_a_pending_approval_item_alone(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.analysed()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    frozen_time.set(sh(2026, 11, 23, 10))
    check_request_extension(org.handler_a, case.pk, days=2, reason="还需要调取档案")
    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    assert ("approve", org.hub.pk, end_of(2026, 11, 24)) in work(case)


def test_extension_informs_the_window(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    assert [(c, r) for c, r, _, _ in outbox(case)] == [
        ("sms", PHONE),
        ("notice", str(org.hall.pk)),
    ]


# --- return visit, supervision, close (R-RV) ------------------------------------------------


def test_return_visit_satisfied(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    visit = check_return_visit(org.dispatcher, case.pk, satisfaction=4, solved=True, comment="满意")
    assert (visit.by, visit.round, visit.visited_by, visit.visited_at) == (
        "hub",
        1,
        org.dispatcher,
        NOW,
    )
    case = fresh(case)
    assert (case.satisfaction, case.solved, case.state) == (4, True, State.REPLIED)
    assert [(kind, unit) for kind, unit, _ in work(case)] == [("close", org.hub.pk)]
    event = last_event(case)
    assert event.action == "return_visit"
    assert event.before == {"satisfaction": None, "solved": None}
    assert event.after == {"satisfaction": 4, "solved": True}
    assert event.payload == {"by": "hub", "satisfaction": 4, "solved": True}


def test_return_visit_by_the_unit(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    visit = check_return_visit(org.handler_a, case.pk, satisfaction=3, solved=True)
    assert visit.by == ReturnVisit.By.UNIT


@pytest.mark.parametrize(("satisfaction", "solved"), [(2, True), (1, True), (5, False)])
def test_unhappy_return_visit_goes_to_supervision(
    org: Org, cases: CaseBuilder, satisfaction: int, solved: bool
) -> None:
    case = cases.replied()
    check_return_visit(
        org.dispatcher, case.pk, satisfaction=satisfaction, solved=solved, comment="仍未办成"
    )
    # The hub decides within the policy's review limit: the next working day, not at once red.
    assert work(case) == [("supervise", org.hub.pk, end_of(2026, 11, 23))]


@pytest.mark.parametrize("satisfaction", [0, 6, -1])
def test_bad_satisfaction(org: Org, cases: CaseBuilder, satisfaction: int) -> None:
    case = cases.replied()
    error = refused(
        lambda: check_return_visit(org.dispatcher, case.pk, satisfaction=satisfaction, solved=True)
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "satisfaction"


def test_supervise_opens_round_two(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> None:
    """Supervised on Mon 11-23 with 5 WD: due Mon 11-30."""
    case = cases.replied()
    check_return_visit(
        org.dispatcher, case.pk, satisfaction=2, solved=False, comment="问题仍未解决"
    )
    frozen_time.set(sh(2026, 11, 23, 10))
    supervision = check_supervise_case(
        org.dispatcher, case.pk, reason="群众反映问题仍未解决，重新办理", days=5
    )
    assert (supervision.round, supervision.due, supervision.by) == (
        2,
        end_of(2026, 11, 30),
        org.dispatcher,
    )
    case = fresh(case)
    assert (case.state, case.round) == (State.IN_PROGRESS, 2)
    reply2 = clocks(case)["reply", 2]
    assert (reply2.started_at, reply2.due, reply2.stopped_at) == (
        sh(2026, 11, 23, 10),
        end_of(2026, 11, 30),
        None,
    )
    assert clocks(case)["reply", 1].stopped_at == NOW
    assert work(case) == [("handle", org.dept_a.pk, end_of(2026, 11, 30))]
    assert outbox(case)[-1] == (
        "notice",
        str(org.dept_a.pk),
        "supervision",
        {"tracking_no": case.tracking_no, "round": 2, "due": "2026-11-30T23:59:59.999999+08:00"},
    )
    event = last_event(case)
    assert event.action == "supervise"
    assert event.before == {"state": "replied", "round": 1}
    assert event.after == {"state": "in_progress", "round": 2}

    # Round 2: a new reply, and closing needs a return visit of round 2.
    check_reply_case(org.handler_a, case.pk, text="已重新核查并办结，告知申请人")
    error = refused(lambda: do_close_case(org.dispatcher, case.pk))
    assert isinstance(error, InvalidState)
    check_return_visit(org.dispatcher, case.pk, satisfaction=5, solved=True)
    assert ReturnVisit.objects.filter(case=case).values_list("round", flat=True).count() == 2
    do_close_case(org.dispatcher, case.pk)
    assert fresh(case).state == State.CLOSED


def test_supervise_a_closed_case(org: Org, cases: CaseBuilder) -> None:
    case = cases.closed()
    check_supervise_case(org.officeadmin, case.pk, reason="复查发现虚假办结，重新办理", days=3)
    case = fresh(case)
    assert (case.state, case.round, case.closed_at) == (State.IN_PROGRESS, 2, None)
    assert Supervision.objects.get(case=case).due == end_of(2026, 11, 25)


def test_supervise_needs_a_unit(org: Org, cases: CaseBuilder) -> None:
    case = cases.not_admissible()
    check_reply_case(org.clerk, case.pk, text="依据规定不予受理，已说明理由")
    error = refused(
        lambda: check_supervise_case(org.dispatcher, case.pk, reason="要求重新审查受理", days=3)
    )
    assert isinstance(error, InvalidState)


def test_supervise_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    supervise = partial(check_supervise_case, org.dispatcher, case.pk)
    for args, field in [
        (("督办", 3), "reason"),
        (("群众不满意需督办", 0), "days"),
        (("群众不满意需督办", 31), "days"),
    ]:
        error = refused(partial(supervise, **dict(zip(("reason", "days"), args, strict=False))))
        assert isinstance(error, InvalidInput)
        assert error.field == field


def test_close_needs_a_return_visit(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    error = refused(lambda: do_close_case(org.dispatcher, case.pk))
    assert error.code == "invalid_state"
    check_return_visit(org.dispatcher, case.pk, satisfaction=5, solved=True)
    case = do_close_case(org.dispatcher, case.pk)
    case = fresh(case)
    assert (case.state, case.closed_at) == (State.CLOSED, NOW)
    assert work(case) == []
    event = last_event(case)
    assert event.action == "close"
    assert event.before == {"state": "replied", "closed_at": None}
    assert event.after == {"state": "closed", "closed_at": NOW_JSON}


def test_whole_lifecycle_writes_one_event_per_action(org: Org, cases: CaseBuilder) -> None:
    case = cases.closed()
    assert [e.action for e in events(case)] == [
        "register",
        "screen_accept",
        "receive",
        "record_cause",
        "reply",
        "return_visit",
        "close",
    ]
    assert fresh(case).version == 7  # registration is version 1; six changes
    assert verify_chain().ok


# --- refused transitions ----------------------------------------------------------------------

S = State
EXPECTED_ALLOWED_STATES = {
    Act.SCREEN: {S.REGISTERED},
    Act.RESOLVE_ON_SPOT: {S.REGISTERED},
    Act.DISPATCH: {S.AWAITING_DISPATCH},
    Act.RECEIVE: {S.DISPATCHED},
    Act.RETURN: {S.DISPATCHED, S.IN_PROGRESS},
    Act.DISPATCH_DOWN: {S.IN_PROGRESS},
    Act.REQUEST_COHANDLING: {S.IN_PROGRESS},
    Act.ANSWER_COHANDLING: {S.IN_PROGRESS},
    Act.RECORD_CONTACT: {S.DISPATCHED, S.IN_PROGRESS},
    Act.RECORD_CAUSE: {S.IN_PROGRESS},
    Act.REQUEST_EXTENSION: {S.IN_PROGRESS},
    Act.REQUEST_SUSPENSION: {S.IN_PROGRESS},
    Act.DECIDE_REQUEST: {S.IN_PROGRESS},
    Act.RESUME: {S.IN_PROGRESS},
    Act.REPLY: {S.IN_PROGRESS, S.NOT_ADMISSIBLE},
    Act.RETURN_VISIT: {S.REPLIED},
    Act.SUPERVISE: {S.REPLIED, S.CLOSED},
    Act.CLOSE: {S.REPLIED},
    Act.RATE: {S.REPLIED, S.CLOSED},
}


def test_the_state_table() -> None:
    assert {act: set(states) for act, states in ALLOWED_STATES.items()} == EXPECTED_ALLOWED_STATES


def _task_id(case: Case) -> int:
    task = CoHandlingTask.objects.filter(case=case).first()
    return task.pk if task else 0


ATTEMPTS: dict[Act, Callable[[User, Case, Org], Any]] = {
    Act.SCREEN: lambda u, c, o: check_screen_case(u, c.pk, admissible=True),
    Act.RESOLVE_ON_SPOT: lambda u, c, o: check_resolve_on_spot(u, c.pk, reply="当场办结了"),
    Act.DISPATCH: lambda u, c, o: check_dispatch_case(u, c.pk, unit_id=o.dept_a.pk),
    Act.RECEIVE: lambda u, c, o: do_receive_case(u, c.pk),
    Act.RETURN: lambda u, c, o: check_return_case(u, c.pk, reason="不属于本单位职责"),
    Act.DISPATCH_DOWN: lambda u, c, o: do_dispatch_down(u, c.pk, unit_id=o.center_a1.pk),
    Act.REQUEST_COHANDLING: lambda u, c, o: check_request_cohandling(
        u, c.pk, unit_id=o.hall.pk, request="请协助核实情况", days=2
    ),
    Act.ANSWER_COHANDLING: lambda u, c, o: check_answer_cohandling(
        u, c.pk, task_id=_task_id(c), answer="已核实情况属实"
    ),
    Act.RECORD_CONTACT: lambda u, c, o: check_record_contact(
        u, c.pk, method="phone", outcome="已联系"
    ),
    # The petitioner's, on a public page: no person acts.
    Act.RATE: lambda u, c, o: check_rate_case(
        c.pk, satisfaction=4, solved=True, comment="", channel="portal", proof="sms_link"
    ),
    Act.RECORD_CAUSE: lambda u, c, o: check_record_cause(
        u, c.pk, code="materials", note="申请材料不齐全"
    ),
    Act.REQUEST_EXTENSION: lambda u, c, o: check_request_extension(
        u, c.pk, days=1, reason="需要更多时间核实"
    ),
    Act.REQUEST_SUSPENSION: lambda u, c, o: check_request_suspension(
        u, c.pk, reason="等待补交材料"
    ),
    Act.DECIDE_REQUEST: lambda u, c, o: check_decide_request(u, c.pk, request_id=1, approve=True),
    Act.RESUME: lambda u, c, o: do_resume_case(u, c.pk),
    Act.REPLY: lambda u, c, o: check_reply_case(u, c.pk, text="已答复申请人结果"),
    Act.RETURN_VISIT: lambda u, c, o: check_return_visit(u, c.pk, satisfaction=5, solved=True),
    Act.SUPERVISE: lambda u, c, o: check_supervise_case(u, c.pk, reason="群众不满意需督办", days=3),
    Act.CLOSE: lambda u, c, o: do_close_case(u, c.pk),
}


def _case_in(state: State, org: Org, cases: CaseBuilder) -> Case:
    """A case in `state`; from in_progress on, department B has co-handled it."""
    if state == S.REGISTERED:
        return cases.register()
    if state == S.NOT_ADMISSIBLE:
        return cases.not_admissible()
    if state == S.AWAITING_DISPATCH:
        return cases.awaiting()
    if state == S.DISPATCHED:
        return cases.dispatched()
    case = cases.analysed()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实记录", days=2
    )
    if state == S.IN_PROGRESS:
        return case
    check_answer_cohandling(org.handler_b, case.pk, task_id=task.pk, answer="已核实记录无误")
    check_reply_case(org.handler_a, case.pk, text="已答复申请人结果")
    if state == S.REPLIED:
        return case
    check_return_visit(org.dispatcher, case.pk, satisfaction=5, solved=True)
    return do_close_case(org.dispatcher, case.pk)


# Without a responsible unit, acts reserved to it are refused for access before state.
NO_UNIT_STATES = {S.REGISTERED, S.NOT_ADMISSIBLE, S.AWAITING_DISPATCH}
UNIT_ACTS = {
    Act.RECEIVE,
    Act.RETURN,
    Act.REQUEST_COHANDLING,
    Act.REQUEST_EXTENSION,
    Act.REQUEST_SUSPENSION,
}


def _expected_refusal(act: Act, state: State) -> str:
    if act in UNIT_ACTS and state in NO_UNIT_STATES:
        return "forbidden"
    if act in (Act.DISPATCH_DOWN, Act.ANSWER_COHANDLING) and state in {
        *NO_UNIT_STATES,
        S.DISPATCHED,  # no owner until receipt; no co-handling yet
    }:
        return "forbidden"
    return "invalid_state"


@pytest.mark.parametrize("state", list(State))
def test_every_refused_transition(org: Org, cases: CaseBuilder, state: State) -> None:
    """A person holding every role tries every act not allowed in `state`."""
    omni = User.objects.create_user("omni")
    for unit, role in [
        (org.hall, Role.WINDOW_CLERK),
        (org.dept_a, Role.UNIT_HANDLER),
        (org.dept_b, Role.UNIT_HANDLER),
        (org.hub, Role.DISPATCHER),
    ]:
        do_grant_role(omni, unit, role)
    case = fresh(_case_in(state, org, cases))
    assert case.state == state
    event_count = AuditEvent.objects.count()
    got: dict[Act, str] = {}
    expected: dict[Act, str] = {}
    for act, allowed in EXPECTED_ALLOWED_STATES.items():
        if state in allowed:
            continue
        expected[act] = _expected_refusal(act, state)
        try:
            ATTEMPTS[act](omni, case, org)
        except ActionRefused as error:
            got[act] = f"{type(error).__name__}:{error.code}"
        else:
            got[act] = "done"
    names = {"forbidden": "Forbidden:forbidden", "invalid_state": "InvalidState:invalid_state"}
    assert got == {act: names[code] for act, code in expected.items()}
    after = fresh(case)
    assert (after.state, after.version) == (case.state, case.version)
    assert AuditEvent.objects.count() == event_count


# --- version conflicts (R-Q-4) ----------------------------------------------------------------


def test_stale_version_is_a_conflict(org: Org, cases: CaseBuilder) -> None:
    case = fresh(cases.in_progress())
    assert case.version == 3  # register, screen (auto-dispatch), receive
    seen = case.version
    check_record_contact(
        org.handler_a, case.pk, method="phone", outcome="已联系申请人", version=seen
    )
    assert fresh(case).version == seen + 1
    error = refused(
        lambda: check_record_cause(
            org.handler_a, case.pk, code="materials", note="缺少原件材料", version=seen
        )
    )
    assert isinstance(error, Conflict)
    assert error.code == "conflict"
    assert fresh(case).cause_code == ""
    assert fresh(case).version == seen + 1
    assert ContactRecord.objects.filter(case=case).count() == 1
    check_record_cause(
        org.handler_a, case.pk, code="materials", note="缺少原件材料", version=seen + 1
    )
    assert fresh(case).version == seen + 2


def test_stale_version_after_a_return_is_a_conflict(org: Org, cases: CaseBuilder) -> None:
    case = fresh(cases.dispatched())
    seen = case.version
    check_return_case(org.leader_a, case.pk, reason="不属于本单位职责", version=seen)
    error = refused(lambda: do_receive_case(org.handler_a, case.pk, version=seen))
    assert isinstance(error, Conflict)


# --- deadlines past the known calendar (R-SLA-1) -------------------------------------------


def test_a_deadline_in_2027_is_refused_not_guessed(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    """Mon 2026-12-28: 3 WD ends Thu 12-31, 7 WD would need January 2027, unknown."""
    frozen_time.set(sh(2026, 12, 28))
    complex_case = cases.register(matter_id=org.matter_a.pk, complexity="complex")
    error = refused(lambda: check_screen_case(org.clerk, complex_case.pk, admissible=True))
    assert isinstance(error, InvalidInput)
    assert error.field == "deadline"
    assert "2027" in str(error.message)
    after = fresh(complex_case)
    assert (after.state, after.version) == (State.REGISTERED, 1)
    assert clocks(after) == {}
    assert work(after) == [("screen", org.hall.pk, NO_DUE)]
    assert [e.action for e in events(after)] == ["register"]

    case = cases.replied(received_at=sh(2026, 12, 28, 9))
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 31)
    check_return_visit(org.dispatcher, case.pk, satisfaction=1, solved=False)
    error = refused(
        lambda: check_supervise_case(org.dispatcher, case.pk, reason="群众不满意需督办", days=5)
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "deadline"
    assert "2027" in str(error.message)
    assert fresh(case).state == State.REPLIED
    assert not Supervision.objects.exists()
