"""The public pages walked as a citizen walks them, in a real browser (R-IN-2, R-Q-2, R-RV-2).

A person reports on a phone, follows the appeal with its tracking number and access code,
reads the answer, rates it, and the hub sees the bad rating on its supervision list; the
self-service terminal starts again after a while without a touch and leads nowhere else; the
elderly-friendly mode enlarges the type and simplifies the form's labels, remembered by the
browser; a wrong code shows nothing of the appeal.

Elements are found by ids and names, not by their words, while the Chinese catalogue of the
public pages is being completed; the Chinese asserted is data (unit and matter names), the
satisfaction labels and the ID number's check-digit message of the catalogue, and the plain
labels of the elderly-friendly mode as the catalogue renders them (computed, not written here).

The kiosk is a touch screen: it is tapped, and the tap on "I am still here" must reach that
button, not what lies under the notice.

The report form refuses what is sent faster than MIN_SECONDS after it was shown (no person
reads it that fast); the live server runs in this process, so the tests set it to 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, Request, ViewportSize, expect

from banchengshi.cases.actions.answer import check_reply_case
from banchengshi.cases.actions.dispatch import check_screen_case, do_receive_case
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.models import Case, Channel
from banchengshi.notify.models import OutboxMessage
from banchengshi.org.names import full_name
from banchengshi.web.forms.public_report import PublicReportForm
from tests.browser.conftest import DESKTOP, Desk, new_context, screenshot, watch
from tests.cases.conftest import ID_NUMBER, PHONE, CaseBuilder, Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SIZE: ViewportSize = {"width": 390, "height": 844}
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
CITIZEN_PHONE = "13900001234"
WRONG_CHECK_DIGIT = ID_NUMBER[:-1] + "3"
DESCRIPTION = "网上申请营业执照变更登记三次被退回，窗口说材料齐全，系统却一直显示材料不全"
REPLY = "经核查系统规则配置有误，已修正，请重新提交申请，当日即可办结"
MATTER, UNIT = "营业执照变更登记", "区市场监管局"
# Satisfaction.DISSATISFIED as the catalogue names it.
DISSATISFIED = "不满意"
# Where a kiosk page may lead: its own pages, the large-text switch and the language switch.
KIOSK_PATHS = ("/kiosk/", "/elder/", "/i18n/")


Visitor = Callable[..., Page]


@pytest.fixture
def visitor(browser: Browser) -> Iterator[Visitor]:
    """`visitor()`: a citizen's browser of their own (no session, no cookies) at a PC;
    `visitor(phone=True)` on a phone, whose pages the server records as "mobile"."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def open_browser(phone: bool = False, touch: bool = False) -> Page:
        if touch:
            context = browser.new_context(viewport=DESKTOP, locale="zh-CN", has_touch=True)
            context.set_default_timeout(10_000)
        elif phone:
            context = browser.new_context(
                viewport=PHONE_SIZE,
                locale="zh-CN",
                user_agent=IPHONE,
                is_mobile=True,
                has_touch=True,
            )
            context.set_default_timeout(10_000)
        else:
            context = new_context(browser)
        contexts.append(context)
        page = context.new_page()
        watch(page, problems)
        return page

    yield open_browser
    for context in contexts:
        context.close()
    assert not problems, "script errors in the pages:\n" + "\n".join(problems)


@pytest.fixture
def quick_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live server shares this process: a test may send the form at once."""
    monkeypatch.setattr("banchengshi.web.forms.public_report.MIN_SECONDS", 0)


def posts_to(page: Page, path: str) -> list[str]:
    """The POSTs the page sends to exactly `path`, collected as they go."""
    sent: list[str] = []

    def note(request: Request) -> None:
        if request.method == "POST" and urlsplit(request.url).path == path:
            sent.append(request.url)

    page.on("request", note)
    return sent


def track(page: Page, live_server: Any, tracking_no: str, secret: str, base: str = "") -> None:
    page.goto(f"{live_server.url}{base}/track/")
    form = page.locator("#track-form")
    form.locator("#id_tracking_no").fill(tracking_no)
    form.locator("#id_secret").fill(secret)
    form.locator("#track-submit").click()


def assert_fits_the_width(page: Page) -> None:
    """No sideways scrolling on a phone."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def staff_names(district: Org) -> list[str]:
    people: list[User] = [district.dispatcher, district.handler_a]
    return [name for person in people for name in (person.username, full_name(person))]


