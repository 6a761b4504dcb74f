"""The public pages without a browser (R-IN-2, R-IN-4, R-Q-2, R-Q-3, R-Q-5): the online window's
report form, the confirmation shown once, the tracking page and rating, the kiosk frame, the
elderly-friendly switch, the service guide, abuse protection, and that no public page shows
another petitioner's data or a staff member's name.

The time the form was shown is signed into it and a submission faster than MIN_SECONDS is
refused as automated; `form_data` signs a time long enough ago.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from banchengshi.cases.actions.answer import check_reply_case, check_supervise_case
from banchengshi.cases.actions.dispatch import check_screen_case, do_receive_case
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.models import Case, ReturnVisit, State, WorkItem
from banchengshi.catalog.models import Matter
from banchengshi.intake import portal
from banchengshi.intake.tracking import rating_token
from banchengshi.notify.models import OutboxMessage
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from banchengshi.web.forms import public_report
from banchengshi.web.public import ELDER_COOKIE
from tests.cases.conftest import PHONE, CaseBuilder, FrozenTime, Org
from tests.cases.test_attachments import EXE, PNG_BYTES
from tests.intake.test_portal import appeal
from tests.web.conftest import SignedIn

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form_data(org: Org, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "petitioner_type": "person",
        "petitioner_name": "王秀英",
        "phone": PHONE,
        "matter_id": org.matter_a.pk,
        "failed_at_unit_id": org.hall.pk,
        "description": "网上提交营业执照变更材料后一直显示审核中，窗口说没有收到",
        "visits_count": "2",
        "website": "",
        "started": signing.dumps(int(time.time()) - 60, salt=public_report.STARTED_SALT),
    }
    data.update(changes)
    return data


def public(language: str = "zh-hans", **headers: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, **headers)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def filed(client: Client, org: Org, path: str = "/report/", **changes: Any) -> tuple[str, str]:
    """File through the form; (tracking number, access code) from the confirmation."""
    response = client.post(path, form_data(org, **changes))
    assert response.status_code == 302, text(response)
    done = text(client.get(response["Location"]))
    number = re.search(r'id="filed-tracking-no">([^<]+)<', done)
    code = re.search(r'id="filed-access-code">([^<]+)<', done)
    assert number
    assert code
    return number.group(1), code.group(1)


# --- home ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "shown", "not_shown"),
    [
        ("putuo", "不予受理：3个工作日内答复并说明理由", "原因分析"),
        ("chongming", "接单后1个工作日内联系企业群众", "原因分析"),
        ("liuzhou", "部门方原因：10个工作日内向群众反馈工作结果", "季度"),
    ],
)
def test_home_says_what_the_window_is_for_and_how_fast(
    org: Org, use_policy: Any, policy: str, shown: str, not_shown: str
) -> None:
    use_policy(policy)
    page = text(public().get("/"))
    assert "办不成事" in page
    assert shown in page
    assert not_shown not in page
    assert 'href="/report/"' in page
    assert 'href="/track/"' in page


# --- report -------------------------------------------------------------------------------------


def test_report_files_an_appeal_and_shows_the_code_once(org: Org) -> None:
    client = public()
    number, code = filed(client, org)
    case = Case.objects.get(tracking_no=number)
    assert (case.channel, case.registered_unit_id, case.state) == (
        "portal",
        org.hub.pk,
        State.REGISTERED,
    )
    assert len(code.replace(" ", "")) == 8
    sms = OutboxMessage.objects.get(case=case, template="appeal_filed")
    assert sms.payload["access_code"] == code.replace(" ", "")
    # Shown once: a reload of the confirmation leads to the tracking form instead.
    again = client.get("/report/done/")
    assert again.status_code == 302
    assert again["Location"] == "/track/"
    # This browser proved it by filing it.
    assert client.get(f"/track/{number}/").status_code == 200


def test_a_phone_is_recorded_as_the_mobile_channel(org: Org) -> None:
    number, _ = filed(public(HTTP_USER_AGENT=IPHONE), org)
    assert Case.objects.get(tracking_no=number).channel == "mobile"


def test_the_form_is_in_chinese_and_names_what_is_needed(org: Org) -> None:
    page = text(public().get("/report/"))
    assert "我要反映" in page
    for label in ("您的姓名", "手机号码", "未办成的事项"):
        assert label in page
    assert org.matter_a.name in page
    assert org.hall.name in page
    assert org.dept_a.name in page  # the matters' group
    assert 'name="website"' in page
    assert 'name="started"' in page


def test_a_matter_of_the_guide_is_chosen_already(org: Org) -> None:
    page = text(public().get(f"/report/?matter={org.matter_a.pk}"))
    assert f'<option value="{org.matter_a.pk}" selected>' in page


def test_bad_input_is_explained_field_by_field_and_nothing_is_filed(org: Org) -> None:
    response = public().post(
        "/report/",
        form_data(
            org, phone="1381234", id_number="310107199003072013", description="", visits_count="x"
        ),
    )
    assert response.status_code == 422
    page = text(response)
    assert "您的反映还没有提交" in page
    for message in ("11 位手机号码", "校验码有误", "至少 5 个字"):
        assert message in page, message
    assert not Case.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_english_messages_for_an_english_browser(org: Org) -> None:
    response = public("en").post("/report/", form_data(org, petitioner_name=""))
    assert response.status_code == 422
    assert "The name is required." in text(response)


def test_an_enterprise_needs_its_credit_code(org: Org) -> None:
    response = public().post(
        "/report/", form_data(org, petitioner_type="enterprise", enterprise_name="上海某某公司")
    )
    assert response.status_code == 422
    assert "统一社会信用代码" in text(response)


def test_files_are_checked_by_their_content(org: Org, media: Path) -> None:
    client = public()
    response = client.post(
        "/report/", {**form_data(org), "attachments": [SimpleUploadedFile("发票.pdf", EXE)]}
    )
    assert response.status_code == 422
    assert "发票.pdf" in text(response)
    assert not Case.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
    photo = SimpleUploadedFile("notice.png", PNG_BYTES)
    ok = client.post("/report/", {**form_data(org), "attachments": [photo]})
    assert ok.status_code == 302
    assert Case.objects.get().attachments.count() == 1


def test_the_kiosk_has_no_file_field(org: Org) -> None:
    assert 'type="file"' not in text(public().get("/kiosk/report/"))
    assert 'type="file"' in text(public().get("/report/"))


@pytest.mark.parametrize(
    "changes",
    [
        {"website": "http://spam.example"},
        {"started": "just now"},
        {"started": "forged"},
        {"started": ""},
    ],
    ids=["honeypot", "too-fast", "forged-time", "no-time"],
)
def test_automated_submissions_are_refused(org: Org, changes: dict[str, Any]) -> None:
    if changes.get("started") == "just now":
        changes["started"] = public_report.started_token()
    response = public().post("/report/", form_data(org, **changes))
    assert response.status_code == 400
    assert "未能提交" in text(response)
    assert not Case.objects.exists()


def test_too_large_a_request_is_refused_before_it_is_read(org: Org) -> None:
    client = public()
    response = client.generic(
        "POST",
        "/report/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "太大" in text(response)
    # Read as an empty body: a form without its signed time, refused in words.
    garbled = client.generic("POST", "/report/", b"", CONTENT_LENGTH="many")
    assert garbled.status_code == 400
    assert "未能提交" in text(garbled)


def test_live_check_of_a_field(org: Org) -> None:
    client = public()
    bad = client.post("/report/check/id_number/", {"id_number": "310107199003072013"})
    assert bad.status_code == 200
    assert "校验码有误" in text(bad)
    good = client.post("/report/check/id_number/", {"id_number": "310107199003072012"})
    assert text(good).strip() == ""
    assert client.post("/report/check/website/", {}).status_code == 404


def test_reports_per_address_are_limited(org: Org) -> None:
    client = public(REMOTE_ADDR="203.0.113.7")
    for _ in range(30):  # opening the form is reading, not filing
        assert client.get("/report/").status_code == 200
    for _ in range(20):
        client.post("/report/", form_data(org))
    response = client.post("/report/", form_data(org))
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "分钟后再试" in text(response)
    assert Case.objects.count() == 20
    # Another address is not held up.
    assert public(REMOTE_ADDR="203.0.113.8").post("/report/", form_data(org)).status_code == 302


@pytest.mark.parametrize(
    "query",
    [
        "/report/?matter=²",
        "/report/?matter=" + "9" * 5000,
        "/guide/?department=²",
        "/guide/?department=99999999999999999999999",
        "/kiosk/report/?matter=-1",
    ],
)
def test_odd_numbers_in_a_query_are_ignored(org: Org, query: str) -> None:
    assert public().get(query).status_code == 200


@pytest.mark.parametrize("field", ["failed_at_unit_id", "matter_id"])
def test_a_number_too_large_for_an_id_is_explained(org: Org, field: str) -> None:
    response = public().post("/report/", form_data(org, **{field: "9" * 25}))
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_public_pages_are_never_kept_by_the_browser(org: Org, cases: CaseBuilder) -> None:
    """The Back button of a shared computer must not show the last person's appeal."""
    case = cases.dispatched()
    client = proven(case)
    for path in (f"/track/{case.tracking_no}/", "/report/", "/"):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_the_plain_wording_of_the_elderly_mode(org: Org) -> None:
    client = public()
    client.cookies[ELDER_COOKIE] = "1"
    page = text(client.get("/report/"))
    assert 'class="public elder"' in page
    for name, label in public_report.PublicReportForm.PLAIN_LABELS.items():
        assert f'for="id_{name}">{_zh(label)}' in page


