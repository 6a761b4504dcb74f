"""The Content-Security-Policy in a real browser: the main pages run with no violation (their
scripts are all static files), and a script injected inline is refused."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import Desk
from tests.cases.conftest import CaseBuilder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIOLATION = "Content Security Policy"


def _violations(page: Page) -> list[str]:
    found: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if VIOLATION in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", console)
    return found


def test_the_main_pages_have_no_policy_violation(
    live_server: Any, desk: Desk, cases: CaseBuilder, page: Page
) -> None:
    case = cases.awaiting()
    clerk = desk("clerk")
    staff_violations = _violations(clerk)
    for path in ("/staff/register/", f"/staff/cases/{case.pk}/", "/staff/"):
        clerk.goto(f"{live_server.url}{path}")
        clerk.wait_for_load_state("networkidle")
    office = desk("officeadmin")
    office_violations = _violations(office)
    office.goto(f"{live_server.url}/staff/dashboard/")
    office.wait_for_load_state("networkidle")
    public_violations = _violations(page)
    for path in ("/", "/report/", "/points/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    # The language switch is a static script's work now, not an inline handler's.
    page.select_option("#language", "en")
    # The switch submits a form: wait for the page it leads to (the page was idle before the
    # navigation began, so waiting for the network to be idle could return at once).
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_load_state("networkidle")
    assert staff_violations + office_violations + public_violations == []


def test_an_injected_inline_script_does_not_run(live_server: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    violations = _violations(page)
    page.goto(live_server.url)
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true;";
            document.body.appendChild(script);
            return window.injected === true;
        }"""
    )
    page.wait_for_timeout(200)
    context.close()
    assert ran is False
    assert len(violations) == 1
