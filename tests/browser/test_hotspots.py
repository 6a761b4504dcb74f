"""The office in a real browser (R-KB-3): the morning job raised a hot spot; the office's
administrator opens the notice, lands on the hot spots, opens the alert's cases and one of
them, where the similar-cases panel lists the others."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from banchengshi.knowledge.hotspots import concentrations
from banchengshi.policy.rules import HotspotRules
from tests.browser.conftest import Desk, screenshot
from tests.cases.conftest import CaseBuilder, Org
from tests.knowledge.conftest import use_hotspot_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_sees_a_hotspot_and_opens_its_cases(
    desk: Desk,
    district: Org,
    cases: CaseBuilder,
    live_server: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    three = [cases.dispatched() for _ in range(3)]
    rules = HotspotRules(period_days=30, thresholds=(("matter", 3),))
    use_hotspot_rules(monkeypatch, rules)
    concentrations.raise_hotspots(timezone.now())

    office = desk("officeadmin")
    office.locator("#bell").click()
    notice = office.locator(".notice.unread .notice-text")
    expect(notice).to_have_text("热点：自2026-11-10以来有3件关于营业执照变更登记的案件。")
    notice.click()
    expect(office).to_have_url(f"{live_server.url}/staff/hotspots/")
    alert = office.locator(".hotspot")
    expect(alert.locator("h2")).to_have_text("服务事项: 营业执照变更登记")
    alert.locator("summary").click()
    links = alert.locator(".hotspot-cases a")
    expect(links).to_have_count(3)
    screenshot(office, "hotspots-01-alert")

    newest = three[-1]
    links.first.click()
    expect(office).to_have_url(f"{live_server.url}/staff/cases/{newest.pk}/")
    panel = office.locator("#similar-cases")
    for other in three[:-1]:
        expect(panel).to_contain_text(other.tracking_no)
    screenshot(office, "hotspots-02-case")
