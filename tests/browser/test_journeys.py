"""The staff workbench walked as its people walk it, in a real browser (issue 4).

Each journey signs in through the sign-in form, fills forms by their visible labels (read from
the page, so a label not yet translated still counts) or by their ids where a label is shared,
and checks what the page shows: states, deadlines, colour badges, masked personal data,
messages. The clock is frozen at Friday 2026-11-20 10:00 Asia/Shanghai (putuo policy), so every
date below is counted by hand: a general case's reply is due in 3 working days, Wednesday
2026-11-25; the reasons for a refusal likewise; an extension of 2 working days moves the reply to
Friday 2026-11-27. Screenshots of each main page go to test-output/screenshots/.

Chinese words asserted come from data (unit, matter and cause names, masked numbers) or from the
translation catalogue (state names, colour badges, clock kinds, satisfaction levels, and the
messages of sign-in, refusal, live checks, hub decisions and masking). Fields are found by
their labels' own words as the page shows them and buttons and lists by ids and classes, so a
changed wording of the catalogue breaks only the sentences asserted on purpose.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Request, expect

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case, CoHandlingTask
from tests.browser.conftest import (
    TABLET,
    Desk,
    labelled,
    password_of,
    screenshot,
    sign_in,
)
from tests.cases.conftest import ID_NUMBER, PHONE, CaseBuilder, FrozenTime, Org, sh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MASKED_PHONE = "138****5678"
MASKED_ID = "310107********2012"
WRONG_CHECK_DIGIT = ID_NUMBER[:-1] + "3"
DESCRIPTION = "办理营业执照变更登记时材料被退回三次，仍未办成"

# State names of the catalogue (cases.models.State).
DISPATCHED, IN_PROGRESS, REPLIED, CLOSED = "已派单", "办理中", "已答复", "已办结"
NOT_ADMISSIBLE = "不予受理"


# --- helpers ---------------------------------------------------------------------------------


def case_url(live_server: Any, case: Case | int) -> str:
    number = case if isinstance(case, int) else case.pk
    return f"{live_server.url}/staff/cases/{number}/"


def go_to_menu(page: Page, path: str) -> None:
    """Follow the workbench menu to one of its areas (the menu's words are not asserted)."""
    page.get_by_role("navigation").locator(f'a[href="{path}"]').click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def state_of(page: Page) -> Locator:
    """The state badge at the head of the case page."""
    return page.locator(".case-status .badge.state")


def panel(page: Page, key: str) -> Locator:
    """One form of "what you can do" on the case page, opened when it is folded."""
    found = page.locator(f"#panel-{key}")
    expect(found).to_be_visible()
    details = found.locator("details")
    if details.count() and not details.evaluate("element => element.open"):
        found.locator("summary").click()
    return found


def fact(scope: Page | Locator, term: str) -> Locator:
    """The value after the term `term` in a list of facts (<dt>term</dt><dd>value</dd>)."""
    return scope.locator(f"xpath=.//dt[normalize-space()='{term}']/following-sibling::dd[1]")


def submit(found: Locator) -> None:
    found.locator("button.primary").click()


def clock(page: Page, kind: str) -> Locator:
    """The running clock whose kind reads exactly `kind` (答复, 说明理由答复 …); the clocks
    that ended are folded away below them."""
    head = page.locator(".clock-head strong").filter(has_text=re.compile(f"^{kind}$"))
    return page.locator("section:has(#clocks-heading) > .clock").filter(has=head)


def fill_registration(page: Page, **values: str) -> None:
    """The petitioner and the appeal on the window's registration form, by the labels."""
    form = page.locator("#register-form")
    labelled(form, "id_window").fill(values.get("window", "3"))
    labelled(form, "id_petitioner_name").fill(values.get("name", "张三"))
    labelled(form, "id_phone").fill(values.get("phone", PHONE))
    labelled(form, "id_id_number").fill(values.get("id_number", ID_NUMBER))
    matter = values.get("matter", "营业执照变更登记")
    labelled(form, "matter-search").fill(matter[:4])
    form.get_by_role("button", name=matter).click()
    expect(form.locator(".matter-chosen")).to_contain_text(matter)
    labelled(form, "id_description").fill(values.get("description", DESCRIPTION))
    labelled(form, "id_request").fill(values.get("request", "希望尽快办结"))


def outcome(page: Page, value: str) -> None:
    page.locator(f'#register-form button[name="outcome"][value="{value}"]').click()


def row_of(page: Page, table: Locator, tracking_no: str) -> Locator:
    return table.get_by_role("row").filter(
        has=page.get_by_role("link", name=tracking_no, exact=True)
    )


# --- 1. the main journey ---------------------------------------------------------------------


def test_a_case_from_the_window_to_closing_in_two_rounds(
    desk: Desk, live_server: Any, district: Org
) -> None:
    # The clerk registers the appeal; the matter's owner, 区市场监管局, gets it at once.
    clerk = desk("clerk")
    go_to_menu(clerk, "/staff/register/")
    fill_registration(clerk)
    outcome(clerk, "accept")
    expect(clerk).to_have_url(re.compile(r"/staff/cases/\d+/registered/$"))
    done = clerk.locator(".register-done")
    tracking_no = done.locator(".tracking-no").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{6,}", tracking_no), tracking_no
    expect(done.locator(".dispatch-target")).to_have_text("区市场监管局")
    expect(done.locator(".badge")).to_have_text(DISPATCHED)
    expect(fact(done, "答复")).to_have_text("期限 2026-11-25")  # 3 working days after Friday
    screenshot(clerk, "01-register-confirmation")
    case_id = int(re.findall(r"/staff/cases/(\d+)/", clerk.url)[0])

    # The printed registration form carries the number and, for the clerk, the full phone.
    clerk.locator(f'a[href="/staff/cases/{case_id}/print/slip/"]').click()
    sheet = clerk.locator(".print-sheet")
    expect(sheet.locator(".tracking-no")).to_have_text(tracking_no)
    expect(sheet).to_contain_text("营业执照变更登记")
    expect(sheet.locator(".personal").first).to_have_text(PHONE)
    # The first print carries the petitioner's access code, once.
    expect(sheet.locator("#slip-access-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    screenshot(clerk, "02-print-registration-form")
    clerk.go_back()
    clerk.locator(f'a[href="/staff/cases/{case_id}/print/handling/"]').click()
    expect(clerk.locator(".print-sheet .dispatch-target")).to_have_text("区市场监管局")
    screenshot(clerk, "03-print-handling-form")

    # The department's handler finds it on the worklist and signs for it.
    handler = desk("handlerA")
    work = handler.locator("#work")
    row = row_of(handler, work, tracking_no)
    expect(row).to_contain_text(DISPATCHED)
    expect(row).to_contain_text("营业执照变更登记")
    expect(row).to_contain_text("张三")
    expect(row.locator(".badge")).to_have_class(re.compile(r"\b(green|yellow|red|none)\b"))
    screenshot(handler, "04-worklist-handler")
    row.get_by_role("link", name=tracking_no, exact=True).click()
    expect(handler).to_have_url(case_url(live_server, case_id))
    expect(state_of(handler)).to_have_text(DISPATCHED)
    expect(handler.locator(".case-facts")).to_contain_text(PHONE)  # the handler calls them
    screenshot(handler, "05-case-dispatched")
    submit(panel(handler, "receive"))
    expect(state_of(handler)).to_have_text(IN_PROGRESS)

    # Contact, cause, and a request to 区人社局 to co-handle.
    contact = panel(handler, "record_contact")
    labelled(contact, "record_contact-method").select_option("phone")
    labelled(contact, "record_contact-outcome").fill("已电话联系张三，约定补交材料")
    submit(contact)
    expect(handler.locator(".case-history")).to_contain_text("已电话联系张三，约定补交材料")

    cause = panel(handler, "record_cause")
    labelled(cause, "record_cause-code").select_option(label="申请人材料不齐全或有误")
    labelled(cause, "record_cause-note").fill("申请人未提供股东会决议")
    submit(cause)
    expect(handler.locator(".case-facts")).to_contain_text("申请人材料不齐全或有误")

    ask = panel(handler, "request_cohandling")
    labelled(ask, "request_cohandling-unit_id").select_option(label="区人社局")
    labelled(ask, "request_cohandling-days").fill("2")
    labelled(ask, "request_cohandling-request").fill("请核实申请人社保缴纳记录")
    submit(ask)
    tasks = handler.locator(".case-history table").filter(has_text="请核实申请人社保缴纳记录")
    expect(tasks).to_contain_text("区人社局")
    expect(tasks.locator(".badge.none")).to_be_visible()  # the task is open
    screenshot(handler, "06-case-in-progress-cohandling")

    # 区人社局 answers from its own worklist; it does not contact the person, so the numbers
    # are masked for it.
    helper = desk("handlerB")
    helper_row = row_of(helper, helper.locator("#work"), tracking_no)
    expect(helper_row).to_contain_text(IN_PROGRESS)
    helper_row.get_by_role("link", name=tracking_no, exact=True).click()
    facts = helper.locator(".case-facts")
    expect(facts).to_contain_text(MASKED_PHONE)
    expect(facts).not_to_contain_text(PHONE)
    task = CoHandlingTask.objects.get(case_id=case_id)
    answer = panel(helper, f"answer_cohandling-{task.pk}")
    expect(answer).to_contain_text("请核实申请人社保缴纳记录")
    labelled(answer, f"answer_cohandling-{task.pk}-answer").fill("社保缴纳记录正常，可以办理")
    submit(answer)
    expect(helper.locator(".case-history")).to_contain_text("社保缴纳记录正常，可以办理")
    expect(helper.locator(f"#panel-answer_cohandling-{task.pk}")).to_have_count(0)

    # The owner replies.
    handler.reload()
    expect(handler.locator(".case-history")).to_contain_text("社保缴纳记录正常，可以办理")
    reply = panel(handler, "reply")
    labelled(reply, "reply-text").fill("已电话告知需补交股东会决议，补交后当日办结")
    labelled(reply, "reply-channel").select_option("phone")
    submit(reply)
    expect(state_of(handler)).to_have_text(REPLIED)
    screenshot(handler, "07-case-replied")

    # The hub's return visit: dissatisfied, not solved. The case waits on the hub's
    # supervision list.
    dispatcher = desk("dispatcher")
    dispatcher.goto(case_url(live_server, case_id))
    expect(dispatcher.locator(".case-facts")).to_contain_text(PHONE)
    visit = panel(dispatcher, "return_visit")
    visit.get_by_role("radio", name="不满意", exact=True).check()
    labelled(visit, "return_visit-solved_1").check()
    labelled(visit, "return_visit-comment").fill("仍需再跑一次，不满意")
    submit(visit)
    expect(fact(dispatcher.locator(".case-facts"), "满意度")).to_have_text("不满意")
    expect(fact(dispatcher.locator(".case-facts"), "是否解决")).to_have_text("否")
    expect(state_of(dispatcher)).to_have_text(REPLIED)

    go_to_menu(dispatcher, "/staff/hub/")
    expect(dispatcher.locator('nav.jump a[href="#supervision"] .count')).to_have_text("1")
    waiting = row_of(dispatcher, dispatcher.locator("#waiting + .table-wrap table"), tracking_no)
    expect(waiting).to_contain_text("不满意")
    expect(waiting).to_contain_text("区市场监管局")
    screenshot(dispatcher, "08-hub-supervision")

    # 督办: reopened for a second round with a new deadline.
    waiting.get_by_role("link", name=tracking_no, exact=True).click()
    supervise = panel(dispatcher, "supervise")
    labelled(supervise, "supervise-reason").fill("回访不满意，请重新办理")
    labelled(supervise, "supervise-days").fill("3")
    submit(supervise)
    expect(state_of(dispatcher)).to_have_text(IN_PROGRESS)
    expect(dispatcher.locator(".case-status .badge.none")).to_have_text("第 2 轮")
    expect(fact(dispatcher.locator(".case-facts"), "办理轮次")).to_have_text("2")
    expect(clock(dispatcher, "答复")).to_contain_text("2026-11-25 23:59")
    go_to_menu(dispatcher, "/staff/hub/")
    reopened = row_of(dispatcher, dispatcher.locator("#reopened + .table-wrap table"), tracking_no)
    expect(reopened).to_contain_text("回访不满意，请重新办理")
    screenshot(dispatcher, "09-hub-reopened")

    # Round 2: the handler replies again; the hub visits, satisfied, and closes.
    handler.goto(f"{live_server.url}/staff/")
    row = row_of(handler, handler.locator("#work"), tracking_no)
    expect(row).to_contain_text(IN_PROGRESS)
    row.get_by_role("link", name=tracking_no, exact=True).click()
    reply = panel(handler, "reply")
    labelled(reply, "reply-text").fill("已上门指导补交材料，当日办结营业执照变更")
    submit(reply)
    expect(state_of(handler)).to_have_text(REPLIED)

    dispatcher.goto(case_url(live_server, case_id))
    visit = panel(dispatcher, "return_visit")
    visit.get_by_role("radio", name="满意", exact=True).check()
    labelled(visit, "return_visit-solved_0").check()
    submit(visit)
    expect(fact(dispatcher.locator(".case-facts"), "满意度")).to_have_text("满意")
    submit(panel(dispatcher, "close"))
    expect(state_of(dispatcher)).to_have_text(CLOSED)
    expect(dispatcher.locator(".case-status .badge.none")).to_have_text("第 2 轮")
    expect(fact(dispatcher.locator(".case-facts"), "状态")).to_have_text(CLOSED)
    expect(fact(dispatcher.locator(".case-facts"), "办理轮次")).to_have_text("2")
    facts = dispatcher.locator(".case-facts")
    expect(facts).to_contain_text("已上门指导补交材料，当日办结营业执照变更")
    # A closed case changes only by reopening it (R-RV-4): supervising is all that is left,
    # besides drafting a case-library entry from it (收入案例库, which changes no case field).
    panels = dispatcher.locator("#case-actions .panel")
    expect(panels).to_have_count(2)
    expect(panels.nth(0)).to_have_id("panel-supervise")
    expect(panels.nth(1)).to_have_id("panel-add_to_library")
    screenshot(dispatcher, "10-case-closed-round-2")

    # The inspector reads the whole trail and finds it intact.
    inspector = desk("inspector")
    go_to_menu(inspector, "/staff/inspect/")
    labelled(inspector, "id_q").fill(tracking_no)
    inspector.locator("main form button.primary").click()
    found = row_of(inspector, inspector.locator("main table"), tracking_no)
    expect(found).to_contain_text(CLOSED)
    found.locator(f'a[href="/staff/inspect/cases/{case_id}/audit/"]').click()
    expect(inspector.locator(".verdict")).to_have_class(re.compile(r"\bgood\b"))
    expect(inspector.locator(".verdict .badge.green")).to_be_visible()
    expect(inspector.locator("table.audit tbody tr.broken")).to_have_count(0)
    recorded = AuditEvent.objects.filter(case_id=case_id).count()
    assert recorded >= 13  # registered, accepted … replied twice, visited twice, closed
    expect(inspector.locator("table.audit tbody tr")).to_have_count(recorded)
    screenshot(inspector, "11-inspector-audit-trail")
    inspector.locator('a[href="/staff/inspect/verify/"]').first.click()
    inspector.locator("main form button.primary").click()
    expect(inspector.locator(".verdict")).to_have_class(re.compile(r"\bgood\b"))
    screenshot(inspector, "12-inspector-verify-chain")


# --- 2. resolved on the spot -----------------------------------------------------------------


def test_a_clerk_resolves_an_appeal_on_the_spot(desk: Desk, live_server: Any) -> None:
    clerk = desk("clerk")
    clerk.goto(f"{live_server.url}/staff/register/")
    fill_registration(clerk, matter="社保卡补办", description="社保卡丢失，不知道在哪里补办")
    labelled(clerk, "id_reply").fill("现场指导在自助终端完成社保卡补办申请")
    outcome(clerk, "on_the_spot")
    expect(clerk).to_have_url(re.compile(r"/staff/cases/\d+/registered/$"))
    done = clerk.locator(".register-done")
    # R-IN-6: registered and closed in one step.
    expect(done.locator(".badge")).to_have_text(CLOSED)
    expect(done).to_contain_text("已当场办结。")
    expect(done).to_contain_text("现场指导在自助终端完成社保卡补办申请")
    case_id = int(re.findall(r"/staff/cases/(\d+)/", clerk.url)[0])

    clerk.locator(f'.register-done a[href="/staff/cases/{case_id}/"]').click()
    expect(state_of(clerk)).to_have_text(CLOSED)
    facts = clerk.locator(".case-facts")
    expect(facts).to_contain_text("现场指导在自助终端完成社保卡补办申请")
    expect(facts).to_contain_text("当场解决")
    expect(facts).to_contain_text("区政务服务中心大厅")
    expect(clock(clerk, "答复")).to_have_count(0)  # no deadline runs for a closed case
    screenshot(clerk, "13-case-resolved-on-the-spot")


# --- 3. not admissible -----------------------------------------------------------------------


def test_an_appeal_not_admissible_must_be_answered_with_reasons(
    desk: Desk, live_server: Any
) -> None:
    clerk = desk("clerk")
    clerk.goto(f"{live_server.url}/staff/register/")
    fill_registration(clerk, description="要求撤销法院已生效的判决")
    reason = "属于司法程序，依法不予受理，可向上级法院申请再审"
    labelled(clerk, "id_reason").fill(reason)
    outcome(clerk, "not_admissible")
    expect(clerk).to_have_url(re.compile(r"/staff/cases/\d+/registered/$"))
    done = clerk.locator(".register-done")
    expect(done.locator(".badge")).to_have_text(NOT_ADMISSIBLE)
    expect(done).to_contain_text("不予受理，将向反映人说明理由。")
    expect(done).to_contain_text(reason)
    # 3 working days for the reply with the reasons: Mon 23, Tue 24, Wed 25.
    expect(fact(done, "说明理由答复")).to_have_text("期限 2026-11-25")
    case_id = int(re.findall(r"/staff/cases/(\d+)/", clerk.url)[0])

    # It is on the clerk's own worklist, as a reply with reasons, on time.
    go_to_menu(clerk, "/staff/")
    tracking_no = Case.objects.get(pk=case_id).tracking_no
    row = row_of(clerk, clerk.locator("#work"), tracking_no)
    expect(row).to_contain_text("说明理由答复")
    expect(row).to_contain_text(NOT_ADMISSIBLE)
    expect(row.locator(".badge.green")).to_have_text("绿灯·正常")
    expect(row.locator("time.due")).to_have_text("2026-11-25 23:59")
    screenshot(clerk, "14-worklist-clerk")

    row.get_by_role("link", name=tracking_no, exact=True).click()
    expect(state_of(clerk)).to_have_text(NOT_ADMISSIBLE)
    expect(clerk.locator(".case-facts")).to_contain_text(reason)
    reasons = clock(clerk, "说明理由答复")
    expect(reasons.locator(".badge.green")).to_have_text("绿灯·正常")
    expect(reasons.locator("time").first).to_have_text("2026-11-25 23:59")
    screenshot(clerk, "15-case-not-admissible")

    # The written reasons close it.
    reply = panel(clerk, "reply")
    labelled(reply, "reply-text").fill("已书面告知不予受理的理由及再审途径")
    labelled(reply, "reply-channel").select_option("letter")
    submit(reply)
    expect(state_of(clerk)).to_have_text(CLOSED)
    expect(clock(clerk, "说明理由答复")).to_have_count(0)


# --- 4. an extension approved by the hub -----------------------------------------------------


def test_an_extension_approved_at_the_hub_moves_the_reply_deadline(
    desk: Desk, live_server: Any, cases: CaseBuilder
) -> None:
    case = cases.analysed()
    handler = desk("handlerA")
    handler.goto(case_url(live_server, case))
    expect(state_of(handler)).to_have_text(IN_PROGRESS)
    reply_clock = clock(handler, "答复")
    expect(reply_clock.locator("time").first).to_have_text("2026-11-25 23:59")
    before = reply_clock.locator("time").first.inner_text()

    ask = panel(handler, "request_extension")
    labelled(ask, "request_extension-days").fill("2")
    labelled(ask, "request_extension-reason").fill("需等待区人社局出具证明材料")
    submit(ask)
    requests = handler.locator(".case-history table").filter(has_text="需等待区人社局出具证明材料")
    expect(requests.locator(".badge.yellow")).to_have_text("待审批")
    expect(handler.locator("#panel-request_extension")).to_have_count(0)  # one at a time

    dispatcher = desk("dispatcher")
    go_to_menu(dispatcher, "/staff/hub/")
    asked = row_of(dispatcher, dispatcher.locator("#requests table"), case.tracking_no)
    expect(asked).to_contain_text("延期 2 个工作日")
    expect(asked).to_contain_text("需等待区人社局出具证明材料")
    expect(asked).to_contain_text("区市场监管局")
    screenshot(dispatcher, "16-hub-extension-request")
    asked.locator('button[name="decision"][value="approve"]').click()
    expect(dispatcher.locator(".messages")).to_contain_text(f"{case.tracking_no}：申请已同意。")
    expect(dispatcher.locator("#requests table")).to_have_count(0)

    handler.reload()
    after = reply_clock.locator("time").first
    expect(after).to_have_text("2026-11-27 23:59")  # two working days later: Thu 26, Fri 27
    assert after.inner_text() > before
    expect(requests.locator(".badge.green")).to_have_text("已批准")
    reply_clock.locator("summary").click()
    expect(reply_clock.locator(".explain")).to_contain_text("含因延期或挂起顺延的 2 个工作日。")
    screenshot(handler, "17-case-extension-approved")

    go_to_menu(handler, "/staff/")
    row = row_of(handler, handler.locator("#work"), case.tracking_no)
    expect(row.locator("time.due")).to_have_text("2026-11-27 23:59")


# --- 5. scope and masked personal data -------------------------------------------------------


def test_outsiders_are_refused_and_personal_data_is_masked_by_role(
    desk: Desk, live_server: Any, cases: CaseBuilder
) -> None:
    case = cases.dispatched()  # 区市场监管局's case; 区人社局 has no part in it

    outsider = desk("handlerB")
    response = outsider.goto(case_url(live_server, case))
    assert response is not None
    assert response.status == 404
    expect(outsider.locator("main h1")).to_have_text("无法执行此操作")
    expect(outsider.get_by_role("alert")).to_have_text("您的权限范围内没有该编号的工单。")
    main = outsider.locator("main")
    for secret in (case.tracking_no, PHONE, MASKED_PHONE, "张三"):
        expect(main).not_to_contain_text(secret)
    screenshot(outsider, "18-refusal-outside-scope")

    # The hub's dispatcher calls the petitioner: the numbers in full.
    dispatcher = desk("dispatcher")
    dispatcher.goto(case_url(live_server, case))
    personal = dispatcher.locator(".case-facts dd.personal")
    expect(personal).to_have_text([PHONE, ID_NUMBER])

    # The inspector reads every case, but not the numbers.
    inspector = desk("inspector")
    go_to_menu(inspector, "/staff/inspect/")
    found = row_of(inspector, inspector.locator("main table"), case.tracking_no)
    expect(found).to_contain_text(DISPATCHED)
    expect(found).to_contain_text("区市场监管局")
    screenshot(inspector, "19-inspector-search")
    found.get_by_role("link", name=case.tracking_no, exact=True).click()
    expect(inspector.locator(".case-facts dd.personal")).to_have_text([MASKED_PHONE, MASKED_ID])
    expect(inspector.locator(".case-facts")).to_contain_text(
        "联系电话和身份证号已部分隐藏：您的角色不负责联系申请人。"
    )
    expect(inspector.locator("#case-actions .panel")).to_have_count(0)  # read-only
    screenshot(inspector, "20-case-inspector-masked")

    # The department's leader oversees its units' work; the case shows there, masked too.
    leader = desk("leaderA")
    go_to_menu(leader, "/staff/units/")
    unit_row = (
        leader.locator("table.unit-tree")
        .get_by_role("row")
        .filter(has=leader.get_by_role("link", name="区市场监管局", exact=True))
    )
    expect(unit_row.locator("td.number").first).to_have_text("1")
    screenshot(leader, "21-units")
    unit_row.get_by_role("link", name="区市场监管局", exact=True).click()
    expect(leader.locator("main h1")).to_have_text("区市场监管局")
    listed = row_of(leader, leader.locator("#cases table"), case.tracking_no)
    expect(listed).to_contain_text(DISPATCHED)
    expect(listed).to_contain_text("营业执照变更登记")
    screenshot(leader, "22-unit-page")
    listed.get_by_role("link", name=case.tracking_no, exact=True).click()
    expect(leader.locator(".case-facts dd.personal")).to_have_text([MASKED_PHONE, MASKED_ID])


# --- 6. a field error while typing -----------------------------------------------------------


def test_an_id_number_is_checked_while_it_is_typed(
    desk: Desk, live_server: Any, cases: CaseBuilder
) -> None:
    earlier = cases.dispatched()  # the same person came before: the sidebar says so
    clerk = desk("clerk")
    clerk.goto(f"{live_server.url}/staff/register/")
    registrations: list[str] = []

    def note(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/staff/register/"):
            registrations.append(request.url)

    clerk.on("request", note)
    form = clerk.locator("#register-form")
    labelled(form, "id_petitioner_name").fill("张三")
    labelled(form, "id_phone").press_sequentially(PHONE)
    id_number = labelled(form, "id_id_number")
    id_number.press_sequentially(WRONG_CHECK_DIGIT)  # the phone's change fires on leaving it

    error = clerk.locator("#id_id_number_error")
    expect(error).to_have_text("身份证号码校验码有误，请核对号码。")
    expect(id_number).to_have_attribute("aria-invalid", "true")
    expect(id_number).to_be_focused()  # nothing moved the clerk away from the field
    hints = clerk.locator("#register-hints")
    expect(hints.locator("#earlier-heading + .hint-list")).to_contain_text(earlier.tracking_no)
    expect(clerk.locator("#hints-status")).to_have_text(
        "该反映人历史工单 1 件，近期类似工单 0 件。"
    )
    screenshot(clerk, "23-register-live-error-and-sidebar")

    id_number.fill("")
    id_number.press_sequentially(ID_NUMBER)
    expect(error).to_have_text("")
    expect(id_number).not_to_have_attribute("aria-invalid", "true")
    assert registrations == [], "the live check must not submit the form"
    expect(clerk).to_have_url(f"{live_server.url}/staff/register/")
    assert Case.objects.count() == 1

    # Submitting without a description: nothing is registered, the error is by its field and
    # in the summary, and what was typed stays.
    outcome(clerk, "accept")
    summary = clerk.locator("#error-summary")
    expect(summary).to_contain_text("尚未登记，请修改以下内容：")
    expect(summary.locator('a[href="#id_description"]')).to_be_visible()
    expect(clerk.locator("#id_description_error")).not_to_have_text("")
    expect(labelled(clerk, "id_phone")).to_have_value(PHONE)
    expect(labelled(clerk, "id_id_number")).to_have_value(ID_NUMBER)
    assert len(registrations) == 1
    assert Case.objects.count() == 1
    screenshot(clerk, "24-register-submitted-with-an-error")


# --- 7. sign-in lockout ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(page: Page, live_server: Any, district: Org) -> None:
    page.goto(f"{live_server.url}/staff/login/")
    alert = page.get_by_role("alert")
    for left in (4, 3, 2, 1):
        page.get_by_label("用户名").fill("handlerA")
        page.get_by_label("密码").fill("not-the-password")
        page.get_by_role("button", name="登录", exact=True).click()
        expect(alert).to_have_text(f"用户名或密码错误。再错 {left} 次账号将被锁定。")
    page.get_by_label("密码").fill("not-the-password")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="登录", exact=True).click()
    assert answer.value.status == 401
    locked = "密码错误次数过多，账号已锁定。请 15 分钟后再试，或请办公室管理员解锁。"
    expect(alert).to_have_text(locked)
    expect(page.get_by_label("用户名")).to_have_value("handlerA")
    screenshot(page, "25-sign-in-locked")

    # Even the right password is refused while the lock lasts.
    page.get_by_label("密码").fill(password_of("handlerA"))
    page.get_by_role("button", name="登录", exact=True).click()
    expect(alert).to_have_text(locked)
    expect(page).to_have_url(re.compile(r"/staff/login/"))
    # Another person at the same browser is not affected.
    sign_in(page, live_server, "handlerA1")


# --- 8. a tablet ---------------------------------------------------------------------------


def test_the_worklist_and_a_case_on_a_tablet(
    desk: Desk, live_server: Any, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    # Three cases whose deadlines are red, yellow and green on Thursday 2026-11-26 10:00.
    overdue = cases.in_progress()  # reply due Wednesday 11-25
    frozen_time.set(sh(2026, 11, 23))
    due_soon = cases.dispatched()  # due Thursday 11-26 23:59: under 24 hours left
    frozen_time.set(sh(2026, 11, 26))
    on_time = cases.dispatched()  # due Tuesday 12-01

    handler = desk("handlerA", viewport=TABLET)
    counts = handler.locator(".count-list")
    expect(counts.locator("li").nth(0)).to_contain_text("红灯·已超期 1")
    expect(counts.locator("li").nth(1)).to_contain_text("黄灯·即将到期 1")
    expect(counts.locator("li").nth(2)).to_contain_text("绿灯·正常 1")
    rows = handler.locator("#work tbody tr")
    expect(rows).to_have_count(3)
    # Most urgent first.
    expect(rows.nth(0)).to_contain_text(overdue.tracking_no)
    expect(rows.nth(0).locator(".badge.red")).to_have_text("红灯·已超期")
    expect(rows.nth(1)).to_contain_text(due_soon.tracking_no)
    expect(rows.nth(1).locator(".badge.yellow")).to_have_text("黄灯·即将到期")
    expect(rows.nth(2)).to_contain_text(on_time.tracking_no)
    expect(rows.nth(2).locator(".badge.green")).to_have_text("绿灯·正常")
    expect(rows.nth(2).locator("time.due")).to_have_text("2026-12-01 23:59")
    assert_fits_the_width(handler)
    screenshot(handler, "26-tablet-worklist")

    rows.nth(0).get_by_role("link", name=overdue.tracking_no, exact=True).click()
    expect(state_of(handler)).to_have_text(IN_PROGRESS)
    reply_clock = clock(handler, "答复")
    expect(reply_clock.locator(".badge.red")).to_have_text("红灯·已超期")
    assert_fits_the_width(handler)
    screenshot(handler, "27-tablet-case")
    # The forms work at this size too.
    cause = panel(handler, "record_cause")
    labelled(cause, "record_cause-code").select_option(label="信息系统故障")
    labelled(cause, "record_cause-note").fill("一网通办系统上传附件失败")
    submit(cause)
    expect(handler.locator(".case-facts")).to_contain_text("信息系统故障")


def assert_fits_the_width(page: Page) -> None:
    """No sideways scrolling of the page itself (a wide table may scroll in its own box)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
