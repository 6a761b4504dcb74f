"""Playwright for Python driving Debian's /usr/bin/chromium (never a downloaded browser).

Besides the browser and a page, the workbench journeys get the organisation of tests/cases with
a password for every person (`district`), a desk per person signed in through the real sign-in
form (`desk("handlerA")`), and the clock frozen at Friday 2026-11-20 10:00 Asia/Shanghai: the live
server runs in this process, so its deadlines are the same literal dates on any day.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.cases.conftest import (  # noqa: F401
    USER_NAMES,
    CaseBuilder,
    FrozenTime,
    Org,
    _forget_policy_versions,
    build_org,
    frozen_time,
)

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
DESKTOP: ViewportSize = {"width": 1366, "height": 768}
TABLET: ViewportSize = {"width": 800, "height": 1280}

# Playwright's sync API keeps an event loop in this thread; the ORM calls that test set-up
# makes are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def new_context(browser: Browser, viewport: ViewportSize | None = None) -> BrowserContext:
    context = browser.new_context(viewport=viewport or DESKTOP, locale="zh-CN")
    context.set_default_timeout(10_000)
    return context


# Console errors that are no fault: the server's answer to a load (a 404 or 401 page, which the
# tests check themselves), and htmx's note that a request still running was dropped because the
# person left the page (a live check of the field just left when a button submits the form).
HARMLESS = ("Failed to load resource", "htmx:sendAbort", "htmx:afterRequest")


def watch(page: Page, problems: list[str]) -> None:
    """Collect what went wrong in the page's scripts: uncaught errors, and what htmx and the
    pages log as errors (htmx:responseError, htmx:swapError, htmx:sendError …)."""

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(HARMLESS):
            problems.append(f"{page.url}: console: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.on("console", console)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = new_context(browser)
    page = context.new_page()
    problems: list[str] = []
    watch(page, problems)
    yield page
    context.close()
    assert not problems, "script errors in the page:\n" + "\n".join(problems)


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page under test-output/screenshots for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- the district and its people -------------------------------------------------------------


def password_of(username: str) -> str:
    return f"pw-{username}-2026!"


@pytest.fixture
def district(transactional_db: None, frozen_time: FrozenTime, settings: Any) -> Org:  # noqa: F811
    """The organisation of tests/cases (units, people with their roles, two matters), each
    person with a password (`password_of`). The live server shares this process, its
    database and the frozen clock."""
    # A fast hash: what is tested is the sign-in form, not the cost of PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = build_org()
    for name in USER_NAMES:
        user: User = org.user(name)
        user.set_password(password_of(user.username))
        user.save(update_fields=["password"])
    return org


@pytest.fixture
def cases(district: Org) -> CaseBuilder:
    """Cases brought to a state through the real actions, as set-up for a journey."""
    return CaseBuilder(district)


def sign_in(page: Page, live_server: Any, username: str, password: str | None = None) -> None:
    """Sign in through the real form, as a person would, and land on the workbench."""
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password_of(username) if password is None else password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.locator(".topbar .who")).to_have_text(username)


Desk = Callable[..., Page]


@pytest.fixture
def desk(browser: Browser, live_server: Any, district: Org) -> Iterator[Desk]:
    """`desk("handlerA")`: a browser of that person's own (cookies, session), signed in;
    `desk("handlerA", viewport=TABLET)` at another size."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def open_desk(username: str, viewport: ViewportSize | None = None) -> Page:
        context = new_context(browser, viewport)
        contexts.append(context)
        person = context.new_page()
        watch(person, problems)
        sign_in(person, live_server, username)
        return person

    yield open_desk
    for context in contexts:
        context.close()
    assert not problems, "script errors in the pages:\n" + "\n".join(problems)


# --- finding things as a person does ----------------------------------------------------------


def labelled(scope: Page | Locator, field_id: str) -> Locator:
    """The field a person finds by its visible label. The label's own words are read from the
    page (some are not translated yet), so this holds in either language; it fails when the
    label is missing, hidden, or names another field."""
    label = scope.locator(f'label[for="{field_id}"]')
    expect(label).to_be_visible()
    words = " ".join(label.inner_text().split())
    field = scope.get_by_label(words, exact=True)
    expect(field).to_have_id(field_id)
    return field
