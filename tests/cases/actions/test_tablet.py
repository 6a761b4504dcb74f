"""The window's tablet (cases/actions/tablet.py): a clerk of the registering center hands it
to the petitioner, who rates the answer there; a unit never takes the rating of its own work.

The tests' case is registered at hall H and handled by department A (tests/cases/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from banchengshi.audit.chain import verify_chain
from banchengshi.cases.actions.answer import check_rate_case, check_supervise_case
from banchengshi.cases.actions.dispatch import check_resolve_on_spot
from banchengshi.cases.actions.tablet import check_rate_at_tablet, do_hand_tablet
from banchengshi.cases.models import Case, ReturnVisit, Satisfaction, TabletHandoff
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from tests.cases.actions.helpers import fresh, last_event, refused, work
from tests.cases.conftest import NOW, CaseBuilder, FrozenTime, Org

S = Satisfaction


def rate(actor: User, handoff: TabletHandoff, satisfaction: int = S.SATISFIED) -> ReturnVisit:
    return check_rate_at_tablet(
        actor, handoff.pk, satisfaction=satisfaction, solved=True, comment="窗口服务很耐心"
    )


def said(call: Callable[[], object]) -> tuple[str, str, str]:
    """The refusal's code, and its message in English and in Chinese (a message with a value
    in it is worded when raised, so the call is made in each language; refused, it changes
    nothing)."""
    words = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            error = refused(call)
            words.append(str(error.message))
    return error.code, words[0], words[1]


def anew(user: User) -> User:
    """The person as a new request loads them (the scope is kept on the user object)."""
    return User.objects.get(pk=user.pk)


# --- handing the tablet over ------------------------------------------------------------------


def test_the_clerk_opens_a_screen_for_the_answer(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    handoff = do_hand_tablet(org.clerk, case.pk)
    assert (handoff.case_id, handoff.round, handoff.opened_by_id) == (case.pk, 1, org.clerk.pk)
    assert (handoff.opened_at, handoff.expires_at, handoff.used_at) == (
        NOW,
        NOW + dt.timedelta(minutes=5),
        None,
    )
    event = last_event(case)
    assert (event.action, event.actor_id) == ("window_rating", org.clerk.pk)
    assert event.payload == {"round": 1, "handoff": handoff.pk}
    # Nothing else changes until the petitioner rates.
    assert fresh(case).satisfaction is None
    assert work(case)[0][0] == "return_visit"


def test_the_minutes_are_a_setting(org: Org, cases: CaseBuilder, settings: object) -> None:
    settings.BANCHENGSHI_TABLET_MINUTES = 3  # type: ignore[attr-defined]
    handoff = do_hand_tablet(org.clerk, cases.replied().pk)
    assert handoff.expires_at == NOW + dt.timedelta(minutes=3)


def test_a_new_screen_ends_the_clerks_other_one(org: Org, cases: CaseBuilder) -> None:
    first = do_hand_tablet(org.clerk, cases.replied().pk)
    second = do_hand_tablet(org.clerk, cases.replied().pk)
    assert said(lambda: rate(org.clerk, first)) == (
        "invalid_state",
        "This rating screen has expired; open a new one on the case page.",
        "此评价页面已过期，请在工单页面重新打开。",
    )
    rate(org.clerk, second)


@pytest.mark.parametrize("who", ["dispatcher", "officeadmin", "inspector"])
def test_only_the_registering_centers_window_hands_it(
    org: Org, cases: CaseBuilder, who: str
) -> None:
    case = cases.replied()
    assert said(lambda: do_hand_tablet(org.user(who), case.pk)) == (
        "forbidden",
        "Your roles do not allow you to hand the tablet for the petitioner's rating of this case.",
        "您的角色无权对该工单执行“递交平板请反映人评价”操作。",
    )


def test_the_window_head_may_hand_it_too(org: Org, cases: CaseBuilder) -> None:
    handoff = do_hand_tablet(org.windowhead, cases.replied().pk)
    assert rate(org.windowhead, handoff).visited_by_id == org.windowhead.pk


HANDLING_UNIT_REFUSED = (
    "forbidden",
    "People of a unit that handled this case cannot take the petitioner's rating of it.",
    "承办本件反映的单位人员不能代收反映人对它的评价。",
)


@pytest.mark.parametrize("who", ["handler_a", "leader_a"])
def test_the_handling_units_people_are_refused(org: Org, cases: CaseBuilder, who: str) -> None:
    case = cases.replied()
    assert said(lambda: do_hand_tablet(org.user(who), case.pk)) == HANDLING_UNIT_REFUSED


def test_a_clerk_who_is_also_of_the_handling_unit_is_refused(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    do_grant_role(org.clerk, org.dept_a, Role.UNIT_HANDLER)
    assert said(lambda: do_hand_tablet(anew(org.clerk), case.pk)) == (
        "forbidden",
        "People of a unit that handled this case cannot take the petitioner's rating of it.",
        "承办本件反映的单位人员不能代收反映人对它的评价。",
    )


def test_a_unit_that_co_handled_is_refused(org: Org, cases: CaseBuilder) -> None:
    from banchengshi.cases.actions.cohandling import check_request_cohandling

    case = cases.in_progress()
    check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.hall.pk, request="请窗口核实材料", days=2
    )
    assert said(lambda: do_hand_tablet(org.clerk, case.pk)) == HANDLING_UNIT_REFUSED


def test_an_appeal_resolved_at_the_window_is_its_own_work(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    check_resolve_on_spot(org.clerk, case.pk, reply="当场指导完成社保卡补办")
    assert said(lambda: do_hand_tablet(org.clerk, case.pk)) == HANDLING_UNIT_REFUSED


def test_refused_before_the_reply(org: Org, cases: CaseBuilder) -> None:
    case = cases.analysed()
    assert said(lambda: do_hand_tablet(org.clerk, case.pk)) == (
        "invalid_state",
        "This cannot be done now: the case is in progress.",
        "当前无法执行该操作：工单状态为“办理中”。",
    )


def test_refused_when_no_unit_handled_it(org: Org, cases: CaseBuilder) -> None:
    from banchengshi.cases.actions.answer import check_reply_case

    case = cases.not_admissible()
    check_reply_case(org.clerk, case.pk, text="已书面告知不予受理的理由")
    assert said(lambda: do_hand_tablet(org.clerk, case.pk)) == (
        "invalid_state",
        "This appeal was not handled by a unit; there is nothing to rate.",
        "这件反映未经单位办理，无需评价。",
    )


def test_refused_when_the_petitioner_rated_already(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    check_rate_case(
        case.pk, satisfaction=4, solved=True, comment="", channel="portal", proof="access_code"
    )
    assert said(lambda: do_hand_tablet(org.clerk, case.pk)) == (
        "invalid_state",
        "The petitioner has already rated this answer.",
        "反映人已评价过这次答复。",
    )


# --- the petitioner's rating on it ------------------------------------------------------------


def test_the_rating_is_the_petitioners_with_the_clerk_as_operator(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.replied()
    handoff = do_hand_tablet(org.clerk, case.pk)
    visit = rate(org.clerk, handoff, S.VERY_SATISFIED)
    assert (visit.by, visit.channel, visit.visited_by_id, visit.round, visit.comment) == (
        "petitioner",
        "window_tablet",
        org.clerk.pk,
        1,
        "窗口服务很耐心",
    )
    case = fresh(case)
    assert (case.satisfaction, case.solved) == (5, True)
    # The round's return visit: the hub may close.
    assert work(case) == [("close", org.hub.pk, work(case)[0][2])]
    event = last_event(case)
    assert (event.action, event.actor_id, event.actor_label) == ("rate", org.clerk.pk, "clerk")
    assert event.payload == {
        "satisfaction": 5,
        "solved": True,
        "channel": "window_tablet",
        "proof": "window_tablet",
        "handoff": handoff.pk,
    }
    assert TabletHandoff.objects.get(pk=handoff.pk).used_at == NOW
    assert verify_chain().ok


def test_a_dissatisfied_rating_goes_to_supervision(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    rate(org.clerk, do_hand_tablet(org.clerk, case.pk), S.DISSATISFIED)
    assert [kind for kind, _unit, _due in work(case)] == ["supervise"]


def test_the_screen_takes_one_rating(org: Org, cases: CaseBuilder) -> None:
    handoff = do_hand_tablet(org.clerk, cases.replied().pk)
    rate(org.clerk, handoff)
    assert said(lambda: rate(org.clerk, handoff, S.VERY_DISSATISFIED)) == (
        "invalid_state",
        "This rating screen has been used already; open a new one on the case page.",
        "此评价页面已使用过，请在工单页面重新打开。",
    )
    assert ReturnVisit.objects.filter(case_id=handoff.case_id).count() == 1


def test_the_screen_expires(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> None:
    case = cases.replied()
    handoff = do_hand_tablet(org.clerk, case.pk)
    frozen_time.advance(minutes=5)
    assert said(lambda: rate(org.clerk, handoff))[1] == (
        "This rating screen has expired; open a new one on the case page."
    )
    assert fresh(case).satisfaction is None


def test_the_screen_works_to_its_last_second(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    handoff = do_hand_tablet(org.clerk, cases.replied().pk)
    frozen_time.advance(minutes=4, seconds=59)
    assert rate(org.clerk, handoff).by == "petitioner"


def test_the_screen_is_bound_to_its_round(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    handoff = do_hand_tablet(org.clerk, case.pk)
    check_supervise_case(org.dispatcher, case.pk, reason="群众反映仍未解决", days=3)
    assert said(lambda: rate(org.clerk, handoff)) == (
        "invalid_state",
        "The case was reopened after this rating screen was opened; open a new one on the case "
        "page.",
        "打开此评价页面后，工单已重新进入办理，请在工单页面重新打开。",
    )


def test_only_the_clerk_who_opened_it_uses_it(org: Org, cases: CaseBuilder) -> None:
    handoff = do_hand_tablet(org.clerk, cases.replied().pk)
    assert said(lambda: rate(org.windowhead, handoff)) == (
        "forbidden",
        "This rating screen was opened by another member of staff.",
        "此评价页面由其他工作人员打开。",
    )


@pytest.mark.parametrize("handoff_id", [0, 987_654, 2**63])
def test_no_such_screen(org: Org, handoff_id: int) -> None:
    call = partial(check_rate_at_tablet, org.clerk, handoff_id, satisfaction=4, solved=True)
    assert said(call) == ("not_found", "There is no such rating screen.", "没有这个评价页面。")


def test_the_opener_who_joined_the_handling_unit_meanwhile_is_refused(
    org: Org, cases: CaseBuilder
) -> None:
    handoff = do_hand_tablet(org.clerk, cases.replied().pk)
    do_grant_role(org.clerk, org.dept_a, Role.UNIT_LEADER)
    assert said(lambda: rate(anew(org.clerk), handoff)) == HANDLING_UNIT_REFUSED


def test_an_unknown_level_is_refused(org: Org, cases: CaseBuilder) -> None:
    handoff = do_hand_tablet(org.clerk, cases.replied().pk)
    call = partial(check_rate_at_tablet, org.clerk, handoff.pk, satisfaction=9, solved=True)
    assert said(call) == (
        "invalid",
        "Choose one of the five satisfaction levels.",
        "请从五个满意度等级中选择一个。",
    )
    assert Case.objects.get(pk=handoff.case_id).satisfaction is None
