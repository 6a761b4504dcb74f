"""The placeholder home page and the admin, in a real browser."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_is_chinese_by_default_and_switches_to_english(live_server: Any, page: Page) -> None:
    page.goto(live_server.url)
    expect(page.locator("h1")).to_contain_text("办不成事")
    expect(page.locator("body")).to_contain_text("普陀区")
    screenshot(page, "home-zh")
    page.select_option("#language", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("reflection window")


def test_admin_login_and_calendar_years(live_server: Any, page: Page) -> None:
    User.objects.create_superuser("root", password="a-long-password-1")
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/workdays/calendaryear/upload/")
    bad: FilePayload = {"name": "bad.toml", "mimeType": "text/plain", "buffer": b"year = 2027\n"}
    page.set_input_files("#id_file", files=[bad])
    page.click("input[type=submit]")
    expect(page.locator(".errorlist")).to_have_text(
        "bad.toml：至少需要一个 [[holidays]] 节假日表。"
    )
    screenshot(page, "admin-calendar-upload-error")
