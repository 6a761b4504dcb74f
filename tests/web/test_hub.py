"""The dispatch hub: manual dispatch in bulk with a report on each case, returned cases with
their reason, extension and suspension requests decided inline, the supervision lists; who may
use it; and its cost."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from banchengshi.cases.actions.answer import check_return_visit, check_supervise_case
from banchengshi.cases.actions.clock_requests import (
    check_request_extension,
    check_request_suspension,
)
from banchengshi.cases.actions.dispatch import check_dispatch_case, check_return_case
from banchengshi.cases.models import Case, ClockRequest, State
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.web.conftest import SignedIn
from tests.web.test_worklist import _queries, english, numbers, page, tables

HUB = reverse("web:hub")
DISPATCH = reverse("web:hub_dispatch")
MANUAL = "Waiting for manual dispatch"
RETURNED = "Returned cases waiting for dispatch"
REQUESTS = "Extension and suspension requests"
WAITING = "Dissatisfied or unsolved: waiting for a supervision decision"
OVERDUE = "Overdue at units"
REOPENED = "Reopened cases being handled again"


def decide_url(request: ClockRequest) -> str:
    return reverse("web:hub_decide", args=[request.case_id, request.pk])


def messages_of(client: Client, url: str, data: dict[str, object]) -> list[str]:
    """Post, follow the way back to the hub and read the messages it shows."""
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[0][1] == 302
    html = response.content.decode()
    return [unescape(text) for text in re.findall(r'<p class="message [a-z]+">(.*?)</p>', html)]


@pytest.fixture
def hub_lists(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> dict[str, Case]:
    """One case in each of the hub's lists, at Fri 2026-11-20 10:00."""
    manual = cases.awaiting()
    returned = cases.dispatched()
    check_return_case(org.handler_a, returned.pk, reason="不属于本局职责，应由人社局办理")
    asked = cases.in_progress()
    check_request_extension(org.handler_a, asked.pk, days=3, reason="需要跨部门调取档案")
    unhappy = cases.replied()
    check_return_visit(org.dispatcher, unhappy.pk, satisfaction=1, solved=False, comment="仍未办成")
    reopened = cases.replied()
    check_return_visit(org.dispatcher, reopened.pk, satisfaction=2, solved=True, comment="态度不好")
    check_supervise_case(org.dispatcher, reopened.pk, reason="回访不满意，重新办理", days=5)
    # Received two weeks ago and never signed for: the department is past the deadline.
    late = cases.dispatched(received_at=sh(2026, 11, 2, 10))
    return {
        "manual": manual,
        "returned": returned,
        "asked": asked,
        "unhappy": unhappy,
        "reopened": reopened,
        "late": late,
    }


def test_every_list_of_the_hub(signed_in: SignedIn, hub_lists: dict[str, Case]) -> None:
    c = hub_lists
    html = page(english(signed_in("dispatcher")), HUB)
    found = tables(html)
    assert [row[2] for row in found[MANUAL]] == [c["manual"].tracking_no]
    returned = found[RETURNED][0]
    assert returned[2] == c["returned"].tracking_no
    assert returned[-4:-1] == ["1", "区市场监管局", "不属于本局职责，应由人社局办理"]
    assert [row[0] for row in found[REQUESTS]] == [c["asked"].tracking_no]
    assert found[REQUESTS][0][1:5] == [
        "区市场监管局",
        "Extension by 3 working days",
        "需要跨部门调取档案",
        "handlerA",
    ]
    waiting = found[WAITING]
    assert [row[0] for row in waiting] == [c["unhappy"].tracking_no]
    assert waiting[0][3:6] == ["very dissatisfied", "no", "1"]
    assert [row[1] for row in found[OVERDUE]] == [c["late"].tracking_no]
    assert found[OVERDUE][0][0].startswith("Overdue")
    assert found[OVERDUE][0][2:4] == ["receive", "区市场监管局"]
    reopened = found[REOPENED][0]
    assert reopened[1:3] == [c["reopened"].tracking_no, "2"]
    assert reopened[5] == "回访不满意，重新办理"
    assert reopened[0].startswith("On time")
    # The jump links say how many wait in each list.
    assert 'href="#dispatch">Manual dispatch <span class="count">1</span>' in html


