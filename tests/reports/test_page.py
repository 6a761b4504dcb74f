"""/staff/reports/: the office's report page and its workbook download."""

from __future__ import annotations

import re

from django.test import Client

from tests.reports.conftest import District


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def cell(html: str, key: str) -> str:
    found = re.search(rf'data-key="{key}"><th scope="row">[^<]*</th><td>([^<]*)</td>', html)
    assert found, key
    return found[1]


def test_it_shows_last_month_to_the_office_by_default(district: District) -> None:
    # The clock stands at 2026-11-30: the last complete month is October, with one case.
    html = client_of(district.org.officeadmin).get("/staff/reports/").content.decode()
    assert "全区2026年10月运行情况月报" in html
    assert cell(html, "received") == "1"


def test_it_shows_the_figures_of_a_chosen_month(district: District) -> None:
    html = (
        client_of(district.org.officeadmin)
        .get("/staff/reports/?kind=monthly&period=2026-11")
        .content.decode()
    )
    assert [cell(html, key) for key in ("received", "replied_on_time", "overdue")] == [
        "8",
        "5",
        "3",
    ]
    assert cell(html, "satisfaction_rate") == "66.7%"
    assert cell(html, "response_rate") == "—"
    assert "评价为满意等级的件数 ÷ 反映人作出评价的件数" in html


def test_it_opens_on_a_leaders_own_unit(district: District) -> None:
    org = district.org
    html = client_of(org.leader_a).get("/staff/reports/?period=2026-11").content.decode()
    assert "区市场监管局2026年11月运行情况月报" in html
    assert cell(html, "received") == "6"
    refused = client_of(org.leader_a).get(f"/staff/reports/?unit={org.dept_b.pk}")
    assert refused.status_code == 403
    assert "您只能查阅本单位的报告。" in refused.content.decode()


def test_it_refuses_a_bad_period_in_words(district: District) -> None:
    response = client_of(district.org.officeadmin).get("/staff/reports/?period=2026-13")
    assert response.status_code == 422
    assert "“2026-13”不是本报告的统计期，请写成 2026-11 的形式。" in response.content.decode()


def test_it_downloads_the_workbook(district: District) -> None:
    response = client_of(district.org.officeadmin).get(
        "/staff/reports/?kind=quarterly&period=2026-Q4&format=xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