# --- 1. report on a phone, follow, rate; the hub sees the bad rating --------------------------


def test_a_citizen_reports_on_a_phone_follows_the_appeal_and_rates_the_answer(
    visitor: Visitor, desk: Desk, live_server: Any, district: Org, quick_form: None
) -> None:
    phone = visitor(phone=True)
    phone.goto(live_server.url)
    expect(phone.locator("body")).to_have_class(re.compile(r"\bpublic\b"))
    assert_fits_the_width(phone)
    screenshot(phone, "public-01-phone-home")
    phone.locator("#go-report").click()
    expect(phone).to_have_url(f"{live_server.url}/report/")
    reports = posts_to(phone, "/report/")

    form = phone.locator("#report-form")
    form.locator("#id_matter_id").select_option(label=MATTER)
    form.locator("#id_description").fill(DESCRIPTION)
    form.locator("#id_petitioner_name").fill("李四")
    form.locator("#id_phone").fill(CITIZEN_PHONE)

    # A wrong check digit shows by its field while typed; nothing is sent.
    id_number = form.locator("#id_id_number")
    id_number.press_sequentially(WRONG_CHECK_DIGIT)
    error = phone.locator("#id_id_number_error")
    expect(error).to_have_text("身份证号码校验码有误，请核对号码。")
    expect(id_number).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_url(f"{live_server.url}/report/")
    assert_fits_the_width(phone)
    screenshot(phone, "public-02-phone-report-live-error")
    assert reports == [], "the live check must not send the form"
    assert not Case.objects.exists()

    id_number.fill("")
    id_number.press_sequentially(ID_NUMBER)
    expect(error).to_have_text("")
    expect(id_number).not_to_have_attribute("aria-invalid", "true")
    form.locator("#send-report").click()

    # The confirmation: the number and the code, shown once.
    expect(phone).to_have_url(f"{live_server.url}/report/done/")
    tracking_no = phone.locator("#filed-tracking-no").inner_text().strip()
    access_code = phone.locator("#filed-access-code").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4}", access_code), access_code
    assert_fits_the_width(phone)
    screenshot(phone, "public-03-phone-report-done")
    assert len(reports) == 1
    case = Case.objects.get(tracking_no=tracking_no)
    assert case.channel == Channel.MOBILE
    assert case.registered_unit == district.hub
    assert case.matter == district.matter_a
    assert case.phone == CITIZEN_PHONE
    texted = OutboxMessage.objects.filter(case=case, template="appeal_filed", channel="sms")
    assert [message.recipient for message in texted] == [CITIZEN_PHONE]
    # Reloaded, the code is not shown again.
    phone.reload()
    expect(phone).to_have_url(f"{live_server.url}/track/")
    expect(phone.locator("#filed-access-code")).to_have_count(0)

    # Another day, another browser: the number and the code find it.
    pc = visitor()
    track(pc, live_server, tracking_no, access_code)
    expect(pc).to_have_url(f"{live_server.url}/track/{tracking_no}/")
    expect(pc.locator("main h1")).to_contain_text(tracking_no)
    expect(pc.locator("main")).to_contain_text(MATTER)
    expect(pc.locator("#public-answer")).to_have_count(0)
    expect(pc.locator("#rating-form")).to_have_count(0)  # nothing to rate yet
    screenshot(pc, "public-04-track-received")

    # The hub accepts it, it goes to the matter's owner, which answers.
    check_screen_case(district.dispatcher, case.pk, admissible=True)
    do_receive_case(district.handler_a, case.pk)
    check_record_cause(district.handler_a, case.pk, code="system_fault", note="系统规则配置错误")
    check_reply_case(district.handler_a, case.pk, text=REPLY)

    pc.reload()
    expect(pc.locator("#public-answer")).to_have_text(REPLY)
    expect(pc.locator("#public-unit")).to_have_text(UNIT)
    steps = pc.locator("#public-steps")
    expect(steps).to_contain_text(UNIT)
    for name in staff_names(district):
        expect(pc.locator("main")).not_to_contain_text(name)
    screenshot(pc, "public-05-track-answered")

    rating = pc.locator("#rating-form")
    rating.get_by_label(DISSATISFIED, exact=True).check()
    rating.locator('input[name="solved"][value="0"]').check()
    rating.locator("#id_comment").fill("问题没有解决，系统仍然报错")
    screenshot(pc, "public-06-track-rating")
    rating.locator("#send-rating").click()
    expect(pc).to_have_url(f"{live_server.url}/track/{tracking_no}/?rated=1")
    expect(pc.locator("#rating-thanks")).to_be_visible()
    expect(pc.locator("#public-rating")).to_contain_text(DISSATISFIED)
    expect(pc.locator("#rating-form")).to_have_count(0)  # once per answer
    screenshot(pc, "public-07-track-rated")

    # The hub's dispatcher finds it waiting for a supervision decision.
    dispatcher = desk("dispatcher")
    dispatcher.goto(f"{live_server.url}/staff/hub/")
    waiting = dispatcher.locator("#supervision")
    row = waiting.get_by_role("row").filter(
        has=dispatcher.get_by_role("link", name=tracking_no, exact=True)
    )
    expect(row).to_contain_text(DISSATISFIED)
    expect(row).to_contain_text(UNIT)
    screenshot(dispatcher, "public-08-hub-supervision")


