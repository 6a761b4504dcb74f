"""People's names on the pages read surname first (邓桂英, not "桂英 邓"): the header, the
unit's list of people, the hub's list of requests, the case page's records."""

from __future__ import annotations

from django.urls import reverse

from banchengshi.cases.actions.clock_requests import check_request_extension
from tests.cases.conftest import CaseBuilder, Org
from tests.web.conftest import SignedIn
from tests.web.test_worklist import english, page, tables


def name(org: Org, user: str, given: str, surname: str) -> None:
    person = org.user(user)
    person.first_name, person.last_name = given, surname
    person.save()


def test_the_header(org: Org, signed_in: SignedIn) -> None:
    name(org, "clerk", "桂英", "邓")
    name(org, "dispatcher", "Anna", "Schmidt")
    assert '<span class="who">邓桂英</span>' in page(signed_in("clerk"), reverse("web:worklist"))
    html = page(signed_in("dispatcher"), reverse("web:worklist"))
    assert '<span class="who">Anna Schmidt</span>' in html


def test_a_units_people(org: Org, signed_in: SignedIn) -> None:
    name(org, "handler_a", "桂英", "邓")
    html = page(english(signed_in("leader_a")), reverse("web:unit", args=[org.dept_a.pk]))
    people = [row[0] for row in tables(html)["People and their roles"]]
    assert people == ["邓桂英", "leaderA", "handlerA1"]


def test_the_hubs_requests_and_the_case_page(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    name(org, "handler_a", "桂英", "邓")
    case = cases.in_progress()
    check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    client = english(signed_in("dispatcher"))
    [row] = tables(page(client, reverse("web:hub")))["Extension and suspension requests"]
    assert row[4] == "邓桂英"
    html = page(client, reverse("web:case", args=[case.pk]))
    assert '<td>邓桂英<br><span class="muted">2026-11-20 10:00</span></td>' in html  # records
    assert '<p class="muted">asked by 邓桂英 at 2026-11-20 10:00</p>' in html  # decide form
