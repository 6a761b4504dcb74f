"""The petitioner's own rating of the answer (R-RV-2, R-RV-3): cases.actions.answer.check_rate_case.

A rating counts as the round's return visit: satisfied and solved lets the hub close the case;
不满意 or worse, or "not solved", puts it on the hub's supervision list. Once per round, only
after an answer, only for a case a unit handled; an old link cannot rate a later answer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.access import may
from banchengshi.cases.actions.answer import (
    check_rate_case,
    check_reply_case,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.models import Case, ReturnVisit, Satisfaction, State, WorkItem
from banchengshi.cases.queues import supervision_queue
from banchengshi.cases.states import Act
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.org.scope import scope_for

from .conftest import NOW, CaseBuilder, Org


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    # The messages asserted are the Chinese ones, whatever language an earlier test on this
    # worker left active.
    with translation.override("zh-hans"):
        yield


S = Satisfaction


def rate(case: Case, satisfaction: int = S.SATISFIED, solved: bool = True, **kw: object) -> None:
    options = {"comment": "", "channel": ReturnVisit.Channel.PORTAL, "proof": "access_code", **kw}
    check_rate_case(case.pk, satisfaction=satisfaction, solved=solved, **options)  # type: ignore[arg-type]


def work(case: Case) -> list[tuple[str, int]]:
    return sorted(WorkItem.objects.filter(case=case).values_list("kind", "unit_id"))


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_a_satisfied_rating_is_the_rounds_return_visit(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    assert work(case) == [("return_visit", org.hub.pk)]
    rate(case, S.VERY_SATISFIED, True, comment="办得很快", channel=ReturnVisit.Channel.SMS_LINK)
    visit = ReturnVisit.objects.get(case=case)
    assert (visit.by, visit.round, visit.visited_by, visit.channel, visit.comment) == (
        ReturnVisit.By.PETITIONER,
        1,
        None,
        "sms_link",
        "办得很快",
    )
    assert visit.visited_at == NOW
    case = fresh(case)
    assert (case.satisfaction, case.solved, case.state) == (5, True, State.REPLIED)
    # The hub may close on it; no return visit by staff is waiting any more.
    assert work(case) == [("close", org.hub.pk)]
    do_close_case(org.dispatcher, case.pk)
    assert fresh(case).state == State.CLOSED


def test_the_rating_is_one_audit_event_of_the_petitioner(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    rate(case, S.BASICALLY_SATISFIED, True, channel=ReturnVisit.Channel.KIOSK)
    event = AuditEvent.objects.filter(case=case).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_id, event.actor_label) == ("rate", None, "反映人")
    assert event.payload == {
        "satisfaction": 3,
        "solved": True,
        "channel": "kiosk",
        "proof": "access_code",
    }
    assert event.after == {"satisfaction": 3, "solved": True}
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("satisfaction", "solved"),
    [(S.DISSATISFIED, True), (S.VERY_DISSATISFIED, True), (S.VERY_SATISFIED, False)],
)
def test_unhappy_or_unsolved_goes_on_the_supervision_list(
    org: Org, cases: CaseBuilder, satisfaction: int, solved: bool
) -> None:
    case = cases.replied()
    rate(case, satisfaction, solved)
    assert work(case) == [("supervise", org.hub.pk)]
    listed = supervision_queue(scope_for(org.dispatcher), 1).rows
    assert [row.item.case_id for row in listed] == [case.pk]


def test_an_unhappy_rating_of_a_closed_case_reaches_the_hub(org: Org, cases: CaseBuilder) -> None:
    """The SMS link may be used after the hub closed the case on its own return visit."""
    case = cases.closed()
    rate(case, S.DISSATISFIED, False)
    case = fresh(case)
    assert (case.state, case.satisfaction, case.solved) == (State.CLOSED, 2, False)
    assert work(case) == [("supervise", org.hub.pk)]
    supervision = check_supervise_case(org.dispatcher, case.pk, reason="反映人评价不满意", days=3)
    assert supervision.round == 2


def test_a_satisfied_rating_of_a_closed_case_leaves_it_closed(org: Org, cases: CaseBuilder) -> None:
    case = cases.closed()
    rate(case, S.SATISFIED, True)
    assert fresh(case).state == State.CLOSED
    assert work(case) == []


def test_once_per_round(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    rate(case, S.SATISFIED, True)
    with pytest.raises(InvalidState, match="已评价过"):
        rate(case, S.VERY_DISSATISFIED, False)
    assert ReturnVisit.objects.filter(case=case).count() == 1
    assert fresh(case).satisfaction == S.SATISFIED


def test_a_new_answer_after_supervision_can_be_rated_again(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    rate(case, S.DISSATISFIED, False, answer_round=1)
    check_supervise_case(org.dispatcher, case.pk, reason="反映人评价不满意", days=3)
    # While it is handled again there is nothing to rate.
    with pytest.raises(InvalidState):
        rate(case, answer_round=2)
    check_reply_case(org.handler_a, case.pk, text="经督办，已为您办结营业执照变更登记")
    # The link of the first answer does not rate the second.
    with pytest.raises(InvalidState, match="较早的答复"):
        rate(case, S.VERY_SATISFIED, True, answer_round=1)
    rate(case, S.VERY_SATISFIED, True, answer_round=2)
    rounds = ReturnVisit.objects.filter(case=case).order_by("round")
    assert [(v.round, v.satisfaction) for v in rounds] == [(1, 2), (2, 5)]


@pytest.mark.parametrize("state", ["registered", "dispatched", "in_progress", "analysed"])
def test_nothing_to_rate_before_the_answer(org: Org, cases: CaseBuilder, state: str) -> None:
    build = {
        "registered": cases.register,
        "dispatched": cases.dispatched,
        "in_progress": cases.in_progress,
        "analysed": cases.analysed,
    }[state]
    case = build()
    with pytest.raises(InvalidState):
        rate(case)
    assert not ReturnVisit.objects.filter(case=case).exists()


def test_a_refusal_without_handling_cannot_be_rated(org: Org, cases: CaseBuilder) -> None:
    case = cases.not_admissible()
    check_reply_case(org.clerk, case.pk, text="依法不予受理，理由如下：属于司法程序")
    assert fresh(case).state == State.CLOSED
    with pytest.raises(InvalidState, match="未经单位办理"):
        rate(case)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"satisfaction": 0}, "satisfaction"),
        ({"satisfaction": 6}, "satisfaction"),
        ({"comment": "很" * 501}, "comment"),
        ({"channel": "window"}, "channel"),
    ],
)
def test_bad_input(org: Org, cases: CaseBuilder, changes: dict[str, object], field: str) -> None:
    case = cases.replied()
    values: dict[str, object] = {"satisfaction": S.SATISFIED, "comment": "", "channel": "portal"}
    values.update(changes)
    with pytest.raises(InvalidInput) as info:
        check_rate_case(
            case.pk,
            satisfaction=values["satisfaction"],  # type: ignore[arg-type]
            solved=True,
            comment=values["comment"],  # type: ignore[arg-type]
            channel=values["channel"],  # type: ignore[arg-type]
            proof="sms_link",
        )
    assert info.value.field == field
    assert not ReturnVisit.objects.filter(case=case).exists()


def test_no_such_case(org: Org) -> None:
    with pytest.raises(NotFound):
        check_rate_case(
            999_999,
            satisfaction=S.SATISFIED,
            solved=True,
            comment="",
            channel="portal",
            proof="access_code",
        )


@pytest.mark.parametrize("proof", ["phone_digits", "", "staff"])
def test_only_the_code_or_the_sms_link_proves_a_rating(
    org: Org, cases: CaseBuilder, proof: str
) -> None:
    """The phone's last four digits stand in every masked number the staff see."""
    case = cases.replied()
    with pytest.raises(Forbidden, match="查询码"):
        rate(case, S.VERY_SATISFIED, True, proof=proof)
    assert not ReturnVisit.objects.exists()
    assert work(case) == [("return_visit", org.hub.pk)]


def test_staff_are_never_offered_the_petitioners_rating(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    for name in ("dispatcher", "officeadmin", "handler_a", "clerk", "inspector", "sysadmin"):
        assert not may(scope_for(org.user(name)), Act.RATE, fresh(case))
