"""The remote virtual window in a real browser (R-NB-2): a point's staff log a session with
the materials taken in, scan and send them; the street's acceptance center confirms receipt;
the point returns the original. Each side sees only its own step's button."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from banchengshi.neighborhood.sessions.models import Circulation, RemoteSession
from tests.browser.conftest import Desk, password_of, screenshot
from tests.cases.conftest import Org
from tests.neighborhood.sessions.conftest import Streets, build_streets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def streets(district: Org) -> Streets:
    streets = build_streets(district)
    for user in (streets.point_staff_a1, streets.center_staff_a):
        user.set_password(password_of(user.username))
        user.save(update_fields=["password"])
    return streets


def test_a_point_logs_a_session_and_the_center_confirms_receipt(
    desk: Desk, streets: Streets, live_server: Any
) -> None:
    point = desk("pointA1")
    point.get_by_role("link", name="远程窗口").click()
    expect(point.locator("h1")).to_have_text("远程虚拟窗口办理")
    point.get_by_role("link", name="登记远程办理").click()

    expect(point.get_by_label("服务点", exact=True)).to_have_value(str(streets.point_a1.pk))
    point.get_by_label("日期", exact=True).fill("2026-11-20")
    point.get_by_label("开始", exact=True).fill("09:05")
    point.get_by_label("结束", exact=True).fill("09:30")
    point.get_by_label("受理中心办理人员", exact=True).select_option(
        label="centerA · 街道A社区事务受理服务中心"
    )
    point.get_by_label("服务事项", exact=True).select_option(label="居住证办理 · M-R")
    point.get_by_label("办事人姓名", exact=True).fill("王秀兰")
    point.get_by_label("联系电话", exact=True).fill("13812345678")
    point.get_by_label("身份证号码", exact=True).fill("310107199003072012")
    point.get_by_label("结果", exact=True).select_option(label="已受理")
    point.get_by_label("第 1 项材料", exact=True).fill("户口簿")
    point.get_by_label("第 1 项材料为原件", exact=True).check()
    point.get_by_label("第 2 项材料", exact=True).fill("身份证复印件")
    point.get_by_label("第 2 项材料的份数", exact=True).fill("2")
    screenshot(point, "sessions-01-form")
    point.get_by_role("button", name="登记", exact=True).click()

    session = RemoteSession.objects.get()
    page = f"{live_server.url}/staff/sessions/{session.pk}/"
    expect(point).to_have_url(page)
    expect(point.locator(".messages")).to_have_text("远程办理已登记。")
    expect(point.locator("#circulation")).to_have_text("已列明")
    expect(point.locator("#session-phone")).to_have_text("13812345678")
    point.get_by_role("button", name="标记为已扫描").click()
    expect(point.locator("#circulation")).to_have_text("已扫描")
    point.get_by_role("button", name="标记为已寄送受理中心").click()
    expect(point.locator("#circulation")).to_have_text("已寄送")
    # Receipt is the center's step: the point has no button for it.
    expect(point.locator("#materials button")).to_have_count(0)

    center = desk("centerA")
    center.get_by_role("link", name="远程窗口").click()
    expect(center.locator("#counts-point")).to_contain_text("甲一居委会服务站")
    screenshot(center, "sessions-02-list")
    center.locator("#sessions").get_by_role("link").first.click()
    expect(center).to_have_url(page)
    center.get_by_role("button", name="受理中心确认签收").click()
    expect(center.locator("#circulation")).to_have_text("中心已签收")
    screenshot(center, "sessions-03-received")

    point.reload()
    point.get_by_role("button", name="标记为原件已退还").click()
    expect(point.locator("#circulation")).to_have_text("原件已退还")
    steps = point.locator("#circulation-steps li")
    expect(steps).to_have_count(5)
    expect(steps.nth(3)).to_contain_text("中心已签收")
    expect(steps.nth(3)).to_contain_text("centerA")
    screenshot(point, "sessions-04-returned")
    session.refresh_from_db()
    assert session.circulation == Circulation.RETURNED
