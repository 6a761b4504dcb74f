"""The case library in a real browser (R-KB-1): a handler sends a closed case to the library
(收入案例库) and corrects the draft; the office's administrator publishes it for the public;
a citizen opens the FAQ, switches to large text, searches a two-character word and opens the
entry — which shows nothing of the petitioner."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Desk, screenshot
from tests.browser.test_journeys import go_to_menu, panel, submit
from tests.cases.conftest import ID_NUMBER, PHONE, CaseBuilder, Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAL = ("张三", PHONE, ID_NUMBER, "长寿路100号", "上海某某贸易有限公司")


def test_a_closed_case_becomes_a_public_faq_entry(
    desk: Desk, district: Org, cases: CaseBuilder, live_server: Any, page: Page
) -> None:
    case = cases.closed(
        description=(
            f"张三（电话{PHONE}）为上海某某贸易有限公司办理营业执照变更登记，"
            "住长寿路100号，材料被退回三次，仍未办成"
        ),
        request="希望一次告知需要的全部材料",
    )

    # The handler sends the closed case to the library and lands on the draft.
    handler = desk("handlerA")
    handler.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    submit(panel(handler, "add_to_library"))
    expect(handler).to_have_url(re.compile(r"/staff/knowledge/\d+/$"))
    entry_url = handler.url
    expect(handler.locator(".messages")).to_contain_text("已生成去除个人信息的案例草稿")
    expect(handler.locator("#entry-status")).to_have_text("草稿")
    problem = handler.locator("#entry-problem")
    expect(problem).to_contain_text("营业执照变更登记")
    for datum in PERSONAL:
        expect(handler.locator("main")).not_to_contain_text(datum)
    expect(handler.locator("#entry-cases")).to_contain_text(case.tracking_no)
    handler.get_by_label("解决措施", exact=True).fill(
        "一次性告知需补交股东会决议；补交后当日办结营业执照变更。"
    )
    handler.get_by_label("标签", exact=True).fill("营业执照 变更 股东会决议")
    handler.get_by_role("button", name="保存草稿").click()
    expect(handler.locator(".messages")).to_have_text("修改已保存为草稿。")
    expect(handler.locator("#entry-solution")).to_have_text(
        "一次性告知需补交股东会决议；补交后当日办结营业执照变更。"
    )
    screenshot(handler, "knowledge-01-draft")

    # The office's administrator finds it among the drafts and publishes it for the public.
    office = desk("officeadmin")
    go_to_menu(office, "/staff/knowledge/")
    waiting = office.locator("#drafts-waiting")
    expect(waiting.locator(".badge")).to_have_text("1")
    waiting.click()
    screenshot(office, "knowledge-02-drafts")
    office.locator(f'main a[href="{entry_url.removeprefix(live_server.url)}"]').click()
    office.get_by_label("发布范围").select_option("public")
    office.get_by_role("button", name="发布", exact=True).click()
    expect(office.locator(".messages")).to_have_text("条目已发布。")
    expect(office.locator("#entry-status")).to_have_text("已发布")
    expect(office.locator("#version-1")).to_contain_text("由officeadmin发布，文本由handlerA编写。")
    screenshot(office, "knowledge-03-published")

    # A citizen reads the FAQ in large text and finds the entry by a two-character word.
    page.goto(f"{live_server.url}/faq/")
    page.locator("#elder-switch").click()
    body = page.locator("body")
    expect(body).to_have_class(re.compile(r"\belder\b"))
    page.get_by_label("搜索问题").fill("执照")
    page.get_by_role("button", name="查询", exact=True).click()
    found = page.locator("#faq-list h2 a")
    expect(found).to_have_count(1)
    expect(found.locator("mark").first).to_have_text("执照")
    expect(body).to_have_class(re.compile(r"\belder\b"))
    screenshot(page, "knowledge-04-faq-elder")
    found.click()
    expect(page).to_have_url(re.compile(r"/faq/\d+/$"))
    expect(page.locator("main")).to_contain_text("补交后当日办结营业执照变更")
    for datum in PERSONAL:
        expect(page.locator("main")).not_to_contain_text(datum)
    expect(page.locator("main")).not_to_contain_text(case.tracking_no)
    expect(body).to_have_class(re.compile(r"\belder\b"))
    screenshot(page, "knowledge-05-faq-entry")
