"""Who may see and do what (R-ORG-2, R-ORG-3, R-Q-3): the permission matrix, scope, masking."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User

from banchengshi.cases.access import may, require, sees_personal_data, visible_cases
from banchengshi.cases.actions.answer import check_reply_case, check_supervise_case, do_close_case
from banchengshi.cases.actions.clock_requests import (
    check_request_extension,
    check_request_suspension,
)
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_return_case,
    do_dispatch_down,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.models import Case
from banchengshi.cases.selectors import case_detail, find_case, search_cases
from banchengshi.cases.states import Act
from banchengshi.errors import ActionRefused, Forbidden, NotFound
from banchengshi.org.scope import scope_for

from .conftest import ID_NUMBER, PHONE, USER_NAMES, CaseBuilder, Org

# A case registered at hall H, received (so owned and handled) by department A, in progress.
# Y: may(scope_for(user), act, case) is true. ".": it is not. Rating is the petitioner's own,
# proven on a public page (cases.actions.answer.check_rate_case), never a staff role's; the
# window's tablet is handed over by the registering center's window (cases.actions.tablet).
MATRIX = """
act                 clerk whead  hA   lA   hA1  hB   disp office insp sys
view                  Y     Y    Y    Y    .    .    Y     Y     Y    Y
screen                Y     Y    .    .    .    .    Y     Y     .    .
resolve_on_spot       Y     Y    .    .    .    .    Y     Y     .    .
dispatch              .     .    .    .    .    .    Y     Y     .    .
receive               .     .    Y    Y    .    .    .     .     .    .
return                .     .    Y    Y    .    .    .     .     .    .
dispatch_down         .     .    Y    Y    .    .    .     .     .    .
request_cohandling    .     .    Y    Y    .    .    .     .     .    .
answer_cohandling     .     .    .    .    .    .    .     .     .    .
record_contact        Y     Y    Y    Y    .    .    Y     Y     .    .
record_cause          Y     Y    Y    Y    .    .    .     .     .    .
request_extension     .     .    Y    Y    .    .    .     .     .    .
request_suspension    .     .    Y    Y    .    .    .     .     .    .
decide_request        .     .    .    .    .    .    Y     Y     .    .
resume                .     .    Y    Y    .    .    Y     Y     .    .
reply                 Y     Y    Y    Y    .    .    Y     Y     .    .
return_visit          .     .    Y    Y    .    .    Y     Y     .    .
supervise             .     .    .    .    .    .    Y     Y     .    .
close                 .     .    .    .    .    .    Y     Y     .    .
attach                Y     Y    Y    Y    .    .    Y     Y     .    .
rate                  .     .    .    .    .    .    .     .     .    .
window_rating         Y     Y    .    .    .    .    .     .     .    .
add_to_library        Y     Y    Y    Y    .    .    Y     Y     .    .
link_similar          .     .    Y    Y    .    .    Y     Y     .    .
"""
COLUMNS = {
    "clerk": "clerk",
    "whead": "windowhead",
    "hA": "handler_a",
    "lA": "leader_a",
    "hA1": "handler_a1",
    "hB": "handler_b",
    "disp": "dispatcher",
    "office": "officeadmin",
    "insp": "inspector",
    "sys": "sysadmin",
}


def parse_matrix(text: str) -> dict[tuple[str, Act], bool]:
    header, *rows = [line.split() for line in text.strip().splitlines()]
    users = [COLUMNS[column] for column in header[1:]]
    table: dict[tuple[str, Act], bool] = {}
    for act, *marks in rows:
        assert len(marks) == len(users), act
        for user, mark in zip(users, marks, strict=True):
            assert mark in ("Y", "."), mark
            table[user, Act(act)] = mark == "Y"
    return table


EXPECTED = parse_matrix(MATRIX)


def test_the_matrix_covers_every_act_and_user() -> None:
    assert {act for _, act in EXPECTED} == set(Act)
    assert {user for user, _ in EXPECTED} == set(USER_NAMES)


def actual_matrix(org: Org, case: Case) -> dict[tuple[str, Act], bool]:
    case = find_case(scope_for(org.dispatcher), case.pk)  # with its unit links
    return {
        (name, act): may(scope_for(org.user(name)), act, case) for name in USER_NAMES for act in Act
    }


def test_permission_matrix(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    assert actual_matrix(org, case) == EXPECTED


def test_cohandling_unit_may_answer(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实缴费记录", days=2
    )
    expected = dict(EXPECTED)
    expected["handler_b", Act.VIEW] = True
    expected["handler_b", Act.ANSWER_COHANDLING] = True
    expected["handler_b", Act.ATTACH] = True
    assert actual_matrix(org, case) == expected


def test_sub_center_handles_what_is_passed_down(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    do_dispatch_down(org.handler_a, case.pk, unit_id=org.center_a1.pk)
    expected = dict(EXPECTED)
    for act in (
        Act.VIEW,
        Act.RECEIVE,
        Act.RETURN,
        Act.REQUEST_COHANDLING,
        Act.RECORD_CONTACT,
        Act.RECORD_CAUSE,
        Act.REQUEST_EXTENSION,
        Act.REQUEST_SUSPENSION,
        Act.RESUME,
        Act.REPLY,
        Act.RETURN_VISIT,
        Act.ATTACH,
        Act.ADD_TO_LIBRARY,
        Act.LINK_SIMILAR,
    ):
        expected["handler_a1", act] = True
    # dispatch_down stays with the owner
    assert actual_matrix(org, case) == expected


# --- refusals: outsiders learn nothing, insiders learn why -------------------------------------


@pytest.mark.parametrize("who", ["handler_b", "handler_a1"])
def test_out_of_scope_is_not_found(org: Org, cases: CaseBuilder, who: str) -> None:
    case = cases.in_progress()
    user = org.user(who)
    with pytest.raises(NotFound):
        require(scope_for(user), Act.VIEW, case)
    with pytest.raises(NotFound):
        require(scope_for(user), Act.RECEIVE, case)
    with pytest.raises(NotFound):
        case_detail(scope_for(user), case.pk)
    for call in (
        lambda: check_record_contact(user, case.pk, method="phone", outcome="已联系申请人"),
        lambda: check_record_cause(user, case.pk, code="materials", note="申请材料不齐全"),
        lambda: check_return_case(user, case.pk, reason="不属于本单位职责"),
    ):
        with pytest.raises(ActionRefused) as info:
            call()
        assert info.value.code == "not_found"
        assert info.value.status == 404


ATTEMPTS = [
    ("inspector", lambda o, c: check_dispatch_case(o.inspector, c.pk, unit_id=o.dept_b.pk)),
    ("inspector", lambda o, c: check_reply_case(o.inspector, c.pk, text="已答复申请人")),
    (
        "sysadmin",
        lambda o, c: check_record_contact(o.sysadmin, c.pk, method="sms", outcome="已联系"),
    ),
    ("clerk", lambda o, c: do_receive_case(o.clerk, c.pk)),
    ("clerk", lambda o, c: check_request_extension(o.clerk, c.pk, days=2, reason="需要更多时间")),
    (
        "officeadmin",
        lambda o, c: check_record_cause(o.officeadmin, c.pk, code="policy", note="政策不清晰"),
    ),
    ("handler_a", lambda o, c: do_close_case(o.handler_a, c.pk)),
    (
        "leader_a",
        lambda o, c: check_supervise_case(o.leader_a, c.pk, reason="要求督办此事项", days=3),
    ),
    (
        "dispatcher",
        lambda o, c: check_request_suspension(o.dispatcher, c.pk, reason="等待补交材料"),
    ),
    (
        "handler_a",
        lambda o, c: check_answer_cohandling(o.handler_a, c.pk, task_id=1, answer="已核实情况"),
    ),
    ("clerk", lambda o, c: do_dispatch_down(o.clerk, c.pk, unit_id=o.center_a1.pk)),
]


@pytest.mark.parametrize(("who", "attempt"), ATTEMPTS)
def test_in_scope_but_not_allowed_is_forbidden(
    org: Org, cases: CaseBuilder, who: str, attempt: object
) -> None:
    case = cases.in_progress()
    with pytest.raises(Forbidden) as info:
        attempt(org, case)  # type: ignore[operator]
    assert (info.value.code, info.value.status) == ("forbidden", 403)
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_case_that_does_not_exist(org: Org) -> None:
    with pytest.raises(NotFound):
        do_receive_case(org.handler_a, 999_999)
    with pytest.raises(NotFound):
        case_detail(scope_for(org.dispatcher), 999_999)


def test_anonymous_sees_nothing(org: Org, cases: CaseBuilder) -> None:
    cases.in_progress()
    assert list(visible_cases(scope_for(AnonymousUser()))) == []
    nobody = User.objects.create_user("nobody")
    assert list(visible_cases(scope_for(nobody))) == []


# --- visible cases (R-ORG-3) ------------------------------------------------------------------


def test_visible_cases(org: Org, cases: CaseBuilder) -> None:
    c_a = cases.in_progress()  # registered at H, owned by A
    c_down = cases.in_progress()  # registered at H, owned by A, passed down to A1
    do_dispatch_down(org.handler_a, c_down.pk, unit_id=org.center_a1.pk)
    c_a1 = cases.awaiting(actor=org.dispatcher)  # registered at the hub, dispatched to A1
    check_dispatch_case(org.dispatcher, c_a1.pk, unit_id=org.center_a1.pk)
    do_receive_case(org.handler_a1, c_a1.pk)
    c_b = cases.awaiting(actor=org.dispatcher)  # registered at the hub, dispatched to B
    check_dispatch_case(org.dispatcher, c_b.pk, unit_id=org.dept_b.pk)
    c_hub = cases.awaiting(actor=org.dispatcher)  # in the hub's queue

    every = {c_a.pk, c_down.pk, c_a1.pk, c_b.pk, c_hub.pk}
    expected = {
        "inspector": every,
        "dispatcher": every,
        "officeadmin": every,
        "sysadmin": every,
        "handler_a": {c_a.pk, c_down.pk, c_a1.pk},  # A and the units below it
        "leader_a": {c_a.pk, c_down.pk, c_a1.pk},
        "handler_a1": {c_down.pk, c_a1.pk},  # not A's own cases
        "handler_b": {c_b.pk},
        "clerk": {c_a.pk, c_down.pk},  # registered at H
        "windowhead": {c_a.pk, c_down.pk},
    }
    got = {
        name: set(visible_cases(scope_for(org.user(name))).values_list("pk", flat=True))
        for name in USER_NAMES
    }
    assert got == expected
    # search_cases goes through the same scope
    assert {c.pk for c in search_cases(scope_for(org.handler_b))} == {c_b.pk}

    check_request_cohandling(
        org.handler_a, c_a.pk, unit_id=org.dept_b.pk, request="请核实缴费记录", days=2
    )
    handler_b = User.objects.get(pk=org.handler_b.pk)
    assert set(visible_cases(scope_for(handler_b)).values_list("pk", flat=True)) == {
        c_b.pk,
        c_a.pk,
    }


def test_visible_cases_are_distinct(org: Org, cases: CaseBuilder) -> None:
    """A case linked to a unit several ways (owner, handling) is listed once."""
    case = cases.in_progress()
    assert list(visible_cases(scope_for(org.handler_a)).values_list("pk", flat=True)) == [case.pk]


# --- personal data (R-Q-3) --------------------------------------------------------------------

SEES_PERSONAL_DATA = {
    "clerk": True,
    "windowhead": True,
    "handler_a": True,
    "dispatcher": True,
    "leader_a": False,
    "officeadmin": False,
    "inspector": False,
    "sysadmin": False,
}


@pytest.mark.parametrize(("who", "sees"), SEES_PERSONAL_DATA.items())
def test_masking(org: Org, cases: CaseBuilder, who: str, sees: bool) -> None:
    case = cases.in_progress()
    scope = scope_for(org.user(who))
    assert sees_personal_data(scope, case) is sees
    detail = case_detail(scope, case.pk)
    assert detail.personal_data_visible is sees
    if sees:
        assert (detail.phone, detail.id_number) == (PHONE, ID_NUMBER)
    else:
        assert (detail.phone, detail.id_number) == ("138****5678", "310107********2012")
    assert detail.case.phone == PHONE  # the row itself is never altered


def test_cohandling_unit_sees_masked_data(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实缴费记录", days=2
    )
    detail = case_detail(scope_for(org.handler_b), case.pk)
    assert (detail.personal_data_visible, detail.phone) == (False, "138****5678")


def test_sub_center_handler_sees_personal_data(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    do_dispatch_down(org.handler_a, case.pk, unit_id=org.center_a1.pk)
    detail = case_detail(scope_for(org.handler_a1), case.pk)
    assert (detail.personal_data_visible, detail.phone) == (True, PHONE)
