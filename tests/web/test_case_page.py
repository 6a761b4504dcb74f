"""The case page: what it shows, to whom (masking, scope), attachments, and its cost."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banchengshi.cases import attachments
from banchengshi.cases.actions.answer import check_supervise_case
from banchengshi.cases.actions.clock_requests import check_decide_request, check_request_extension
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.handling import check_record_contact
from banchengshi.cases.models import Attachment, Case
from banchengshi.workdays import registry
from tests.cases.conftest import ID_NUMBER, PHONE, CaseBuilder, FrozenTime, Org, sh
from tests.cases.test_attachments import EXE
from tests.cases.test_attachments import PDF_BYTES as PDF
from tests.cases.test_attachments import PNG_BYTES as PNG
from tests.web.conftest import SignedIn


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def page(client: Client, case: Case) -> str:
    response = client.get(reverse("web:case", args=[case.pk]))
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def text(html: str) -> str:
    """The words of a page, tags and repeated spaces removed."""
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([,:)])", r"\1", words)


# --- what the page shows --------------------------------------------------------------------------


def test_the_page_shows_the_case(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.in_progress(
        petitioner_type="enterprise",
        enterprise_name="上海某某餐饮有限公司",
        credit_code="91310107MA1G00000Q",
        request="希望一周内办结",
    )
    words = text(page(staff("handler_a"), case))
    assert case.tracking_no in words
    for expected in (
        "in progress",
        "service-center window",
        "2026-11-20 10:00",  # received, Asia/Shanghai
        "区政务服务中心大厅",  # registered at
        "张三",
        "上海某某餐饮有限公司",
        "91310107MA1G00000Q",
        "营业执照变更登记",  # the matter
        "材料被退回三次",  # what failed
        "希望一周内办结",
        "区市场监管局",  # responsible and handling unit
        "not analysed yet",
    ):
        assert expected in words, expected


def test_clocks_show_their_colour_and_why_their_date(
    org: Org, cases: CaseBuilder, staff: SignedIn, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress()  # received Fri 11-20 10:00 under putuo: general, 3 working days
    words = text(page(staff("handler_a"), case))
    # The reply is due Wed 11-25: Mon, Tue, Wed counted; the weekend skipped.
    assert "reply On time Due 2026-11-25 23:59" in words
    assert "3 working days counted: 11-23, 11-24, 11-25" in words
    assert "Not counted: 11-21 (weekend), 11-22 (weekend)" in words
    assert "Rule: 一般问题：3个工作日内反馈" in words
    frozen_time.set(sh(2026, 11, 25, 9))
    assert "reply Due soon Due 2026-11-25 23:59" in text(page(staff("handler_a"), case))
    frozen_time.set(sh(2026, 11, 26, 9))
    html = page(staff("handler_a"), case)
    assert '<span class="badge red">Overdue</span>' in html


def test_stopped_clocks_are_shown_as_done(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.closed()
    words = text(page(staff("dispatcher"), case))
    assert "No time limit is running." in words
    assert "time limits met or ended" in words
    assert "cause analysis Done" in words


def test_the_timeline_says_who_did_what_and_when(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.replied()
    words = text(page(staff("handler_a"), case))
    for line in (
        "2026-11-20 10:00 Registered by clerk registered",
        "Accepted by clerk registered → dispatched",
        "Unit 区市场监管局 Dispatch automatic",
        "Signed for by handlerA dispatched → in progress",
        "Cause analysed by handlerA Cause Petitioner's materials incomplete or wrong",
        "Replied by handlerA in progress → replied Reply channel SMS",
    ):
        assert line in words, line


def test_the_records_are_listed(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.in_progress()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实参保缴费记录", days=2
    )
    check_answer_cohandling(org.handler_b, case.pk, task_id=task.pk, answer="已核实，缴费记录正常")
    check_record_contact(
        org.handler_a, case.pk, method="phone", outcome="已电话联系，约定周一补交材料"
    )
    check_request_extension(org.handler_a, case.pk, days=2, reason="需要调取档案核实")
    words = text(page(staff("handler_a"), case))
    assert "区人社局 请核实参保缴费记录 handlerB" not in words  # asked by A, answered by B
    assert "区人社局 请核实参保缴费记录 handlerA" in words
    assert "已核实，缴费记录正常 handlerB" in words
    assert "phone handlerA 已电话联系，约定周一补交材料" in words
    assert "extension · 2 working days 需要调取档案核实 handlerA" in words
    assert "pending" in words


def test_return_visits_and_supervisions_are_listed(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.visited(satisfaction=2)
    check_supervise_case(org.dispatcher, case.pk, reason="回访不满意，要求重新办理", days=3)
    words = text(page(staff("dispatcher"), case))
    assert "dissatisfied" in words
    assert "回访不满意，要求重新办理 2026-11-25 dispatcher" in words
    assert "Round 2" in words


# --- who sees what --------------------------------------------------------------------------------


def test_personal_data_is_masked_for_roles_that_do_not_call_the_petitioner(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.in_progress()
    handler = page(staff("handler_a"), case)
    assert PHONE in handler
    assert ID_NUMBER in handler
    assert "partly hidden" not in handler
    for role in ("inspector", "leader_a"):
        html = page(staff(role), case)
        assert PHONE not in html, role
        assert ID_NUMBER not in html, role
        assert "138****5678" in html
        assert "310107********2012" in html
        assert "partly hidden" in html


@pytest.mark.parametrize("who", ["handler_b", "handler_a1"])
def test_a_case_out_of_reach_is_refused(
    org: Org, cases: CaseBuilder, staff: SignedIn, who: str
) -> None:
    case = cases.in_progress()
    response = staff(who).get(reverse("web:case", args=[case.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "No case with this number is within your reach." in html
    assert case.tracking_no not in html
    missing = staff("dispatcher").get(reverse("web:case", args=[case.pk + 1000]))
    assert missing.status_code == 404
    assert "No case with this number is within your reach." in missing.content.decode()


def test_the_page_needs_sign_in(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    response = Client().get(reverse("web:case", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_only_the_actions_the_person_may_take_now_are_offered(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.dispatched()
    handler = page(staff("handler_a"), case)
    assert reverse("web:case_act", args=[case.pk, "receive"]) in handler
    assert reverse("web:case_act", args=[case.pk, "reply"]) not in handler
    inspector = page(staff("inspector"), case)
    assert "/act/" not in inspector
    assert "Nothing is waiting for you on this case now." in inspector
    assert reverse("web:case_attach", args=[case.pk]) not in inspector


# --- attachments ----------------------------------------------------------------------------------


def upload(client: Client, case: Case, name: str, content: bytes, note: str = "") -> str:
    response = client.post(
        reverse("web:case_attach", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content), "note": note},
        follow=True,
    )
    return f"{response.status_code} {response.content.decode()}"


def test_uploading_and_downloading_a_file(
    org: Org, cases: CaseBuilder, staff: SignedIn, media: Path
) -> None:
    case = cases.in_progress()
    handler = staff("handler_a")
    answer = upload(handler, case, "通知书.PDF", PDF, note="窗口出具的退件通知")
    assert answer.startswith("200 ")
    assert "The file is attached." in answer
    assert "通知书.pdf" in answer
    assert "窗口出具的退件通知" in answer
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "application/pdf"
    assert (media / attachment.file.name).read_bytes() == PDF
    assert "通知书" not in attachment.file.name  # stored under a random name
    url = reverse("web:case_attachment", args=[case.pk, attachment.pk])
    assert url in answer
    for person in ("handler_a", "inspector", "clerk"):
        response = staff(person).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "%E9%80%9A%E7%9F%A5%E4%B9%A6.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_png_is_accepted_whatever_its_name_says(
    org: Org, cases: CaseBuilder, staff: SignedIn, media: Path
) -> None:
    case = cases.dispatched()
    assert "The file is attached." in upload(staff("dispatcher"), case, "photo.pdf", PNG)
    attachment = Attachment.objects.get(case=case)
    assert (attachment.name, attachment.content_type) == ("photo.pdf.png", "image/png")


def test_a_program_renamed_pdf_is_refused(
    org: Org, cases: CaseBuilder, staff: SignedIn, media: Path
) -> None:
    case = cases.in_progress()
    answer = upload(staff("handler_a"), case, "invoice.pdf", EXE)
    assert answer.startswith("422 ")
    assert "This kind of file is not accepted." in answer
    assert 'aria-invalid="true"' in answer
    assert not Attachment.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_file_over_the_limit_is_refused(
    org: Org, cases: CaseBuilder, staff: SignedIn, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "MAX_BYTES", 1024)
    case = cases.in_progress()
    answer = upload(staff("handler_a"), case, "scan.png", PNG + b"\x00" * 2000)
    assert answer.startswith("422 ")
    assert "at most 1.0\xa0KB may be attached" in answer
    assert not Attachment.objects.exists()


def test_downloads_are_refused_outside_the_case_reach(
    org: Org, cases: CaseBuilder, staff: SignedIn, media: Path
) -> None:
    case = cases.in_progress()
    other = cases.in_progress()
    upload(staff("handler_a"), case, "a.png", PNG)
    attachment = Attachment.objects.get(case=case)
    outsider = staff("handler_b").get(reverse("web:case_attachment", args=[case.pk, attachment.pk]))
    assert outsider.status_code == 404
    assert "No case with this number is within your reach." in outsider.content.decode()
    # Another case's number does not reach this case's file either.
    wrong_case = staff("handler_a").get(
        reverse("web:case_attachment", args=[other.pk, attachment.pk])
    )
    assert wrong_case.status_code == 404


def test_nobody_attaches_to_a_closed_case(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.closed()
    assert reverse("web:case_attach", args=[case.pk]) not in page(staff("dispatcher"), case)


# --- cost -----------------------------------------------------------------------------------------


def queries_for(client: Client, case: Case) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client, case)
    return len(queries.captured_queries)


@pytest.fixture
def steady_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    """The calendar asks the database again every 10 s of real time; not during a count."""
    monkeypatch.setattr(registry, "RECHECK_SECONDS", 10**9)


def busy(org: Org, cases: CaseBuilder, media: Path) -> Case:
    """A case in progress with many events and records of every kind."""
    case = cases.in_progress()
    for n in range(3):
        task = check_request_cohandling(
            org.handler_a, case.pk, unit_id=org.dept_b.pk, request=f"请核实第{n}项记录", days=2
        )
        check_answer_cohandling(org.handler_b, case.pk, task_id=task.pk, answer="已核实，记录正常")
    for n in range(8):
        check_record_contact(org.handler_a, case.pk, method="phone", outcome=f"第{n}次电话联系")
    for n in range(3):
        request = check_request_extension(org.handler_a, case.pk, days=1, reason="需要调取档案核实")
        check_decide_request(
            org.dispatcher, case.pk, request_id=request.pk, approve=n == 0, note="不同意延期"
        )
    for n in range(4):
        attachments.check_add_attachment(
            org.handler_a, case.pk, SimpleUploadedFile(f"{n}.png", PNG), "现场照片"
        )
    check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.hall.pk, request="请窗口补充说明", days=2
    )
    return case


def test_the_page_costs_the_same_for_a_quiet_and_a_busy_case(
    org: Org, cases: CaseBuilder, staff: SignedIn, media: Path, steady_calendar: None
) -> None:
    quiet = cases.in_progress()
    loud = busy(org, cases, media)
    assert Case.objects.get(pk=loud.pk).events.count() > 25
    handler = staff("handler_a")
    page(handler, quiet)  # warm the per-process caches
    assert queries_for(handler, quiet) == queries_for(handler, loud)


def test_the_page_costs_the_same_with_10_and_with_200_cases(
    org: Org, cases: CaseBuilder, staff: SignedIn, steady_calendar: None
) -> None:
    case = cases.in_progress()
    for _ in range(9):
        cases.in_progress()
    handler, dispatcher = staff("handler_a"), staff("dispatcher")
    page(handler, case)
    few = (queries_for(handler, case), queries_for(dispatcher, case))
    for _ in range(190):
        cases.register()
    assert Case.objects.count() == 200
    assert (queries_for(handler, case), queries_for(dispatcher, case)) == few
