"""The bell in a real browser: a handler at the workbench sees the unread count go up when a
case is dispatched to the unit (the header refreshes itself through htmx), opens the notice
and lands on the case, and the count goes down again."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from banchengshi.cases.actions.dispatch import check_dispatch_case
from tests.browser.conftest import Desk, screenshot
from tests.cases.conftest import CaseBuilder, Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_handler_sees_the_bell_go_up_and_opens_the_notice(
    desk: Desk, district: Org, cases: CaseBuilder, live_server: Any, settings: Any
) -> None:
    # The bell asks every second here (30 by default): the journey need not wait.
    settings.BANCHENGSHI_INBOX_POLL_SECONDS = 1
    case = cases.awaiting()
    handler = desk("handlerB")
    bell = handler.locator("#bell .bell-count")
    expect(bell).to_have_text("0")

    # Meanwhile the hub dispatches the case to the handler's unit; the page is not reloaded.
    check_dispatch_case(district.dispatcher, case.pk, unit_id=district.dept_b.pk)
    expect(bell).to_have_text("1", timeout=5_000)
    screenshot(handler, "notifications-01-bell")

    handler.locator("#bell").click()
    expect(handler).to_have_url(f"{live_server.url}/staff/notifications/")
    notice = handler.locator(".notice.unread")
    expect(notice).to_have_count(1)
    expect(notice.locator(".notice-text")).to_have_text(
        f"案件 {case.tracking_no} 已派发至区人社局。"
    )
    screenshot(handler, "notifications-02-list")
    notice.locator(".notice-text").click()

    expect(handler).to_have_url(f"{live_server.url}/staff/cases/{case.pk}/")
    expect(handler.locator("h1")).to_contain_text(case.tracking_no)
    expect(bell).to_have_text("0")
