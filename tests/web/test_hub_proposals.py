"""The unit proposed at registration on the hub's dispatch lists, with its reason and a
one-click dispatch there (R-IN-5, R-DIS-1); one query for a page's proposals."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client
from django.urls import reverse

from banchengshi.cases.models import Case, State
from tests.cases.conftest import CaseBuilder, Org
from tests.web.conftest import SignedIn
from tests.web.test_hub import HUB, MANUAL
from tests.web.test_worklist import _queries, english, page, tables

ONE_CLICK = reverse("web:hub_dispatch_proposed")
# No matter chosen from the catalogue, no department or place: the hub's manual queue. The
# proposer finds the matter in the words written for it, and its owning department.
KNOWN = {"matter_text": "营业执照变更登记"}
UNKNOWN = {"matter_text": "自助机维修", "description": "大厅里的自助机坏了好几天"}


def messages_after(client: Client, data: dict[str, object]) -> list[tuple[str, str]]:
    response = client.post(ONE_CLICK, data, follow=True)
    assert response.redirect_chain[0][1] == 302
    found = re.findall(r'<p class="message ([a-z]+)">(.*?)</p>', response.content.decode())
    return [(kind, unescape(text)) for kind, text in found]


def test_the_proposed_unit_and_its_reason(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    known, unknown = cases.awaiting(**KNOWN), cases.awaiting(**UNKNOWN)
    html = page(english(signed_in("dispatcher")), HUB)
    rows = {row[2]: row[-1] for row in tables(html)[MANUAL]}
    # The reason as worded at registration, in the site's language (Chinese).
    assert rows == {
        known.tracking_no: "区市场监管局 事项'营业执照变更登记'的主管部门 "
        f"Dispatch there {known.tracking_no}",
        unknown.tracking_no: "None proposed",
    }
    assert f'name="case_id" value="{known.pk}" formaction="{ONE_CLICK}" formnovalidate' in html
    assert f'name="case_id" value="{unknown.pk}"' not in html


def test_one_click_dispatches_to_the_proposed_unit(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    case = cases.awaiting(**KNOWN)
    client = english(signed_in("dispatcher"))
    shown = messages_after(client, {"case_id": case.pk, "back": ""})
    assert shown == [("success", f"{case.tracking_no} was dispatched to 区市场监管局.")]
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.handling_unit_id) == (State.DISPATCHED, org.dept_a.pk)
    # Twice: the action refuses, as for any dispatch.
    assert messages_after(client, {"case_id": case.pk}) == [
        (
            "error",
            f"{case.tracking_no} was not dispatched: "
            "This cannot be done now: the case is dispatched.",
        )
    ]


def test_no_proposal_no_dispatch(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    case = cases.awaiting(**UNKNOWN)
    client = english(signed_in("dispatcher"))
    assert messages_after(client, {"case_id": case.pk}) == [
        ("error", f"{case.tracking_no} has no proposed unit.")
    ]
    assert Case.objects.get(pk=case.pk).state == State.AWAITING_DISPATCH


def test_hostile_input(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    client = english(signed_in("dispatcher"))
    for value in ("", "abc", "-1", "99999999999999999999", "1\x00"):
        assert messages_after(client, {"case_id": value}) == [
            ("error", "Choose the cases to dispatch.")
        ]
    assert messages_after(client, {"case_id": "999999"}) == [
        ("error", "#999999 has no proposed unit.")
    ]


def test_only_the_hub(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    case = cases.awaiting(**KNOWN)
    for name in ("clerk", "handler_a"):
        assert signed_in(name).post(ONE_CLICK, {"case_id": case.pk}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == State.AWAITING_DISPATCH


def test_one_query_for_the_proposals_of_a_page(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    client = signed_in("dispatcher")
    cases.awaiting(**KNOWN)
    one = _queries(client, HUB)
    for _ in range(9):
        cases.awaiting(**KNOWN)
    assert _queries(client, HUB) == one