def test_only_hub_roles_may_open_it(signed_in: SignedIn) -> None:
    for name in ("handler_a", "clerk", "inspector"):
        response = english(signed_in(name)).get(HUB)
        assert response.status_code == 403
        assert "Only dispatchers and office administrators" in response.content.decode()
    assert signed_in("officeadmin").get(HUB).status_code == 200


def test_bulk_dispatch_reports_on_each_case_and_one_refusal_stops_nothing(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    first, second, gone = cases.awaiting(), cases.awaiting(), cases.awaiting()
    check_dispatch_case(org.dispatcher, gone.pk, unit_id=org.dept_a.pk)  # someone was quicker
    client = english(signed_in("dispatcher"))
    chosen = [first.pk, gone.pk, second.pk, 999_999]
    response = client.post(
        DISPATCH, {"unit": org.dept_b.pk, "case": chosen, "back": "dispatch_page=1"}, follow=True
    )
    assert response.redirect_chain == [(f"{HUB}?dispatch_page=1", 302)]
    shown = re.findall(r'<p class="message ([a-z]+)">(.*?)</p>', response.content.decode())
    assert [(kind, unescape(text)) for kind, text in shown] == [
        ("success", f"{first.tracking_no} was dispatched to 区人社局."),
        (
            "error",
            f"{gone.tracking_no} was not dispatched: "
            "This cannot be done now: the case is dispatched.",
        ),
        ("success", f"{second.tracking_no} was dispatched to 区人社局."),
        ("error", "#999999 was not dispatched: No case with this number is within your reach."),
    ]
    for case in (first, second):
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.state, fresh.handling_unit_id) == (State.DISPATCHED, org.dept_b.pk)
    assert Case.objects.get(pk=gone.pk).handling_unit_id == org.dept_a.pk
    assert MANUAL not in tables(response.content.decode())  # the queue is empty now


