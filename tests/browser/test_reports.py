"""The office head in a real browser (R-REP-1, R-REP-2, R-REP-4), over the small district of
tests/reports (built through the actions), on 2026-12-02 so that last month is November:
the dashboard's charts are drawn and refresh themselves, the red count opens exactly the red
work; last month's report downloads as XLSX, PDF and DOCX, each with November's 8 appeals; the
accountability list records an interview that orders a rectification."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from banchengshi.cases.models import WorkItem
from banchengshi.cases.selectors import due_in
from banchengshi.knowledge.models import RectificationItem
from banchengshi.reports import accountability
from banchengshi.reports.models import Interview
from tests.browser.conftest import Desk, labelled, screenshot
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.reports.conftest import build_district
from tests.reports.test_accountability import STRICT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIVED = "共受理登记反映 8 件"


@pytest.fixture
def november(district: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> Org:
    build_district(district, cases, frozen_time)
    frozen_time.set(sh(2026, 12, 2, 9))
    return district


def red_work() -> list[str]:
    """The tracking numbers of the overdue work, most overdue first, read from the database."""
    items = WorkItem.objects.filter(due_in("red", timezone.now())).order_by("due", "id")
    return list(items.values_list("case__tracking_no", flat=True))


def test_the_office_head_opens_the_red_count_and_sees_it_refresh(
    desk: Desk, november: Org, frozen_time: FrozenTime, live_server: Any
) -> None:
    office = desk("officeadmin")
    # The page's timers run on a clock the test moves: a minute passes in an instant.
    office.clock.install()
    office.goto(f"{live_server.url}/staff/dashboard/")
    red = red_work()
    count = office.locator('[data-count="red"] strong')
    expect(count).to_have_text(str(len(red)))
    months = office.locator('[data-chart="months"] svg')
    expect(months).to_be_visible()
    expect(months).to_contain_text("2026-11")
    league = office.locator('[data-chart="league"] svg')
    expect(league).to_contain_text("区市场监管局")
    expect(league).to_contain_text("80%")
    screenshot(office, "reports-01-dashboard")

    # A week later, more work is past its limit: the panel shows it without a reload.
    frozen_time.advance(days=7)
    later = red_work()
    assert len(later) > len(red)
    office.evaluate("window.notReloaded = true")
    office.clock.run_for(61_000)
    expect(count).to_have_text(str(len(later)))
    expect(office.locator('[data-chart="weeks"] svg')).to_contain_text("12-07")
    assert office.evaluate("window.notReloaded") is True

    office.locator('[data-count="red"]').click()
    expect(office).to_have_url(f"{live_server.url}/staff/dashboard/work/?colour=red")
    rows = office.locator("#work tbody th a")
    expect(rows).to_have_text(later)
    screenshot(office, "reports-02-red-work")


def download(page: Page, name: str, tmp_path: Path) -> bytes:
    # Building the PDF (fonts embedded, vector charts) takes seconds on a busy machine.
    with page.expect_download(timeout=120_000) as started:
        page.get_by_role("link", name=name, exact=True).click()
    path = tmp_path / started.value.suggested_filename
    started.value.save_as(path)
    return path.read_bytes()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_office_head_downloads_last_months_report_in_three_formats(
    desk: Desk, november: Org, live_server: Any, tmp_path: Path
) -> None:
    office = desk("officeadmin")
    office.goto(f"{live_server.url}/staff/reports/")
    expect(office.locator("h1")).to_have_text("全区2026年11月运行情况月报")
    screenshot(office, "reports-03-report")

    workbook = download(office, "Excel (XLSX)", tmp_path)
    assert workbook.startswith(b"PK\x03\x04")
    sheet = load_workbook(BytesIO(workbook))["指标"]
    by_key = {row[2]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert by_key["received"] == 8

    pdf = download(office, "PDF", tmp_path)
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert RECEIVED in " ".join(text.split())

    word = download(office, "Word (DOCX)", tmp_path)
    assert word.startswith(b"PK\x03\x04")
    paragraphs = [p.text for p in Document(BytesIO(word)).paragraphs]
    assert any(RECEIVED in text for text in paragraphs)


def test_the_accountability_list_records_an_interview(
    desk: Desk, november: Org, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accountability, "thresholds", lambda: STRICT)
    office = desk("officeadmin")
    office.goto(f"{live_server.url}/staff/reports/accountability/")
    unit = november.dept_a
    listed = office.locator(f"#unit-{unit.pk}")
    expect(listed.locator("h2")).to_have_text("区市场监管局")
    expect(listed.locator("li").first).to_have_text("满意率 66.7%，低于 90.0%")
    listed.locator("summary").click()
    labelled(listed, "id_held_on").fill("2026-12-01")
    labelled(listed, "id_attendees").fill("区政务服务办主任、区市场监管局局长")
    labelled(listed, "id_notes").fill("满意率偏低，约谈并要求整改服务指南。")
    labelled(listed, "id_order").select_option("service_guide")
    screenshot(office, "reports-04-interview-form")
    listed.get_by_role("button", name="保存约谈记录").click()

    interview = Interview.objects.get()
    expect(office).to_have_url(
        re.compile(rf"/staff/reports/accountability/\?period=2026-11#interview-{interview.pk}$")
    )
    expect(office.locator(".messages")).to_contain_text("约谈已登记。")
    row = office.locator(f"#interview-{interview.pk}")
    expect(row).to_contain_text("区政务服务办主任、区市场监管局局长")
    rectification = RectificationItem.objects.get(pk=interview.rectification_id)
    assert rectification.unit_id == unit.pk
    row.get_by_role("link").click()
    expect(office).to_have_url(f"{live_server.url}/staff/rectifications/{rectification.pk}/")
    screenshot(office, "reports-05-rectification")