# --- 2. the self-service terminal ------------------------------------------------------------


def kiosk_ways_out(page: Page) -> list[str]:
    """Every link and form target of the page that leads outside the kiosk's own paths."""
    targets: list[str] = page.evaluate(
        """() => [
            ...[...document.querySelectorAll("a[href]")].map((a) => a.href),
            ...[...document.querySelectorAll("form")].map((f) => f.action),
            ...[...document.querySelectorAll("[hx-get], [hx-post]")].map((e) =>
                new URL(e.getAttribute("hx-get") || e.getAttribute("hx-post"), location.href).href),
        ]"""
    )
    here = urlsplit(page.url).netloc
    return [
        target
        for target in targets
        if urlsplit(target).netloc != here or not urlsplit(target).path.startswith(KIOSK_PATHS)
    ]


def test_the_kiosk_starts_again_when_left_and_leads_nowhere_else(
    visitor: Visitor, live_server: Any, district: Org, settings: Any
) -> None:
    # After 8 s without a touch; the notice counts down the last 2 (web.public.public_frame,
    # read per request: each page carries it).
    settings.BANCHENGSHI_KIOSK_IDLE_SECONDS = 8
    case = CaseBuilder(district).dispatched()
    kiosk = visitor(touch=True)
    kiosk.goto(f"{live_server.url}/kiosk/")
    expect(kiosk.locator("body")).to_have_class(re.compile(r"\bkiosk\b"))
    assert kiosk_ways_out(kiosk) == []
    screenshot(kiosk, "public-09-kiosk-start")

    # Someone takes large text, follows an appeal (proven with the phone's last digits) ...
    kiosk.locator("#elder-switch").tap()
    expect(kiosk.locator("body")).to_have_class(re.compile(r"\belder\b"))
    kiosk.locator("#go-track").tap()
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk/track/")
    assert kiosk_ways_out(kiosk) == []
    kiosk.locator("#id_tracking_no").fill(case.tracking_no)
    kiosk.locator("#id_secret").fill(PHONE[-4:])
    kiosk.locator("#track-submit").tap()
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk/track/{case.tracking_no}/")
    expect(kiosk.locator("#public-unit")).to_have_text(UNIT)
    assert kiosk_ways_out(kiosk) == []

    # ... then starts a report, types, and is asked whether still there: the tap on "I am
    # still here" is the button's (not what lies under the notice) and keeps the page.
    kiosk.locator("header .brand").tap()
    kiosk.locator("#go-report").tap()
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk/report/")
    assert kiosk_ways_out(kiosk) == []
    description = kiosk.locator("#id_description")
    description.fill("自助终端上查不到办件进度")
    kiosk.evaluate(
        """() => { window.clicked = [];
        document.addEventListener("click", (e) => window.clicked.push(e.target.id), true); }"""
    )
    notice = kiosk.locator("#kiosk-idle")
    expect(notice).to_be_visible(timeout=10_000)
    expect(kiosk.locator("#kiosk-idle-seconds")).to_have_text(re.compile(r"^[12]$"))
    kiosk.locator("#kiosk-stay").tap()
    expect(notice).to_be_hidden()
    assert kiosk.evaluate("window.clicked") == ["kiosk-stay"]
    kiosk.wait_for_timeout(2_500)  # past the moment the page would have started again
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk/report/")
    expect(description).to_have_value("自助终端上查不到办件进度")

    # Left alone (sooner now, on this page's reload): the notice, then the start page, the
    # last person's appeal and large text forgotten.
    settings.BANCHENGSHI_KIOSK_IDLE_SECONDS = 4
    kiosk.reload()
    resets = posts_to(kiosk, "/kiosk/reset/")
    expect(notice).to_be_visible(timeout=5_000)
    expect(kiosk.locator("#kiosk-idle-seconds")).to_have_text("1")
    screenshot(kiosk, "public-10-kiosk-idle-notice")
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk/", timeout=5_000)
    assert len(resets) == 1
    expect(notice).to_be_hidden()
    expect(kiosk.locator("body")).not_to_have_class(re.compile(r"\belder\b"))
    kiosk.goto(f"{live_server.url}/kiosk/track/{case.tracking_no}/")
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk/track/?no={case.tracking_no}")
    expect(kiosk.locator("#public-unit")).to_have_count(0)