def test_bulk_dispatch_needs_a_handling_unit_and_cases(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    waiting = cases.awaiting()
    client = english(signed_in("dispatcher"))

    def refused(data: dict[str, object]) -> list[str]:
        return messages_of(client, DISPATCH, data)

    assert refused({"case": [waiting.pk]}) == ["Choose the unit to dispatch to."]
    assert refused({"unit": org.dept_a.pk}) == ["Choose the cases to dispatch."]
    assert refused({"unit": org.hub.pk, "case": [waiting.pk]}) == [
        "Choose a department or service center."
    ]
    assert refused({"unit": "x", "case": ["1; drop table"]}) == [
        "Choose a department or service center.",
        "Choose the cases to dispatch.",
    ]
    assert Case.objects.get(pk=waiting.pk).state == State.AWAITING_DISPATCH


def test_numbers_no_database_holds_are_refused_politely(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    waiting = cases.awaiting()
    huge = "9" * 30
    client = english(signed_in("dispatcher"))
    assert messages_of(client, DISPATCH, {"unit": org.dept_a.pk, "case": [waiting.pk, huge]}) == [
        "Choose the cases to dispatch."
    ]
    assert messages_of(
        client, f"/staff/hub/cases/{huge}/requests/{huge}/", {"decision": "approve"}
    ) == [f"#{huge}: No case with this number is within your reach."]
    assert Case.objects.get(pk=waiting.pk).state == State.AWAITING_DISPATCH


def test_bulk_dispatch_is_refused_to_others(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    waiting = cases.awaiting()
    response = english(signed_in("handler_a")).post(
        DISPATCH, {"unit": org.dept_a.pk, "case": [waiting.pk]}
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=waiting.pk).state == State.AWAITING_DISPATCH
    assert signed_in("dispatcher").get(DISPATCH).status_code == 405


def test_approve_an_extension_inline(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    client = english(signed_in("dispatcher"))
    version = Case.objects.get(pk=case.pk).version
    assert messages_of(
        client, decide_url(request), {"decision": "approve", "version": version}
    ) == [f"{case.tracking_no}: the request was approved."]
    request.refresh_from_db()
    assert request.decision == ClockRequest.Decision.APPROVED
    assert REQUESTS not in tables(page(client, HUB))


def test_refusing_needs_a_note_and_a_stale_page_is_caught(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    case = cases.in_progress()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    client = english(signed_in("dispatcher"))
    version = Case.objects.get(pk=case.pk).version

    def answer(data: dict[str, object]) -> list[str]:
        return messages_of(client, decide_url(request), data)

    assert answer({"decision": "refuse", "version": version}) == [
        f"{case.tracking_no}: This field is required."
    ]
    assert answer({"decision": "refuse", "version": version - 1, "note": "理由不充分"}) == [
        f"{case.tracking_no}: Someone else changed this case meanwhile; reload it and try again."
    ]
    assert answer({"note": "理由不充分"}) == [
        f"{case.tracking_no}: choose to approve or to refuse."
    ]
    request.refresh_from_db()
    assert request.decision == ClockRequest.Decision.PENDING
    assert answer({"decision": "refuse", "version": version, "note": "理由不充分"}) == [
        f"{case.tracking_no}: the request was refused."
    ]
    request.refresh_from_db()
    assert (request.decision, request.decision_note) == (
        ClockRequest.Decision.REFUSED,
        "理由不充分",
    )
    assert answer({"decision": "approve"}) == [
        f"{case.tracking_no}: No extension or suspension request awaits a decision."
    ]


def test_lists_have_pages(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    for _ in range(27):
        cases.awaiting()
    client = english(signed_in("dispatcher"))
    first = page(client, HUB)
    assert len(numbers(first, MANUAL)) == 25
    assert 'href="/staff/hub/?dispatch_page=2#dispatch" rel="next"' in first
    second = page(client, HUB, dispatch_page="2", overdue_page="3")
    assert len(tables(second)[MANUAL]) == 2
    # The other lists keep their own page in the links.
    assert 'href="/staff/hub/?dispatch_page=1&amp;overdue_page=3#dispatch" rel="prev"' in second
    assert len(tables(page(client, HUB, dispatch_page="99"))[MANUAL]) == 2  # the last page


def test_queries_do_not_grow_with_the_cases(
    org: Org,
    cases: CaseBuilder,
    signed_in: SignedIn,
    frozen_time: FrozenTime,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fill(times: int) -> None:
        for _ in range(times):
            cases.awaiting()
            returned = cases.dispatched(received_at=sh(2026, 11, 2, 10))
            check_return_case(org.handler_a, returned.pk, reason="不属于本局职责")
            asked = cases.in_progress()
            check_request_extension(org.handler_a, asked.pk, days=2, reason="需要调取档案")
            unhappy = cases.replied()
            check_return_visit(
                org.dispatcher, unhappy.pk, satisfaction=1, solved=False, comment="仍未办成"
            )
            cases.dispatched(received_at=sh(2026, 11, 2, 10))
            again = cases.replied()
            check_return_visit(
                org.dispatcher, again.pk, satisfaction=2, solved=True, comment="态度不好"
            )
            check_supervise_case(org.dispatcher, again.pk, reason="回访不满意，重新办理", days=5)
            cases.closed()
            cases.register()
            cases.not_admissible()
            cases.in_progress()

    client = signed_in("dispatcher")
    fill(1)
    small = _queries(client, HUB)
    fill(19)
    assert Case.objects.count() == 200
    large = _queries(client, HUB)
    with capsys.disabled():
        print(f"\nhub queries with 10 cases: {small}; with 200: {large}")
    assert small == large
