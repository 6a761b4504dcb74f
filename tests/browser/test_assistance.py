"""Door-to-door assistance in a real browser (R-NB-3, seed 003): a street's neighbourhood
staff member registers a request found on a round (an elderly person, consent recorded), then
takes it through the review, the appointment with its materials checklist, the visit, the
person's evaluation and, days later, the approval's decision."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from banchengshi.neighborhood.assistance.models import AssistanceRequest, ServiceItem
from banchengshi.org.actions import do_create_unit, do_grant_role
from banchengshi.org.models import Role, UnitKind
from tests.browser.conftest import Desk, password_of, screenshot
from tests.cases.conftest import FrozenTime, Org, sh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_request_from_discovery_to_the_approval(
    desk: Desk, district: Org, frozen_time: FrozenTime, live_server: Any
) -> None:
    street = do_create_unit("SQ-S1", "石门二路街道", UnitKind.CENTER)
    staff = User.objects.create_user(
        "s1staff", password=password_of("s1staff"), first_name="s1staff"
    )
    do_grant_role(staff, street, Role.NEIGHBORHOOD_STAFF)
    ServiceItem.objects.create(matter=district.matter_h, difficulty="easy")

    person = desk("s1staff")
    person.get_by_role("link", name="上门服务").click()
    person.get_by_role("link", name="新建申请").click()
    person.get_by_label("来源渠道").select_option("staff")
    person.get_by_label("姓名", exact=True).fill("王秀英")
    person.get_by_label("电话").fill("13912345678")
    person.get_by_label("上门地址").fill("石门二路街道新闸路100弄3号")
    person.get_by_label("服务事项").select_option(label="社保卡补办（简单）")
    person.get_by_label("服务需求").fill("独居，行动不便，社保卡丢失需补办")
    person.get_by_label("老年人").check()
    person.get_by_label("同意登记人").fill("王秀英")
    person.get_by_label("同意方式").select_option("oral")
    person.get_by_role("button", name="登记申请").click()

    request = AssistanceRequest.objects.get()
    url = f"{live_server.url}/staff/assistance/{request.pk}/"
    expect(person).to_have_url(url)
    expect(person.locator("h1 .badge.fast")).to_have_text("绿色通道")
    expect(person.locator("#step-heading")).to_have_text("审核")
    person.get_by_label("符合条件", exact=True).check()
    person.get_by_label("说明").fill("独居老人，行动不便，符合上门条件")
    person.get_by_role("button", name="保存").click()

    expect(person.locator("#step-heading")).to_have_text("预约上门")
    person.get_by_label("预约时间").fill("2026-11-24T14:00")
    person.get_by_label("上门人员").select_option(label="s1staff")
    person.get_by_label("需准备的材料（每行一项）").fill("身份证\n一寸照片")
    person.get_by_role("button", name="保存").click()
    expect(person.locator(".materials li")).to_have_count(2)
    screenshot(person, "assistance-01-scheduled")

    frozen_time.set(sh(2026, 11, 24, 15))
    person.reload()
    expect(person.locator("#step-heading")).to_have_text("填写上门记录")
    person.get_by_label("上门记录", exact=True).fill("已上门采集照片并代为提交补办申请")
    person.get_by_label("身份证").check()
    person.get_by_label("一寸照片").check()
    person.get_by_role("button", name="保存").click()

    expect(person.locator("#step-heading")).to_have_text("服务对象的评价")
    person.get_by_label("非常满意").check()
    person.get_by_role("button", name="保存").click()
    # The saved evaluation's page is in before the page is loaded again (a reload during the
    # form's redirect finds no page to reload).
    expect(person.locator(".timeline li")).to_have_count(5)

    frozen_time.set(sh(2026, 12, 2, 9))
    person.reload()
    expect(person.locator("#step-heading")).to_have_text("审批结果")
    person.get_by_label("决定", exact=True).select_option("approved")
    person.get_by_label("决定日期").fill("2026-12-01")
    person.get_by_role("button", name="保存").click()

    expect(person.locator("#approval")).to_have_text("已批准 · 2026-12-01")
    expect(person.locator("#step")).to_have_count(0)
    expect(person.locator(".timeline li")).to_have_count(6)
    screenshot(person, "assistance-02-done")
    request.refresh_from_db()
    assert (request.stage, request.satisfaction, request.materials_collected) == (
        "done",
        5,
        ["身份证", "一寸照片"],
    )
