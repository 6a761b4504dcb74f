"""GET /api/v1/reports/{kind}: who reads which scope, the JSON figures and the workbook."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.reports.conftest import District


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_it_answers_the_district_figures_to_the_office(district: District) -> None:
    response = client_of(district.org.officeadmin).get("/api/v1/reports/monthly?period=2026-11")
    assert response.status_code == 200
    data = response.json()
    assert (data["received"], data["replied_on_time"], data["satisfaction_rate"]) == (8, 5, 0.6667)


def test_it_gives_a_unit_leader_their_unit_only(district: District) -> None:
    org = district.org
    leader = client_of(org.leader_a)
    own = leader.get(f"/api/v1/reports/monthly?period=2026-11&unit={org.dept_a.pk}")
    assert (own.status_code, own.json()["received"]) == (200, 6)
    other = leader.get(f"/api/v1/reports/monthly?period=2026-11&unit={org.dept_b.pk}")
    assert (other.status_code, other.json()["message"]) == (403, "您只能查阅本单位的报告。")
    district_wide = leader.get("/api/v1/reports/monthly?period=2026-11")
    assert (district_wide.status_code, district_wide.json()["message"]) == (
        403,
        "全区报告仅限政务服务办、派单中心和纪检监察人员查阅；请选择本单位。",
    )


def test_it_refuses_a_clerk(district: District) -> None:
    response = client_of(district.org.clerk).get("/api/v1/reports/monthly?period=2026-11")
    assert (response.status_code, response.json()["message"]) == (
        403,
        "报告供政务服务办、派单中心、纪检监察人员和各单位负责人查阅。",
    )


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("/api/v1/reports/monthly?period=2026-1%00", 400, None),
        ("/api/v1/reports/monthly?period=2026-13", 422, "period"),
        ("/api/v1/reports/weekly?period=2026-11", 422, "kind"),
        ("/api/v1/reports/monthly?period=2026-11&format=pdfx", 422, "format"),
        ("/api/v1/reports/monthly?period=2026-11&unit=999999", 404, None),
        ("/api/v1/reports/monthly?period=2026-11&unit=%C2%B2", 422, None),
    ],
)
def test_it_refuses_bad_input_in_words(
    district: District, query: str, status: int, field: str | None
) -> None:
    response = client_of(district.org.officeadmin).get(query)
    assert response.status_code == status
    body = response.json()
    assert body["message"]
    if field:
        assert body["field"] == field


def test_it_writes_the_same_figures_into_the_workbook(district: District) -> None:
    response = client_of(district.org.officeadmin).get(
        "/api/v1/reports/quarterly?period=2026-Q4&format=xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="report-quarterly-2026-Q4-district.xlsx"'
    )
    book = load_workbook(BytesIO(response.content))
    sheet = book["指标"]
    assert sheet["A1"].value == "全区2026-Q4运行情况季报"
    by_key = {row[2]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert (by_key["received"], by_key["replied"], by_key["replied_on_time"]) == (9, 7, 6)
    assert (by_key["on_time_rate"], by_key["avg_handling_workdays"]) == (0.8571, 2.86)
    assert book["渠道"]["B1"].value == "工单"
    assert len(book["渠道"]._charts) == 1
