"""The ledger (台账): every case of the period with its fields and step dates, masked unless a
dispatcher asks, streamed, each export an audit event."""

from __future__ import annotations

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from banchengshi.audit.models import AuditEvent
from tests.reports.conftest import District


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def rows_of(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_it_lists_every_case_of_the_period_masked(district: District) -> None:
    response = client_of(district.org.officeadmin).get("/staff/reports/ledger/?period=2026-11")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ledger-2026-11-district.csv"'
    rows = rows_of(response)
    assert len(rows) == 8
    late = next(r for r in rows if r["工单编号"] == district.cases["late"].tracking_no)
    assert (late["联系电话"], late["身份证号码"]) == ("138****5678", "310107********2012")
    assert (late["受理时间"], late["答复时间"]) == ("2026-11-02 10:00", "2026-11-30 10:00")
    assert (late["受理通过时间"], late["承办单位签收时间"]) == (
        "2026-11-02 10:00",
        "2026-11-02 10:00",
    )
    assert late["原因"] == "materials"
    pleased = next(r for r in rows if r["工单编号"] == district.cases["pleased"].tracking_no)
    assert (pleased["满意度"], pleased["首次回访时间"]) == ("非常满意", "2026-11-02 10:00")
    event = AuditEvent.objects.filter(action="ledger.exported").get()
    assert event.actor_id == district.org.officeadmin.pk
    assert event.payload == {
        "period": "2026-11",
        "unit": None,
        "units_below": True,
        "format": "csv",
        "unmasked": False,
        "rows": 8,
    }


def test_it_unmasks_for_a_dispatcher_only(district: District) -> None:
    full = client_of(district.org.dispatcher).get(
        "/api/v1/ledger?period=2026-11&personal=full&format=csv"
    )
    assert {row["联系电话"] for row in rows_of(full)} == {"13812345678"}
    refused = client_of(district.org.officeadmin).get("/api/v1/ledger?period=2026-11&personal=full")
    assert (refused.status_code, refused.json()["message"]) == (
        403,
        "只有派单中心的派单员可以导出完整的电话和证件号码；请导出脱敏版本。",
    )
    assert AuditEvent.objects.filter(action="ledger.exported").count() == 1


def test_it_writes_a_workbook_a_unit_leader_may_read(district: District) -> None:
    org = district.org
    response = client_of(org.leader_a).get(
        f"/staff/reports/ledger/?period=2026-Q4&unit={org.dept_a.pk}&format=xlsx"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    assert sheet.max_row == 1 + 7
    assert sheet["A1"].value == "工单编号"


def test_it_refuses_bad_input_in_words_and_records_nothing(district: District) -> None:
    office = client_of(district.org.officeadmin)
    for query, message in [
        (
            "period=2026-11&format=pdf",
            "台账可导出为 CSV 或 XLSX 格式（format=csv 或 format=xlsx）。",
        ),
        (
            "period=11/2026",
            "“11/2026”不是统计期，请写成月份（2026-11）、季度（2026-Q4）、年份（2026）或日期范围（2026-11-03..2026-11-20）。",
        ),
    ]:
        response = office.get(f"/staff/reports/ledger/?{query}")
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="ledger.exported").exists()
