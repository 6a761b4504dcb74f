"""Proposals at registration in a real browser (R-IN-5, R-IN-7): the clerk types an appeal,
sees the proposed category with its reason and a published knowledge entry that fits, takes
the category and the matter into the form with "采用", registers; the ProposalRecord says the
proposals were accepted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from banchengshi.cases.models import Case
from banchengshi.knowledge.models import ProposalRecord
from tests.browser.conftest import Desk, labelled, screenshot
from tests.cases.conftest import ID_NUMBER, PHONE, CaseBuilder, Org
from tests.knowledge.conftest import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPEAL = "窗口工作人员态度恶劣，营业执照变更登记跑了三次还没办成"


def test_the_clerk_takes_the_proposals_and_registers(
    desk: Desk, live_server: Any, district: Org
) -> None:
    entry = published(
        district,
        "营业执照变更登记被退回三次",
        "核对股东会决议后一次提交，可当场办结。",
        visibility="public",
    )
    clerk = desk("clerk")
    clerk.goto(f"{live_server.url}/staff/register/")
    form = clerk.locator("#register-form")
    labelled(form, "id_window").fill("3")
    labelled(form, "id_petitioner_name").fill("张三")
    labelled(form, "id_phone").fill(PHONE)
    labelled(form, "id_id_number").fill(ID_NUMBER)
    labelled(form, "id_description").press_sequentially(APPEAL)

    panel = clerk.locator("#register-proposals")
    category = panel.locator(".proposal").filter(has_text="问题类别")
    expect(category.locator(".proposal-value strong")).to_have_text("投诉类")
    expect(category.locator(".proposal-reason")).to_have_text("含'态度恶劣'等投诉用语")
    expect(clerk.locator("#proposals-status")).to_have_text(
        "建议：投诉类，复杂。相符的知识条目：1 条。"
    )
    link = panel.locator(f'a[href="/staff/knowledge/{entry.pk}/"]')
    expect(link).to_have_text(re.compile("^营业执照变更登记被退回三次"))
    expect(link.locator("mark").first).to_have_text("营业执照变更登记")
    screenshot(clerk, "proposals-01-panel")

    category.get_by_role("button", name=re.compile("^采用")).click()
    expect(category.locator(".proposal-kept")).to_have_text("已填入")
    expect(labelled(form, "id_category")).to_have_value("complaint")
    matter = panel.locator(".proposal").filter(has_text="服务事项")
    matter.get_by_role("button", name=re.compile("^采用")).click()
    expect(form.locator(".matter-chosen")).to_contain_text("营业执照变更登记")
    # The panel looks again with the matter chosen: it is on the form now.
    expect(matter.locator(".proposal-kept")).to_have_text("已填入")
    screenshot(clerk, "proposals-02-accepted")

    form.locator('button[name="outcome"][value="accept"]').click()
    expect(clerk).to_have_url(re.compile(r"/staff/cases/\d+/registered/$"))
    case = Case.objects.get()
    assert (case.category, case.matter_id) == ("complaint", district.matter_a.pk)
    record = ProposalRecord.objects.get(case=case)
    assert (record.accepted("category"), record.accepted("matter")) == (True, True)
    assert (record.proposed_category, record.final_category) == ("complaint", "complaint")

    # The office sees the window's choices over the last 30 days.
    office = desk("officeadmin")
    office.get_by_role("link", name="登记建议").click()
    expect(office).to_have_url(f"{live_server.url}/staff/proposals/")
    kept = office.get_by_role("table", name="各项目建议的采用与改动情况")
    expect(kept.get_by_role("row").filter(has_text="问题类别")).to_have_text(
        re.compile(r"问题类别\s*1\s*0\s*100%")
    )
    screenshot(office, "proposals-03-accuracy")


def test_the_hub_dispatches_to_the_proposed_unit_in_one_click(
    desk: Desk, live_server: Any, district: Org, cases: CaseBuilder
) -> None:
    # The matter written, not chosen from the catalogue: no automatic dispatch.
    case = cases.awaiting(matter_text="营业执照变更登记")
    hub = desk("dispatcher")
    hub.goto(f"{live_server.url}/staff/hub/")
    row = hub.get_by_role("row").filter(has=hub.get_by_role("link", name=case.tracking_no))
    expect(row.locator(".proposed-unit")).to_contain_text("区市场监管局")
    expect(row.locator(".proposed-unit")).to_contain_text("事项'营业执照变更登记'的主管部门")
    screenshot(hub, "proposals-04-hub")
    row.get_by_role("button", name=re.compile("^派至该单位")).click()
    expect(hub.locator(".message.success")).to_have_text(f"{case.tracking_no} 已派至区市场监管局。")
    assert Case.objects.get(pk=case.pk).handling_unit_id == district.dept_a.pk
