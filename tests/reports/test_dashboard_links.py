"""Every number of the dashboard opens the cases behind it, and the list it opens holds exactly
the cases counted: the open work of a colour (/staff/dashboard/work/), a week's or a month's
intake and each cell of the league table (/staff/dashboard/cases/). The panel the page reloads
every minute carries the charts' figures as JSON."""

from __future__ import annotations

import html as markup
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.cases.conftest import CaseBuilder, sh
from tests.reports.conftest import District

TRACKING = re.compile(r'<th scope="row"><a href="/staff/cases/\d+/">([^<]+)</a>')


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def listed(client: Client, url: str) -> list[str]:
    response = client.get(markup.unescape(url))
    assert response.status_code == 200, response.content.decode()
    return TRACKING.findall(response.content.decode())


def numbers(district: District, *keys: str) -> set[str]:
    return {district.cases[key].tracking_no for key in keys}


def test_the_red_count_opens_exactly_the_red_work(district: District) -> None:
    office = client_of(district.org.officeadmin)
    page = office.get("/staff/dashboard/").content.decode()
    red = re.search(
        r'<a class="badge red" href="([^"]+)" data-count="red">[^<]*<strong>(\d+)', page
    )
    assert red
    assert (red[1], red[2]) == ("/staff/dashboard/work/?colour=red", "6")
    rows = listed(office, red[1])
    # One row per overdue step, most overdue first: the same order as "Most overdue".
    assert rows == [
        district.cases[key].tracking_no
        for key in ("october", "open_late", "displeased", "refused", "replied", "supervised")
    ]


def test_each_colour_lists_as_many_rows_as_it_counts(district: District) -> None:
    office = client_of(district.org.officeadmin)
    page = office.get("/staff/dashboard/").content.decode()
    counts = dict(re.findall(r'\?colour=(\w+)" data-count="\w+">[^<]*<strong>(\d+)', page))
    assert counts == {"red": "6", "yellow": "0", "green": "1", "none": "1"}
    for colour, count in counts.items():
        assert len(listed(office, f"/staff/dashboard/work/?colour={colour}")) == int(count)


def test_each_league_cell_opens_exactly_its_cases(district: District, frozen_time) -> None:
    frozen_time.set(sh(2026, 12, 2, 9))  # the league table is last month's
    office = client_of(district.org.officeadmin)
    page = office.get("/staff/dashboard/").content.decode()
    row = re.search(r'<tr data-unit="(\d+)"><td><a [^>]+>区市场监管局</a></td>(.*?)</tr>', page)
    assert row, page
    cells = re.findall(r'<td><a href="([^"]+)"[^>]*>([^<]+)</a></td>', row[2])
    assert [text for _link, text in cells] == ["6", "80.0%", "66.7%", "2", "1"]
    expected = [
        # received: the six November cases department A is responsible for
        numbers(district, "replied", "pleased", "displeased", "supervised", "late", "open_late"),
        # the on-time rate's replies
        numbers(district, "replied", "pleased", "displeased", "supervised", "late"),
        # the satisfaction rate's ratings
        numbers(district, "pleased", "displeased", "supervised"),
        numbers(district, "late", "open_late"),  # overdue
        numbers(district, "supervised"),
    ]
    for (link, _text), cases in zip(cells, expected, strict=True):
        assert f"unit={row[1]}" in link
        found = listed(office, link)
        assert sorted(found) == sorted(cases), link


def test_a_months_and_a_weeks_intake_open_their_cases(district: District) -> None:
    office = client_of(district.org.officeadmin)
    november = listed(office, "/staff/dashboard/cases/?period=2026-11&figure=received")
    assert len(november) == 8
    assert district.cases["october"].tracking_no not in november
    week = listed(office, "/staff/dashboard/cases/?period=2026-10-12..2026-10-18&figure=received")
    assert week == [district.cases["october"].tracking_no]


def test_a_unit_leader_lists_only_their_units(district: District) -> None:
    leader = client_of(district.org.leader_a)
    page = leader.get("/staff/dashboard/").content.decode()
    red = re.search(r'data-count="red">[^<]*<strong>(\d+)', page)
    assert red
    rows = listed(leader, "/staff/dashboard/work/?colour=red")
    assert len(rows) == int(red[1])
    assert district.cases["refused"].tracking_no not in rows
    november = listed(leader, "/staff/dashboard/cases/?period=2026-11&figure=received")
    assert len(november) == 6


def test_a_unit_leader_may_not_open_another_units_cases(district: District) -> None:
    hall = district.cases["on_spot"].owner_unit_id
    response = client_of(district.org.leader_a).get(
        f"/staff/dashboard/cases/?period=2026-11&figure=received&unit={hall}"
    )
    assert response.status_code == 403
    assert "您只能查阅本单位的报告。" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("/staff/dashboard/work/?colour=purple", 422, "“purple”不是期限颜色。"),
        ("/staff/dashboard/cases/?period=2026-11&figure=salary", 422, "“salary”不是看板的数字。"),
        ("/staff/dashboard/cases/?period=2026-13&figure=received", 422, "2026-13"),
        ("/staff/dashboard/cases/?period=2026-11&unit=abc", 422, "“abc”不是单位编号。"),
        # NUL bytes are refused before any view (PostgreSQL could not store them).
        ("/staff/dashboard/work/?colour=%00", 400, "含有不可见的控制字符"),
        ("/staff/dashboard/cases/?period=%00&figure=received", 400, "含有不可见的控制字符"),
    ],
)
def test_bad_input_is_refused_in_words(
    district: District, query: str, status: int, message: str
) -> None:
    response = client_of(district.org.officeadmin).get(query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_the_refresh_carries_the_charts_figures(district: District, frozen_time) -> None:
    frozen_time.set(sh(2026, 12, 2, 9))
    office = client_of(district.org.officeadmin)
    response = office.get("/staff/dashboard/", HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert "<html" not in panel
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', panel)
    assert found
    data = json.loads(found[1])
    assert data["months"]["labels"][-3:] == ["2026-10", "2026-11", "2026-12"]
    assert data["months"]["counts"][-3:] == [1, 8, 0]
    assert data["months"]["links"][-2] == "/staff/dashboard/cases/?period=2026-11&figure=received"
    assert len(data["weeks"]["counts"]) == 12
    league = data["league"]
    unit = league["units"].index("区市场监管局")
    assert [series["values"][unit] for series in league["series"]] == [80.0, 66.7]
    assert league["series"][1]["name"] == "满意率"


def test_the_lists_queries_do_not_grow_with_the_cases(
    district: District, cases: CaseBuilder
) -> None:
    office = client_of(district.org.officeadmin)
    urls = ("/staff/dashboard/work/?colour=red", "/staff/dashboard/cases/?period=2026-11")
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            office.get(url)
        before.append(len(queries))
    for _ in range(3):
        cases.in_progress()
    after = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            office.get(url)
        after.append(len(queries))
    assert after == before
