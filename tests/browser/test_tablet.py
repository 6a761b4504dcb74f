"""The window's tablet in a real browser (cases.actions.tablet, web/views/tablet.py): the clerk
of the hall replies at the window, hands the same browser (a tablet-sized one) to the
petitioner, who rates on a large, menu-less page; the thank-you gives way to the neutral
screen by itself, and the case then shows the rating with how it was taken.

Words asserted come from the translation catalogue (satisfaction levels, the thank-you, the
timeline's event name, the channel); the clock is frozen (tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from banchengshi.cases.models import ReturnVisit
from tests.browser.conftest import TABLET, Desk, screenshot
from tests.browser.test_journeys import REPLIED, case_url, panel, state_of, submit
from tests.cases.conftest import CaseBuilder, Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_takes_the_rating_on_the_tablet_right_after_the_reply(
    desk: Desk, live_server: Any, district: Org, cases: CaseBuilder
) -> None:
    case = cases.analysed()  # registered at the hall, handled by department A
    clerk = desk("clerk", viewport=TABLET)
    clerk.goto(case_url(live_server, case))

    reply = panel(clerk, "reply")
    reply.locator("#reply-text").fill("已当面告知需补交股东会决议，补交后当日办结")
    submit(reply)
    expect(state_of(clerk)).to_have_text(REPLIED)

    submit(panel(clerk, "window_rating"))
    expect(clerk).to_have_url(re.compile(r"/staff/tablet/\d+/$"))
    # The petitioner's screen: the tracking number, the questions, no workbench.
    expect(clerk.locator("#tablet-number")).to_contain_text(case.tracking_no)
    expect(clerk.locator(".topbar")).to_have_count(0)
    expect(clerk.locator('a[href^="/staff/"]')).to_have_count(0)
    expect(clerk.locator("main")).not_to_contain_text("张三")
    screenshot(clerk, "tablet-rating")

    clerk.get_by_label("非常满意").check()
    clerk.locator("#field-solved label").first.click()
    clerk.locator("#id_comment").fill("窗口解释得很清楚")
    clerk.locator("#send-rating").click()
    expect(clerk.locator("#tablet-thanks")).to_have_text("感谢您的评价。")
    screenshot(clerk, "tablet-thanks")
    # A few seconds later the tablet rests on the neutral screen.
    expect(clerk).to_have_url(re.compile(r"/staff/tablet/$"), timeout=15_000)
    expect(clerk.locator("#tablet-waiting")).to_be_visible()

    # The clerk takes it back: the case shows the rating and how it was taken.
    clerk.locator("#tablet-back").click()
    clerk.goto(case_url(live_server, case))
    expect(clerk.locator(".case-facts")).to_contain_text("非常满意")
    records = clerk.locator("section[aria-labelledby=records-heading]")
    expect(records).to_contain_text("窗口评价平板")
    expect(records).to_contain_text("窗口解释得很清楚")
    timeline = clerk.locator("section[aria-labelledby=timeline-heading]")
    expect(timeline).to_contain_text("反映人评价")
    expect(timeline).to_contain_text("窗口评价平板")
    expect(clerk.locator("#panel-window_rating")).to_have_count(0)
    screenshot(clerk, "tablet-case-rated")

    visit = ReturnVisit.objects.get(case=case)
    assert (visit.by, visit.channel, visit.visited_by_id, visit.satisfaction) == (
        "petitioner",
        "window_tablet",
        district.clerk.pk,
        5,
    )
