"""The window's evaluation tablet in a real browser (好差评, R-NB-4): the hall's clerk pushes the
transaction just done from the workbench; the tablet, an 800×1280 browser signed in as the same
clerk, resting on its waiting screen, shows it by itself with five large faces; the citizen
taps one, is thanked, and the tablet returns to waiting. The clock is frozen
(tests/browser/conftest.py); the words come from the translation catalogue."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from banchengshi.evaluation.models import BadReview, Evaluation
from tests.browser.conftest import TABLET, Desk, screenshot
from tests.cases.conftest import Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TARGET = 64


def test_a_citizen_rates_the_window_on_the_tablet(
    desk: Desk, live_server: Any, district: Org
) -> None:
    tablet = desk("clerk", viewport=TABLET)
    tablet.goto(f"{live_server.url}/rate/")
    expect(tablet.locator("#rate-waiting")).to_be_visible()
    expect(tablet.locator(".topbar")).to_have_count(0)

    clerk = desk("clerk")
    clerk.goto(f"{live_server.url}/staff/rate/push/")
    clerk.locator("#id_matter").select_option(label="社保卡补办")
    clerk.locator("#push-send").click()
    expect(clerk.locator(".messages")).to_contain_text("已推送到评价平板")

    # The waiting screen asks again every few seconds and opens the pushed transaction.
    expect(tablet).to_have_url(re.compile(r"/rate/\d+/$"), timeout=15_000)
    expect(tablet.locator("#rate-subject")).to_contain_text("社保卡补办")
    faces = tablet.locator(".face-button")
    expect(faces).to_have_count(5)
    for index in range(5):
        box = faces.nth(index).bounding_box()
        assert box is not None
        assert box["height"] >= MIN_TARGET
        assert box["width"] >= MIN_TARGET
    expect(faces.first).to_contain_text("非常满意")
    screenshot(tablet, "rate-faces")

    tablet.locator("#id_comment").fill("窗口人员很耐心")
    tablet.locator("#face-2").click()
    expect(tablet.locator("#rate-thanks")).to_have_text("感谢您的评价。")
    screenshot(tablet, "rate-thanks")
    expect(tablet).to_have_url(re.compile(r"/rate/$"), timeout=15_000)
    expect(tablet.locator("#rate-waiting")).to_be_visible()

    evaluation = Evaluation.objects.get()
    assert (evaluation.channel, evaluation.level, evaluation.comment) == (
        "window_tablet",
        2,
        "窗口人员很耐心",
    )
    assert (evaluation.unit_id, evaluation.staff_id) == (district.hall.pk, district.clerk.pk)
    # A 差评: its handling is on the window head's list.
    assert BadReview.objects.filter(evaluation=evaluation).exists()
    head = desk("windowhead")
    head.goto(f"{live_server.url}/staff/evaluations/")
    expect(head.locator("#bad-reviews")).to_contain_text("待核实")