def _zh(label: Any) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(label)


# --- elderly mode -------------------------------------------------------------------------------


def test_the_elder_switch_is_remembered(org: Org) -> None:
    client = public()
    assert 'class="public"' in text(client.get("/guide/"))
    response = client.post("/elder/", {"elder": "1", "next": "/guide/"})
    assert response.status_code == 302
    assert response["Location"] == "/guide/"
    assert response.cookies[ELDER_COOKIE]["max-age"] == 365 * 24 * 3600
    assert 'class="public elder"' in text(client.get("/"))
    assert 'aria-pressed="true"' in text(client.get("/track/"))
    off = client.post("/elder/", {"elder": "0", "next": "/"})
    assert off.cookies[ELDER_COOKIE].value == ""
    assert 'class="public"' in text(client.get("/"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_elder_switch_stays_on_this_site(org: Org, target: str) -> None:
    response = public().post("/elder/", {"elder": "1", "next": target})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "path", ["/", "/report/", "/track/", "/guide/", "/kiosk/", "/kiosk/track/"]
)
def test_every_public_page_has_the_switch(org: Org, path: str) -> None:
    assert 'id="elder-switch"' in text(public().get(path))


# --- tracking -----------------------------------------------------------------------------------


def test_find_an_appeal_by_code_or_phone_digits(org: Org, cases: CaseBuilder) -> None:
    number, code = filed(public(), org)
    for secret in (code, code.replace(" ", "")):
        client = public()
        response = client.post("/track/", {"tracking_no": number.lower(), "secret": secret})
        assert response.status_code == 302
        assert response["Location"] == f"/track/{number}/"
        page = text(client.get(response["Location"]))
        assert number in page
        assert "正在审核" in page
    # An appeal with a code opens only with it; one from the window with the phone's digits.
    assert (
        public().post("/track/", {"tracking_no": number, "secret": PHONE[-4:]}).status_code == 422
    )
    window = cases.register()
    assert proven(window).get(f"/track/{window.tracking_no}/").status_code == 200


def test_a_wrong_pair_says_the_same_for_an_unknown_number(org: Org) -> None:
    number, _ = filed(public(), org)
    wrong = public().post("/track/", {"tracking_no": number, "secret": "0000"})
    unknown = public().post("/track/", {"tracking_no": "PT-2026-999999", "secret": "5678"})
    assert wrong.status_code == unknown.status_code == 422
    message = "编号与查询码（或手机号后四位）不一致"
    assert message in text(wrong)
    assert message in text(unknown)
    assert "王秀英" not in text(wrong)


def test_strangers_guessing_one_number_do_not_lock_the_petitioner_out(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.register()
    for n in range(10):
        public(REMOTE_ADDR=f"198.51.100.{n}").post(
            "/track/", {"tracking_no": case.tracking_no, "secret": f"{n:04d}"}
        )
    # The number is under attack: a stranger's next guesses cost double (intake/tracking.py),
    # but the right digits still open the page, from a new address too.
    late = public(REMOTE_ADDR="198.51.100.99").post(
        "/track/", {"tracking_no": case.tracking_no, "secret": PHONE[-4:]}
    )
    assert late.status_code == 302


def test_looking_often_locks_nobody_out(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    for n in range(15):
        client = public(REMOTE_ADDR=f"198.51.100.{n}")
        response = client.post("/track/", {"tracking_no": case.tracking_no, "secret": PHONE[-4:]})
        assert response.status_code == 302


def test_a_case_page_needs_proof_in_this_browser(org: Org) -> None:
    number, _ = filed(public(), org)
    response = public().get(f"/track/{number}/")
    assert response.status_code == 302
    assert response["Location"] == f"/track/?no={number}"
    # No such number: the same answer, nothing learnt.
    assert public().get("/track/PT-2026-999999/")["Location"] == "/track/?no=PT-2026-999999"


def proven(case: Case) -> Client:
    client = public()
    response = client.post("/track/", {"tracking_no": case.tracking_no, "secret": PHONE[-4:]})
    assert response.status_code == 302
    return client


def test_the_case_page_shows_steps_units_deadline_and_answer(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    client = proven(case)
    page = text(client.get(f"/track/{case.tracking_no}/"))
    assert "已受理并转交承办单位：区市场监管局" in page
    assert "2026-11-25" in page  # general: 3 working days from Friday 11-20
    case = cases.replied()
    page = text(proven(case).get(f"/track/{case.tracking_no}/"))
    assert "已电话告知需补交股东会决议" in page


def answered_online(org: Org) -> tuple[Case, str]:
    """An appeal filed online and answered by department A; (case, access code)."""
    filing = portal.check_file_appeal(appeal(org), [])
    case_id = filing.case.pk
    check_screen_case(org.dispatcher, case_id, admissible=True)
    do_receive_case(org.handler_a, case_id)
    check_record_cause(org.handler_a, case_id, code="materials", note="申请人未提供股东会决议")
    check_reply_case(org.handler_a, case_id, text="已电话告知需补交股东会决议，补交后当日办结")
    return Case.objects.get(pk=case_id), filing.access_code


def by_code(case: Case, code: str, path: str = "/track/") -> Client:
    client = public()
    response = client.post(path, {"tracking_no": case.tracking_no, "secret": code})
    assert response.status_code == 302
    return client


def test_the_phones_digits_open_the_page_but_do_not_rate(org: Org, cases: CaseBuilder) -> None:
    """Every masked number the staff see ends in those digits: a unit must not rate itself."""
    case = cases.replied()
    client = proven(case)
    page = text(client.get(f"/track/{case.tracking_no}/"))
    assert 'id="rating-form"' not in page
    assert "评价答复请打开答复短信中的链接" in page
    response = client.post(f"/track/{case.tracking_no}/rate/", {"satisfaction": "5", "solved": "1"})
    assert response.status_code == 403
    assert not ReturnVisit.objects.exists()
    assert WorkItem.objects.filter(case=case, kind="return_visit").exists()


def test_rating_on_the_tracking_page_reaches_the_supervision_list(
    org: Org, signed_in: SignedIn
) -> None:
    case, code = answered_online(org)
    client = by_code(case, code)
    assert 'id="rating-form"' in text(client.get(f"/track/{case.tracking_no}/"))
    response = client.post(
        f"/track/{case.tracking_no}/rate/",
        {"satisfaction": "2", "solved": "0", "comment": "材料补了还是没办成"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/track/{case.tracking_no}/?rated=1"
    page = text(client.get(response["Location"]))
    assert "感谢您的评价" in page
    assert "不满意" in page
    assert 'id="rating-form"' not in page
    visit = ReturnVisit.objects.get(case=case)
    assert (visit.by, visit.channel, visit.satisfaction, visit.solved) == (
        "petitioner",
        "portal",
        2,
        False,
    )
    hub = text(signed_in("dispatcher").get("/staff/hub/"))
    supervision = hub[hub.index('id="supervision"') :]
    supervision = supervision[: supervision.index("</section>")]
    assert case.tracking_no in supervision


def test_rating_needs_the_proof_and_a_choice(org: Org) -> None:
    case, code = answered_online(org)
    stranger = public().post(
        f"/track/{case.tracking_no}/rate/", {"satisfaction": "1", "solved": "0"}
    )
    assert stranger.status_code == 302
    assert stranger["Location"].startswith("/track/?no=")
    incomplete = by_code(case, code).post(f"/track/{case.tracking_no}/rate/", {"satisfaction": "9"})
    assert incomplete.status_code == 422
    assert not ReturnVisit.objects.exists()


def test_the_sms_link_rates_the_answer_it_came_with(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    link = f"/r/{rating_token(case.pk, 1)}/"
    client = public()
    page = text(client.get(link))
    assert case.tracking_no in page
    assert 'id="rating-form"' in page
    response = client.post(link, {"satisfaction": "5", "solved": "1"})
    assert response.status_code == 302
    visit = ReturnVisit.objects.get(case=case)
    assert (visit.channel, visit.satisfaction) == ("sms_link", 5)
    # A second use of the link says it was rated, and changes nothing.
    again = client.post(link, {"satisfaction": "1", "solved": "0"})
    assert again.status_code == 422
    assert "您已评价过这次答复" in text(again)
    assert ReturnVisit.objects.get().satisfaction == 5


def test_a_forged_or_old_link(org: Org, cases: CaseBuilder) -> None:
    case = cases.replied()
    forged = public().get(f"/r/{rating_token(case.pk, 1)[:-2]}xx/")
    assert forged.status_code == 404
    assert "链接无效" in text(forged)
    # The first answer's link, after supervision brought a second answer.
    link = f"/r/{rating_token(case.pk, 1)}/"
    assert public().post(link, {"satisfaction": "2", "solved": "0"}).status_code == 302
    check_supervise_case(org.dispatcher, case.pk, reason="反映人评价不满意", days=3)
    check_reply_case(org.handler_a, case.pk, text="经督办已为您办结营业执照变更")
    old = public().post(link, {"satisfaction": "5", "solved": "1"})
    assert old.status_code == 422
    assert "较早的答复" in text(old)
    assert ReturnVisit.objects.filter(round=2).count() == 0


# --- no public page tells what is not the person's own -----------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "action"):
            if found.get(name):
                self.targets.append(str(found[name]))


def test_no_staff_name_and_no_other_petitioner_on_any_public_page(
    org: Org, cases: CaseBuilder
) -> None:
    for user, (last, first) in (
        (org.clerk, ("欧阳", "明珠")),
        (org.handler_a, ("司马", "光远")),
        (org.dispatcher, ("诸葛", "慧敏")),
    ):
        User.objects.filter(pk=user.pk).update(last_name=last, first_name=first)
    mine = cases.dispatched(petitioner_name="王秀英")
    do_receive_case(User.objects.get(pk=org.handler_a.pk), mine.pk)
    check_record_contact(
        User.objects.get(pk=org.handler_a.pk),
        mine.pk,
        method="phone",
        outcome="已联系，司马光远负责办理",
    )
    check_record_cause(
        User.objects.get(pk=org.handler_a.pk),
        mine.pk,
        code="materials",
        note="申请人未提供股东会决议",
    )
    check_reply_case(
        User.objects.get(pk=org.handler_a.pk),
        mine.pk,
        text="经办人司马光远：已为您办结，如有疑问请致电13955556666或区市场监管局021-52564588",
    )
    theirs = cases.register(petitioner_name="赵铁柱", phone="13700001111", id_number="")
    client = proven(mine)
    pages = [f"/track/{mine.tracking_no}/", "/", "/report/", "/track/", "/guide/", "/kiosk/"]
    pages += [f"/guide/{org.matter_a.code}/", f"/r/{rating_token(mine.pk, 1)}/"]
    seen = ""
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        seen += text(response)
    for secret in ("欧阳明珠", "司马光远", "诸葛慧敏", "clerk", "handlerA", "dispatcher"):
        assert secret not in seen, secret
    for other in ("赵铁柱", "13700001111", theirs.tracking_no, "13955556666"):
        assert other not in seen, other
    assert "021-52564588" in seen  # the unit's office number stays readable
    # The other appeal is not reachable from this browser.
    assert client.get(f"/track/{theirs.tracking_no}/").status_code == 302


# --- kiosk --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/kiosk/", "/kiosk/report/", "/kiosk/track/"])
def test_no_way_out_of_the_kiosk(org: Org, path: str) -> None:
    links = Links()
    links.feed(text(public().get(path)))
    assert links.targets
    outside = [t for t in links.targets if not t.startswith(("/kiosk/", "/elder/", "/i18n/"))]
    # Static files (stylesheets and scripts) are not places to go.
    assert [t for t in outside if not t.startswith("/static/")] == []


def test_kiosk_records_its_channel_and_finishes_by_forgetting(org: Org) -> None:
    client = public()
    number, _ = filed(client, org, path="/kiosk/report/")
    assert Case.objects.get(tracking_no=number).channel == "kiosk"
    assert client.get(f"/kiosk/track/{number}/").status_code == 200
    client.cookies[ELDER_COOKIE] = "1"
    response = client.post("/kiosk/reset/")
    assert response["Location"] == "/kiosk/"
    assert response.cookies[ELDER_COOKIE].value == ""
    assert client.get(f"/kiosk/track/{number}/").status_code == 302


def test_the_kiosk_rating_is_recorded_as_such(org: Org) -> None:
    case, code = answered_online(org)
    client = by_code(case, code, "/kiosk/track/")
    response = client.post(
        f"/kiosk/track/{case.tracking_no}/rate/", {"satisfaction": "4", "solved": "1"}
    )
    assert response["Location"] == f"/kiosk/track/{case.tracking_no}/?rated=1"
    assert ReturnVisit.objects.get(case=case).channel == "kiosk"


def test_the_kiosk_reset_is_a_post_and_forgets_the_language(org: Org) -> None:
    client = public()
    assert client.get("/kiosk/reset/").status_code == 405
    client.cookies["django_language"] = "en"
    response = client.post("/kiosk/reset/")
    assert response.cookies["django_language"].value == ""


def test_the_kiosk_limits_are_the_terminals_only(org: Org, settings: Any) -> None:
    """Without named terminals the kiosk pages have the public limits; a named terminal serves
    a whole hall and has more."""
    for _ in range(20):
        public(REMOTE_ADDR="203.0.113.50").post("/kiosk/report/", form_data(org))
    assert (
        public(REMOTE_ADDR="203.0.113.50").post("/kiosk/report/", form_data(org)).status_code == 429
    )
    settings.BANCHENGSHI_KIOSK_ADDRESSES = ["10.8.0.0/24"]
    terminal = public(REMOTE_ADDR="10.8.0.17")
    for _ in range(25):
        assert terminal.post("/kiosk/report/", form_data(org)).status_code == 302


def test_the_kiosk_resets_after_the_idle_time_set(org: Org, settings: Any) -> None:
    settings.BANCHENGSHI_KIOSK_IDLE_SECONDS = 45
    page = text(public().get("/kiosk/"))
    assert 'data-idle-seconds="45"' in page
    assert 'data-warning-seconds="11"' in page
    assert 'id="kiosk-idle"' in page


def test_kiosk_pages_only_at_the_terminals_when_named(org: Org, settings: Any) -> None:
    settings.BANCHENGSHI_KIOSK_ADDRESSES = ["10.8.0.0/24"]
    assert public(REMOTE_ADDR="10.8.0.17").get("/kiosk/").status_code == 200
    away = public(REMOTE_ADDR="203.0.113.9").get("/kiosk/report/")
    assert away.status_code == 403
    assert public(REMOTE_ADDR="203.0.113.9").get("/").status_code == 200


# --- service guide ------------------------------------------------------------------------------


def test_the_guide_lists_public_matters_with_their_facts(org: Org) -> None:
    org.matter_a.legal_limit_days = 5
    org.matter_a.online = True
    org.matter_a.save()
    Matter.objects.create(code="M-X", name="内部事项", is_public=False)
    page = text(public().get("/guide/"))
    assert org.matter_a.name in page
    assert org.matter_h.name in page
    assert "内部事项" not in page
    assert "5个工作日" in page
    assert "可网办" in page
    detail = text(public().get(f"/guide/{org.matter_a.code}/"))
    assert org.dept_a.name in detail
    assert f"/report/?matter={org.matter_a.pk}" in detail
    hall = text(public().get(f"/guide/{org.matter_h.code}/"))
    assert org.hall.name in hall
    missing = public().get("/guide/M-X/")
    assert missing.status_code == 404
    assert "不在办事指南中" in text(missing)


def test_the_guide_searches_and_filters(org: Org) -> None:
    assert org.matter_h.name not in text(public().get("/guide/?q=营业执照"))
    by_department = text(public().get(f"/guide/?department={org.dept_a.pk}"))
    assert org.matter_a.name in by_department
    assert org.matter_h.name not in by_department
    assert public().get("/guide/?department=x&page=abc").status_code == 200


def test_the_guide_costs_the_same_for_a_bigger_catalogue(org: Org) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert public().get("/guide/").status_code == 200
        return len(captured.captured_queries)

    queries()  # the address's rate counter is made by the first request of the window
    few = queries()
    Matter.objects.bulk_create(
        Matter(code=f"G-{n:03d}", name=f"事项{n}", owning_department=org.dept_b) for n in range(60)
    )
    assert queries() == few


def test_unit_handlers_do_not_see_the_public_pages_differently(
    org: Org, signed_in: SignedIn
) -> None:
    """A signed-in clerk opening the portal sees the public page, not their workbench data."""
    do_grant_role(org.clerk, org.hub, Role.WINDOW_CLERK)
    page = text(signed_in("clerk").get("/"))
    assert "我要反映" in page
    assert "clerk" not in page


def test_a_proof_is_forgotten_after_an_hour(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    """A shared computer in a library or a hall must not show the last person's appeal."""
    case = cases.dispatched()
    client = proven(case)
    frozen_time.advance(minutes=59)
    assert client.get(f"/track/{case.tracking_no}/").status_code == 200
    frozen_time.advance(minutes=2)
    assert client.get(f"/track/{case.tracking_no}/").status_code == 302
