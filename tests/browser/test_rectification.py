"""Rectification in a real browser (R-KB-2): a department-side cause opened an item; the unit
leader finds it under 整改, reports it done with evidence and a file; the office's
administrator verifies it, and the list shows it verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.knowledge.models import RectificationItem
from tests.browser.conftest import Desk, labelled, screenshot
from tests.cases.conftest import CaseBuilder, Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def test_leader_reports_done_and_the_office_verifies(
    desk: Desk,
    district: Org,
    cases: CaseBuilder,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = cases.in_progress()
    check_record_cause(
        district.handler_a, case.pk, code="process", side="", note="审批流程要求重复提交材料"
    )
    item = RectificationItem.objects.get()

    leader = desk("leaderA")
    leader.get_by_role("link", name="整改", exact=True).click()
    expect(leader).to_have_url(f"{live_server.url}/staff/rectifications/")
    leader.get_by_role("link", name=f"整改事项 {item.pk}").click()
    expect(leader.locator("h1")).to_contain_text("进行中")
    expect(leader.locator("#cases")).to_contain_text(case.tracking_no)
    labelled(leader, "id_evidence").fill("已精简审批流程，取消重复提交材料的环节")
    labelled(leader, "id_evidence_files").set_input_files(
        {"name": "新流程.png", "mimeType": "image/png", "buffer": PNG_BYTES}
    )
    screenshot(leader, "rectification-01-done-form")
    leader.get_by_role("button", name="报告完成").click()
    expect(leader.locator(".messages")).to_have_text("已报告整改完成，待政务服务办核验。")
    expect(leader.locator("#rectification-status")).to_have_text("已整改，待核验")
    expect(leader.get_by_role("link", name="新流程.png")).to_be_visible()

    office = desk("officeadmin")
    office.goto(f"{live_server.url}/staff/rectifications/?status=done")
    overview = office.locator("#rectification-overview")
    expect(overview).to_contain_text("区市场监管局")
    office.get_by_role("link", name=f"整改事项 {item.pk}").click()
    expect(office.locator("#evidence-title")).to_be_visible()
    labelled(office, "id_note").fill("抽查三件，已不再重复提交")
    office.get_by_role("button", name="已核验").click()
    expect(office.locator(".messages")).to_have_text("整改已核验。")
    expect(office.locator("#rectification-status")).to_have_text("已核验")
    screenshot(office, "rectification-02-verified")

    office.get_by_role("link", name="全部整改事项").click()
    office.get_by_label("状态").select_option("verified")
    office.get_by_role("button", name="筛选").click()
    row = office.locator("#rectification-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"整改事项 {item.pk}")
    expect(row).to_contain_text("已核验")
