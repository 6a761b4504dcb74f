"""Reply, return visit, supervision and closing (cases/actions/answer.py)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.utils import translation

from banchengshi.audit.chain import verify_chain
from banchengshi.cases.actions.answer import (
    check_reply_case,
    check_return_visit,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
)
from banchengshi.cases.models import (
    ClockRequest,
    ReturnVisit,
    State,
    Supervision,
)
from banchengshi.errors import InvalidInput, InvalidState
from banchengshi.notify.models import ShortLink
from tests.cases.actions.helpers import (
    NOW_JSON,
    clocks,
    events,
    fresh,
    last_event,
    notices,
    outbox,
    refused,
    work,
)
from tests.cases.conftest import (
    NOW,
    PHONE,
    CaseBuilder,
    FrozenTime,
    Org,
    end_of,
    sh,
)

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
    link = ShortLink.objects.get(case=case)
    assert (link.purpose, link.round, link.expires_at) == ("rate", 1, NOW + dt.timedelta(days=60))
    assert outbox(case) == [
        (
            "sms",
            PHONE,
            "reply",
            {"tracking_no": case.tracking_no, "channel": "phone", "round": 1, "link": link.code},
        )
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
    # The handling unit's people are told; by default also by SMS, but they have no mobile.
    supervision_params = {"round": 2, "due": "2026-11-30T23:59:59.999999+08:00"}
    assert notices(case)[-2:] == [
        ("handlerA", "supervision.opened", supervision_params),
        ("leaderA", "supervision.opened", supervision_params),
    ]
    assert [channel for channel, *_ in outbox(case)] == ["sms"]  # the petitioner's reply SMS
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


def test_a_short_reply_is_refused_saying_how_long_it_must_be(org: Org, cases: CaseBuilder) -> None:
    """The message is worded when the refusal is made, in the language of the request."""
    case = cases.analysed()
    for language, words in (
        ("zh-hans", "答复至少需 5 个字。"),
        ("en", "The reply needs at least 5 characters."),
    ):
        with translation.override(language):
            error = refused(lambda: check_reply_case(org.handler_a, case.pk, text="已办好"))
        assert isinstance(error, InvalidInput)
        assert [str(m) for m in error.errors["text"]] == [words]
