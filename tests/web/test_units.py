"""Unit pages: the units within reach with their open work, one unit's cases by state and
colour with a page of them, its people and the units below it; refusal outside the scope
(R-ORG-3); and their cost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from banchengshi.cases.actions.dispatch import check_dispatch_case, do_dispatch_down
from banchengshi.cases.models import Case
from tests.cases.conftest import CaseBuilder, Org, sh
from tests.web.conftest import SignedIn
from tests.web.test_worklist import _queries, english, page, tables

UNITS = reverse("web:units")
OPEN_WORK = "Units and their open work"
TREE = "Open work per unit"
STATES = "Cases by state"
CASES = "Cases, newest first"
PEOPLE = "People and their roles"


def unit_url(unit_id: int) -> str:
    return reverse("web:unit", args=[unit_id])


@pytest.fixture
def dept_a_cases(org: Org, cases: CaseBuilder) -> dict[str, Case]:
    """Department A at Fri 2026-11-20 10:00: one case to sign for that is overdue, one in
    progress passed down to center A1, one replied; department B has one of its own."""
    late = cases.dispatched(received_at=sh(2026, 11, 2, 10))
    down = cases.in_progress()
    do_dispatch_down(org.handler_a, down.pk, unit_id=org.center_a1.pk)
    replied = cases.replied()
    other = cases.awaiting()
    check_dispatch_case(org.dispatcher, other.pk, unit_id=org.dept_b.pk)
    return {"late": late, "down": down, "replied": replied, "other": other}


def test_a_leader_sees_the_own_unit_and_those_below(
    org: Org, signed_in: SignedIn, dept_a_cases: dict[str, Case]
) -> None:
    html = page(english(signed_in("leader_a")), UNITS)
    rows = tables(html)[OPEN_WORK]
    assert rows == [
        ["区市场监管局", "department", "1", "1", "0", "0", "0"],
        ["市场监管所", "service center", "1", "0", "1", "0", "0"],
    ]
    assert f'href="{unit_url(org.center_a1.pk)}"' in html
    assert "区人社局" not in html


def test_the_office_sees_every_unit(signed_in: SignedIn, dept_a_cases: dict[str, Case]) -> None:
    rows = tables(page(english(signed_in("officeadmin")), UNITS))[OPEN_WORK]
    names = [row[0] for row in rows]
    assert {"区政务服务办", "区行政服务中心", "区市场监管局", "市场监管所", "区人社局"} <= set(
        names
    )
    assert rows[names.index("区人社局")][2:4] == ["1", "0"]


def test_a_units_page(org: Org, signed_in: SignedIn, dept_a_cases: dict[str, Case]) -> None:
    c = dept_a_cases
    html = page(english(signed_in("leader_a")), unit_url(org.dept_a.pk))
    found = tables(html)
    states = {row[0]: row[1] for row in found[STATES]}
    assert (states["dispatched"], states["in progress"], states["replied"]) == ("1", "1", "1")
    assert states["awaiting dispatch"] == "0"  # department B's case is not counted
    assert "Overdue</span> <strong>1</strong>" in html
    assert "Due soon</span> <strong>1</strong>" in html
    rows = found[CASES]
    assert [row[0] for row in rows] == [
        c["replied"].tracking_no,
        c["down"].tracking_no,
        c["late"].tracking_no,
    ]
    assert rows[1][4:6] == ["in progress", "市场监管所"]  # passed down, still the department's
    assert rows[2][6].startswith("Overdue")
    assert rows[0][6] == "—"  # replied: no open work here
    assert [row[:2] for row in found[TREE]] == [
        ["区市场监管局", "department"],
        ["市场监管所", "service center"],
    ]
    people = {(row[0], row[1], row[2]) for row in found[PEOPLE]}
    assert people == {
        ("handlerA", "unit handling specialist", "区市场监管局"),
        ("leaderA", "unit leader", "区市场监管局"),
        ("handlerA1", "unit handling specialist", "市场监管所"),
    }


def test_the_cases_by_state_and_by_colour(
    org: Org, signed_in: SignedIn, dept_a_cases: dict[str, Case]
) -> None:
    c = dept_a_cases
    client = english(signed_in("handler_a"))
    url = unit_url(org.dept_a.pk)

    def shown(**params: str) -> list[str]:
        return [row[0] for row in tables(page(client, url, **params)).get(CASES, [])]

    assert shown(state="in_progress") == [c["down"].tracking_no]
    assert shown(colour="red") == [c["late"].tracking_no]
    assert shown(colour="yellow") == [c["down"].tracking_no]
    assert shown(colour="none") == []
    assert "No case matches." in page(client, url, state="closed")
    assert "Select a valid choice" in page(client, url, state="bogus", page="-3")


def test_units_outside_the_scope_are_refused(
    org: Org, signed_in: SignedIn, dept_a_cases: dict[str, Case]
) -> None:
    response = english(signed_in("handler_b")).get(unit_url(org.dept_a.pk))
    assert response.status_code == 403
    assert "This unit is outside your reach" in response.content.decode()
    # A center sees itself, not the department above it.
    assert signed_in("handler_a1").get(unit_url(org.dept_a.pk)).status_code == 403
    assert signed_in("handler_a1").get(unit_url(org.center_a1.pk)).status_code == 200
    missing = english(signed_in("handler_b")).get(unit_url(999_999))
    assert missing.status_code == 404
    assert "There is no unit with this number." in missing.content.decode()
    assert signed_in("inspector").get(unit_url(org.dept_a.pk)).status_code == 200


def test_pages_of_a_units_cases(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    made = [cases.dispatched() for _ in range(27)]
    client = english(signed_in("handler_a"))
    url = unit_url(org.dept_a.pk)
    first = page(client, url)
    assert len(tables(first)[CASES]) == 25
    assert f'href="{url}?page=2#cases" rel="next"' in first
    second = page(client, url, page="2")
    assert [row[0] for row in tables(second)[CASES]] == [c.tracking_no for c in made[1::-1]]


def test_queries_do_not_grow_with_the_cases(
    org: Org, cases: CaseBuilder, signed_in: SignedIn, capsys: pytest.CaptureFixture[str]
) -> None:
    leader = signed_in("leader_a")
    office = signed_in("officeadmin")

    def fill(times: int) -> None:
        for _ in range(times):
            cases.dispatched()
            down = cases.in_progress()
            do_dispatch_down(org.handler_a, down.pk, unit_id=org.center_a1.pk)
            cases.replied()
            cases.closed()
            cases.awaiting()

    def measure() -> dict[str, int]:
        return {
            "units (leader)": _queries(leader, UNITS),
            "units (office)": _queries(office, UNITS),
            "department": _queries(leader, unit_url(org.dept_a.pk)),
            "department, red": _queries(leader, f"{unit_url(org.dept_a.pk)}?colour=red&page=2"),
        }

    fill(2)
    small = measure()
    fill(38)
    assert Case.objects.count() == 200
    large = measure()
    with capsys.disabled():
        print(f"\nunit page queries with 10 cases: {small}; with 200: {large}")
    assert small == large
