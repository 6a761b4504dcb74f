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
from tests.cases.conftest import ID_NUMBER, PHONE, Org
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
