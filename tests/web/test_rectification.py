"""The workbench's rectification pages (R-KB-2): who sees which items, the office's counts per
unit, the item's page and its forms (done with evidence, verify, send back, the knowledge
entry), refusals in the action's words, hostile input, and query counts."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banchengshi.knowledge.actions import check_withdraw_entry
from banchengshi.knowledge.models import (
    Entry,
    RectificationFile,
    RectificationItem,
    RectificationStatus,
)
from banchengshi.knowledge.rectification.actions import check_report_done, check_verify
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.knowledge.conftest import Analysed, published
from tests.web.conftest import SignedIn

pytestmark = pytest.mark.django_db

LIST = "/staff/rectifications/"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def analysed(cases: CaseBuilder) -> Analysed:
    return Analysed(cases)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip())


def item_url(item: RectificationItem, action: str = "") -> str:
    return f"{LIST}{item.pk}/{action + '/' if action else ''}"


def only_item() -> RectificationItem:
    return RectificationItem.objects.get()


def test_a_unit_sees_its_items_and_the_office_all_with_counts(
    org: Org, analysed: Analysed, staff: SignedIn
) -> None:
    analysed("process")
    analysed("system_fault")
    handler_a = text_of(staff("handler_a").get(LIST).content.decode())
    for item in RectificationItem.objects.all():
        assert f"Rectification {item.pk} 区市场监管局" in handler_a
    assert "By unit" not in handler_a
    assert "No rectification matches." in text_of(staff("handler_b").get(LIST).content.decode())
    office = staff("officeadmin").get(LIST).content.decode()
    overview = text_of(office.split('id="rectification-overview">')[1].split("</table>")[0])
    assert overview == (
        "Rectifications of each unit Unit Open Overdue Done, awaiting verification "
        "Verified 区市场监管局 2 0 0 0"
    )


def test_the_menu_offers_it_by_role(org: Org, staff: SignedIn) -> None:
    for name, shown in (
        ("handler_a", True),
        ("leader_a", True),
        ("windowhead", True),
        ("officeadmin", True),
        ("dispatcher", True),
        ("inspector", True),
        ("clerk", False),
        ("sysadmin", False),
    ):
        page = staff(name).get("/staff/").content.decode()
        assert (f'href="{LIST}"' in page) is shown, name


def test_the_menu_is_called_zhenggai_in_chinese(org: Org, signed_in: SignedIn) -> None:
    page = signed_in("handler_a").get(LIST).content.decode()
    assert "<h1>整改</h1>" in page


def test_an_item_of_another_unit_is_not_found(
    org: Org, analysed: Analysed, staff: SignedIn
) -> None:
    analysed()
    response = staff("handler_b").get(item_url(only_item()))
    assert response.status_code == 404
    assert "No such rectification item." in response.content.decode()


def test_overdue_listing_and_deadline_colours(
    org: Org, analysed: Analysed, staff: SignedIn, frozen_time: FrozenTime
) -> None:
    analysed("process")  # due 2026-12-18
    frozen_time.advance(days=10)
    analysed("system_fault")  # due 2026-12-28
    frozen_time.set(sh(2026, 12, 21, 10))
    client = staff("officeadmin")
    overdue = text_of(client.get(LIST + "?status=overdue").content.decode())
    assert "Overdue 2026-12-18 23:59" in overdue
    assert "2026-12-28" not in overdue
    every = text_of(client.get(LIST).content.decode())
    assert every.index("Overdue 2026-12-18 23:59") < every.index("On time 2026-12-28 23:59")
    office = client.get(LIST).content.decode()
    overview = text_of(office.split('id="rectification-overview">')[1].split("</table>")[0])
    assert overview.endswith("区市场监管局 2 1 0 0")
    frozen_time.set(sh(2026, 12, 28, 10))
    assert "Due soon 2026-12-28 23:59" in text_of(client.get(LIST).content.decode())


def test_filters_by_status_target_and_unit(org: Org, analysed: Analysed, staff: SignedIn) -> None:
    analysed("process")
    analysed("policy")
    client = staff("officeadmin")
    by_target = text_of(client.get(LIST + "?target=service_guide").content.decode())
    process, policy = RectificationItem.objects.order_by("id")
    assert f"Rectification {policy.pk} 区市场监管局 service guide" in by_target
    assert f"Rectification {process.pk} " not in by_target
    assert "No rectification matches." in text_of(
        client.get(LIST + f"?unit={org.dept_a.pk}&status=done").content.decode()
    )
    assert "No rectification matches." in text_of(
        client.get(LIST + "?status=verified").content.decode()
    )


def test_unit_leader_reports_done_with_files_and_the_office_verifies(
    org: Org, analysed: Analysed, staff: SignedIn
) -> None:
    analysed()
    item = only_item()
    leader = staff("leader_a")
    page = leader.get(item_url(item)).content.decode()
    assert 'action="' + item_url(item, "done") + '"' in page
    assert "Verify the fix" not in page
    response = leader.post(
        item_url(item, "done"),
        {
            "evidence": "已修订审批流程，取消重复提交",
            "evidence_files": [SimpleUploadedFile("../新流程.png", PNG_BYTES)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == item_url(item)
    item.refresh_from_db()
    assert item.status == RectificationStatus.DONE
    kept = RectificationFile.objects.get()
    assert (kept.name, kept.content_type, kept.uploaded_by) == (
        "新流程.png",
        "image/png",
        org.leader_a,
    )
    office = staff("officeadmin")
    page = text_of(office.get(item_url(item)).content.decode())
    assert "已修订审批流程，取消重复提交" in page
    assert "新流程.png" in page
    download = office.get(reverse("web:rectification_file", args=[item.pk, kept.pk]))
    assert b"".join(download.streaming_content) == PNG_BYTES  # type: ignore[attr-defined]
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    hidden = staff("handler_b").get(reverse("web:rectification_file", args=[item.pk, kept.pk]))
    assert hidden.status_code == 404
    response = office.post(item_url(item, "verify"), {"note": "抽查三件，已不再重复提交"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.VERIFIED
    listed = text_of(office.get(LIST + "?status=verified").content.decode())
    assert f"Rectification {item.pk} 区市场监管局 process" in listed


def test_the_office_sends_back_with_a_reason(org: Org, analysed: Analysed, staff: SignedIn) -> None:
    analysed()
    item = only_item()
    check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
    office = staff("officeadmin")
    response = office.post(item_url(item, "send-back"), {"reason": "no"})
    assert response.status_code == 422
    assert "The reason needs at least 5 characters." in text_of(response.content.decode())
    response = office.post(item_url(item, "send-back"), {"reason": "办事指南尚未更新"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    history = text_of(office.get(item_url(item)).content.decode()).split("History")[1]
    assert "sent back · officeadmin 办事指南尚未更新" in history


@pytest.mark.parametrize(
    ("user", "action", "status", "message"),
    [
        ("handler_a", "verify", 403, "Only the office verifies rectifications."),
        ("dispatcher", "send-back", 403, "Only the office verifies rectifications."),
        (
            "inspector",
            "done",
            403,
            "Only the owner unit's handlers and leaders report its rectification.",
        ),
        ("officeadmin", "verify", 409, "Only a rectification reported done can be verified."),
        ("leader_a", "done", 409, "Only an open rectification can be reported done."),
    ],
)
def test_refusals_show_the_actions_message(
    org: Org, analysed: Analysed, staff: SignedIn, user: str, action: str, status: int, message: str
) -> None:
    analysed()
    item = only_item()
    if user == "leader_a" or user != "officeadmin":
        check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
    body = {"evidence": "已修订审批流程", "reason": "办事指南尚未更新", "note": ""}
    response = staff(user).post(item_url(item, action), body)
    assert response.status_code == status
    assert message in text_of(response.content.decode())


def test_the_inspector_reads_without_forms(org: Org, analysed: Analysed, staff: SignedIn) -> None:
    case = analysed()
    item = only_item()
    check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
    page = staff("inspector").get(item_url(item)).content.decode()
    assert '<form method="post"' not in page
    assert f'href="/staff/cases/{case.pk}/"' in page


def test_the_item_page_explains_the_deadline_and_lists_its_cases(
    org: Org, analysed: Analysed, staff: SignedIn
) -> None:
    first = analysed()
    page = text_of(staff("handler_a").get(item_url(only_item())).content.decode())
    assert "Rule: 整改：20个工作日内完成（本系统设定）" in page
    assert "20 working days counted: 11-23 , 11-24 , 11-25 , 11-26 , 11-27 , 11-30 ," in page
    assert "Not counted: 11-21 (weekend), 11-22 (weekend), 11-28 (weekend)," in page
    assert first.tracking_no in page
    assert "Reminders sent None so far." in page


def test_the_case_page_links_the_item_it_feeds(
    org: Org, analysed: Analysed, staff: SignedIn
) -> None:
    case = analysed()
    page = staff("handler_a").get(f"/staff/cases/{case.pk}/").content.decode()
    assert f'href="{item_url(only_item())}"' in page
    assert "Rectification this case feeds" in page


def test_linking_the_knowledge_entry(org: Org, analysed: Analysed, staff: SignedIn) -> None:
    analysed()
    item = only_item()
    entry: Entry = published(org, "营业执照变更登记重复提交材料", "已取消重复提交，一次提交即可")
    withdrawn = published(org, "社保卡补办排队过长", "已增设窗口")
    check_withdraw_entry(org.officeadmin, withdrawn.pk)
    client = staff("handler_a")
    found = client.get(item_url(item) + "?entry_q=执照").content.decode()
    assert f'name="entry_id" value="{entry.pk}"' in found
    response = client.post(item_url(item, "entry"), {"entry_id": str(withdrawn.pk)})
    assert response.status_code == 422
    assert "Choose a draft or published knowledge entry." in text_of(response.content.decode())
    response = client.post(item_url(item, "entry"), {"entry_id": str(entry.pk)})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.knowledge_entry == entry
    page = client.get(item_url(item)).content.decode()
    assert "营业执照变更登记重复提交材料" in text_of(page.split('id="linked-entry"')[1])
    api = client.get(f"/api/v1/rectifications/{item.pk}").json()
    assert api["knowledge_entry_id"] == entry.pk
    assert staff("handler_b").post(item_url(item, "entry"), {"unlink": "on"}).status_code == 404
    assert client.post(item_url(item, "entry"), {"unlink": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.knowledge_entry is None
    assert list(item.events.values_list("action", flat=True)) == [
        "opened",
        "entry_linked",
        "entry_unlinked",
    ]


@pytest.mark.parametrize(
    ("action", "body", "message"),
    [
        ("done", {"evidence": "已修订\x00流程"}, "Remove the invisible control character"),
        ("done", {"evidence": "  "}, "This field is required."),
        ("entry", {"entry_id": "abc"}, "Enter a whole number."),
        ("entry", {"entry_id": "99999999999999999999999"}, "Enter a whole number."),
        ("entry", {"entry_id": "0"}, "Ensure this value is greater than or equal to 1."),
        ("entry", {"entry_id": ""}, "Choose a knowledge entry."),
        ("entry", {"entry_id": "424242"}, "Choose a draft or published knowledge entry."),
    ],
)
def test_hostile_input_is_refused_in_words(
    org: Org, analysed: Analysed, staff: SignedIn, action: str, body: dict, message: str
) -> None:
    analysed()
    item = only_item()
    response = staff("handler_a").post(item_url(item, action), body)
    assert response.status_code == 422
    assert message in text_of(response.content.decode())
    item.refresh_from_db()
    assert (item.status, item.knowledge_entry_id) == (RectificationStatus.OPEN, None)
    assert not RectificationFile.objects.exists()


def test_files_are_judged_by_their_bytes_and_counted(
    org: Org, analysed: Analysed, staff: SignedIn, tmp_path: Path
) -> None:
    analysed()
    item = only_item()
    client = staff("handler_a")
    fake = SimpleUploadedFile("证明.png", b"MZ\x90\x00 an executable")
    response = client.post(
        item_url(item, "done"), {"evidence": "已修订审批流程", "evidence_files": [fake]}
    )
    assert response.status_code == 422
    assert "This kind of file is not accepted." in text_of(response.content.decode())
    many = [SimpleUploadedFile(f"{n}.png", PNG_BYTES) for n in range(6)]
    response = client.post(
        item_url(item, "done"), {"evidence": "已修订审批流程", "evidence_files": many}
    )
    assert "Attach at most 5 files." in text_of(response.content.decode())
    assert not RectificationFile.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_bad_filters_filter_nothing(org: Org, analysed: Analysed, staff: SignedIn) -> None:
    analysed()
    client = staff("officeadmin")
    for query in (
        "?status=late",
        "?target=%00",
        "?unit=99999999999999999999999",
        "?page=abc",
        "?page=999999999999",
        "?unit=-1&status=",
    ):
        response = client.get(LIST + query)
        assert response.status_code in (200, 400), query
    assert "区市场监管局" in text_of(client.get(LIST + "?status=late&page=abc").content.decode())


def test_queries_do_not_grow_with_the_items(org: Org, analysed: Analysed, staff: SignedIn) -> None:
    client = staff("officeadmin")
    first = analysed("process")
    item = only_item()
    client.get(LIST)
    client.get(item_url(item))
    with CaptureQueriesContext(connection) as few_list:
        client.get(LIST)
    with CaptureQueriesContext(connection) as few_item:
        client.get(item_url(item))
    for code in ("policy", "system_fault", "staff_conduct", "implementation_list", "process"):
        analysed(code)
    check_report_done(org.handler_a, item.pk, evidence="已修订审批流程")
    check_verify(org.officeadmin, item.pk)
    assert first.pk
    with CaptureQueriesContext(connection) as many_list:
        client.get(LIST)
    with CaptureQueriesContext(connection) as many_item:
        client.get(item_url(item))
    assert len(many_list) == len(few_list)
    assert len(many_item) == len(few_item)


def test_a_number_too_large_for_the_database_is_not_found(
    org: Org, analysed: Analysed, staff: SignedIn
) -> None:
    analysed()
    client = staff("officeadmin")
    huge = "9" * 30
    for url in (
        f"{LIST}{huge}/",
        f"{LIST}1/files/{huge}/",
        f"{LIST}{huge}/files/1/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    for action in ("done", "verify", "send-back", "entry"):
        response = client.post(
            f"{LIST}{huge}/{action}/", {"note": "", "reason": "办事指南尚未更新"}
        )
        assert response.status_code == 404, action
        assert "No such rectification item." in text_of(response.content.decode())