# --- 3. the elderly-friendly mode ------------------------------------------------------------


def html_font_size(page: Page) -> str:
    size: str = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    return size


def label_of(page: Page, name: str) -> str:
    return " ".join(page.locator(f'label[for="id_{name}"]').inner_text().replace("*", "").split())


def test_large_text_is_switched_on_and_off_and_remembered(
    visitor: Visitor, live_server: Any, district: Org
) -> None:
    with translation.override("zh-hans"):
        plain = {name: str(label) for name, label in PublicReportForm.PLAIN_LABELS.items()}
        standard = {
            name: str(PublicReportForm.base_fields[name].label)
            for name in PublicReportForm.PLAIN_LABELS
        }
    page = visitor()
    page.goto(live_server.url)
    body = page.locator("body")
    expect(body).not_to_have_class(re.compile(r"\belder\b"))
    assert html_font_size(page) == "16px"
    switch = page.locator("#elder-switch")
    expect(switch).to_have_attribute("aria-pressed", "false")

    switch.click()
    expect(body).to_have_class(re.compile(r"\belder\b"))
    expect(page).to_have_url(f"{live_server.url}/")
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert html_font_size(page) == "22px"
    screenshot(page, "public-11-elder-home")

    # Remembered on the next page, and after a reload; the form speaks plainly.
    page.locator("#go-report").click()
    expect(page).to_have_url(f"{live_server.url}/report/")
    expect(body).to_have_class(re.compile(r"\belder\b"))
    page.reload()
    expect(body).to_have_class(re.compile(r"\belder\b"))
    assert html_font_size(page) == "22px"
    assert {name: label_of(page, name) for name in plain} == plain
    expect(page.locator("#id_phone_helptext")).to_have_count(0)  # no help text to read
    screenshot(page, "public-12-elder-report")

    # Off again, on this page: the usual size and labels.
    page.locator("#elder-switch").click()
    expect(page).to_have_url(f"{live_server.url}/report/")
    expect(body).not_to_have_class(re.compile(r"\belder\b"))
    assert html_font_size(page) == "16px"
    assert {name: label_of(page, name) for name in standard} == standard
    page.reload()
    expect(body).not_to_have_class(re.compile(r"\belder\b"))


# --- 4. a wrong code -------------------------------------------------------------------------


def test_a_wrong_code_shows_nothing_of_the_appeal(
    visitor: Visitor, live_server: Any, district: Org
) -> None:
    case = CaseBuilder(district).dispatched()
    page = visitor()
    track(page, live_server, case.tracking_no, "1234 5678")
    error = page.locator("#track-error")
    expect(error).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/track/")
    main = page.locator("main")
    for secret in (MATTER, UNIT, "张三", PHONE, case.description):
        expect(main).not_to_contain_text(secret)
    for shown in ("#public-state", "#public-unit", "#public-steps"):
        expect(page.locator(shown)).to_have_count(0)
    expect(page.locator("#id_tracking_no")).to_have_value(case.tracking_no)
    screenshot(page, "public-13-track-wrong-code")
    said = error.inner_text()

    # The same answer for a wrong phone digits, and for a number that does not exist.
    track(page, live_server, case.tracking_no, "0000")
    expect(error).to_have_text(said)
    track(page, live_server, "PT-2026-999999", "5678")
    expect(error).to_have_text(said)
    # And the case page itself is not shown to this browser.
    page.goto(f"{live_server.url}/track/{case.tracking_no}/")
    expect(page).to_have_url(f"{live_server.url}/track/?no={case.tracking_no}")
    expect(page.locator("#public-state")).to_have_count(0)
