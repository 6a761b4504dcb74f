"""The case library on the workbench (R-KB-1): the list with its search and filters, writing an
entry by hand, an entry's page with its versions and source cases, the reviewer's publish and
withdraw; who may do what, with the exact messages; hostile input; constant query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banchengshi.knowledge.actions import (
    EntryFields,
    check_create_entry,
    check_draft_from_case,
    check_edit_entry,
    check_publish_entry,
)
from banchengshi.knowledge.models import Entry, EntryStatus, Visibility
from tests.cases.conftest import CaseBuilder, Org
from tests.knowledge.conftest import published
from tests.web.conftest import SignedIn

LIST = "/staff/knowledge/"
NEW = "/staff/knowledge/new/"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def body(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.content.decode())


def entry_url(entry: Entry) -> str:
    return reverse("web:knowledge_entry", args=[entry.pk])


def form(org: Org, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "problem": "社保卡补办时系统提示信息不一致",
        "cause_code": "system_fault",
        "solution": "到人社窗口核对身份信息后重新提交",
        "matter_ids": [org.matter_h.pk],
        "unit_ids": [org.dept_b.pk],
        "tags": "社保卡 补办",
        "source_cases": "",
        "visibility": "internal",
    }
    values.update(changes)
    return values


# --- who reaches the pages ------------------------------------------------------------------


def test_it_sends_anonymous_people_to_sign_in(org: Org, client) -> None:  # type: ignore[no-untyped-def]
    entry = published(org, "社保卡补办时系统提示信息不一致", "到人社窗口核对身份信息")
    for url in (LIST, NEW, entry_url(entry)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/staff/login/?next={url}"
    response = client.post(reverse("web:knowledge_publish", args=[entry.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name", ["clerk", "handler_a", "leader_a", "dispatcher", "officeadmin", "inspector", "sysadmin"]
)
def test_it_shows_the_menu_item_to_every_role(signed_in: SignedIn, name: str) -> None:
    html = body(signed_in(name).get(LIST))
    assert '<a href="/staff/knowledge/" aria-current="page">案例库</a>' in html


def test_it_offers_writing_only_to_authors(signed_in: SignedIn) -> None:
    assert "新建条目" in body(signed_in("handler_a").get(LIST))
    assert "新建条目" not in body(signed_in("inspector").get(LIST))
    response = signed_in("inspector").get(NEW)
    assert response.status_code == 403
    assert "您的角色不能编写知识条目。" in body(response)
    response = signed_in("inspector").post(NEW, {"problem": "x"})
    assert response.status_code == 403


# --- the list -------------------------------------------------------------------------------


def test_it_searches_two_characters_and_marks_them(org: Org, signed_in: SignedIn) -> None:
    social = published(org, "社保卡补办时系统提示信息不一致", "到人社窗口核对身份信息")
    published(org, "户口迁移需要的证明开不出来", "派出所可直接开具户籍证明")
    html = body(signed_in("clerk").get(LIST, {"q": "社保"}))
    assert f'<a href="{entry_url(social)}"><mark>社保</mark>卡补办时系统提示信息不一致</a>' in html
    assert "户口迁移" not in html
    assert '<span class="count">1</span>' in html


def test_it_ranks_problem_before_solution_then_recency(org: Org, signed_in: SignedIn) -> None:
    in_solution = published(org, "证明开不出来怎么办", "可以到社保中心窗口开具")
    older = published(org, "社保缴费记录查不到", "到人社窗口查询")
    newer = published(org, "社保卡激活失败", "换一张卡重新激活")
    html = body(signed_in("clerk").get(LIST, {"q": "社保"}))
    order = [int(n) for n in re.findall(r'id="entry-(\d+)"', html)]
    assert order == [newer.pk, older.pk, in_solution.pk]


def test_it_filters_by_status_visibility_cause_matter_and_department(
    org: Org, signed_in: SignedIn
) -> None:
    public = published(
        org,
        "户口迁移需要的证明开不出来",
        "派出所可直接开具户籍证明",
        visibility="public",
        cause_code="process",
        matter_ids=(org.matter_a.pk,),
        unit_ids=(org.dept_a.pk,),
    )
    internal = published(org, "社保卡补办时系统提示信息不一致", "到人社窗口核对身份信息")
    draft = check_create_entry(
        org.handler_a, EntryFields(problem="营业执照变更要跑三次", solution="一窗通办")
    )
    client = signed_in("clerk")

    def shown(**params: object) -> list[int]:
        html = body(client.get(LIST, params))
        return [int(n) for n in re.findall(r'id="entry-(\d+)"', html)]

    assert shown() == [draft.pk, internal.pk, public.pk]
    assert shown(status="draft") == [draft.pk]
    assert shown(status="published") == [internal.pk, public.pk]
    assert shown(visibility="public") == [public.pk]
    assert shown(cause="process") == [public.pk]
    assert shown(matter=org.matter_a.pk) == [public.pk]
    assert shown(unit=org.dept_a.pk) == [public.pk]
    assert shown(unit=org.dept_b.pk) == []
    # A value that is no choice filters nothing and says why.
    html = body(client.get(LIST, {"status": "nope", "matter": "abc"}))
    assert "选择一个有效的选项" in html
    assert len(re.findall(r'id="entry-(\d+)"', html)) == 3


def test_it_counts_drafts_for_reviewers_only(org: Org, signed_in: SignedIn) -> None:
    for n in range(2):
        check_create_entry(
            org.handler_a, EntryFields(problem=f"第{n}个待审核的问题", solution="解决办法足够长")
        )
    html = body(signed_in("officeadmin").get(LIST))
    badge = r'id="drafts-waiting"[^>]*>待审核草稿 <span class="badge yellow">2</span>'
    assert re.search(badge, html)
    assert 'id="drafts-waiting"' not in body(signed_in("handler_a").get(LIST))


def test_it_pages_the_list(org: Org, signed_in: SignedIn) -> None:
    for n in range(21):
        check_create_entry(
            org.handler_a, EntryFields(problem=f"第{n}号问题描述", solution="解决办法足够长")
        )
    client = signed_in("clerk")
    first = body(client.get(LIST))
    assert len(re.findall(r'id="entry-\d+"', first)) == 20
    assert 'rel="next"' in first
    second = body(client.get(LIST, {"page": "2"}))
    assert "第0号问题描述" in second
    assert len(re.findall(r'id="entry-\d+"', second)) == 1
    assert client.get(LIST, {"page": "x"}).status_code == 200


def test_it_reads_a_constant_number_of_queries(org: Org, signed_in: SignedIn) -> None:
    client = signed_in("officeadmin")

    def queries(**params: object) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, params).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for n in range(count):
            published(
                org,
                f"社保卡第{n}次补办失败",
                "到人社窗口核对身份信息",
                matter_ids=(org.matter_h.pk,),
                unit_ids=(org.dept_b.pk,),
            )

    add(2)
    queries()  # the first request of a session also reads what later ones keep
    few = (queries(), queries(q="社保"), queries(matter=org.matter_h.pk))
    add(10)
    assert (queries(), queries(q="社保"), queries(matter=org.matter_h.pk)) == few


# --- writing by hand ------------------------------------------------------------------------


def test_it_creates_an_entry_with_every_field(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    source = cases.closed()
    client = signed_in("handler_a")
    response = client.post(NEW, form(org, source_cases=f" {source.tracking_no}，"))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry_url(entry)
    assert (entry.status, entry.author, entry.cause_code, entry.tags, entry.visibility) == (
        EntryStatus.DRAFT,
        org.handler_a,
        "system_fault",
        "社保卡 补办",
        Visibility.INTERNAL,
    )
    assert list(entry.matters.all()) == [org.matter_h]
    assert list(entry.units.all()) == [org.dept_b]
    assert list(entry.source_cases.all()) == [source]
    html = body(client.get(response["Location"]))
    assert "草稿已保存，待审核人发布。" in html
    assert f'<a href="/staff/cases/{source.pk}/">{source.tracking_no}</a>' in html


def test_it_refuses_what_cannot_be_stored_or_is_too_short(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    client = signed_in("handler_b")
    elsewhere = cases.closed()  # department A's case: handler B cannot open it
    response = client.post(
        NEW,
        form(
            org,
            problem="社保\x00卡",
            solution="短",
            tags="a\x01b",
            source_cases=f"{elsewhere.tracking_no} X-1",
            cause_code="nope",
        ),
    )
    assert response.status_code == 422
    html = body(response)
    assert "条目未保存" in html
    assert html.count("请删除文字中的不可见控制字符（如空字符 NUL）。") == 4  # 2 fields, twice
    assert f"您能打开的案件中没有工单编号为 {elsewhere.tracking_no}、X-1 的案件。" in html
    assert "选择一个有效的选项。 nope 不在可用的选项中。" in html
    assert not Entry.objects.exists()
    response = client.post(NEW, form(org, solution="短"))
    assert response.status_code == 422
    assert "解决办法至少需 4 个字。" in body(response)
    assert not Entry.objects.exists()


# --- an entry's page ------------------------------------------------------------------------


def test_it_lands_on_the_draft_after_adding_a_case(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    case = cases.closed()
    client = signed_in("handler_a")
    response = client.post(reverse("web:case_act", args=[case.pk, "add_to_library"]), {})
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry_url(entry)
    html = body(client.get(response["Location"]))
    assert "已生成去除个人信息的案例草稿" in html
    assert "张三" not in html
    assert "办理营业执照变更登记时材料被退回三次" in html
    assert 'name="problem"' in html  # its writer corrects it here


def test_it_shows_only_the_source_cases_the_reader_may_open(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    case = cases.closed()
    entry = check_draft_from_case(org.handler_a, case.pk)
    assert case.tracking_no in body(signed_in("officeadmin").get(entry_url(entry)))
    html = body(signed_in("handler_b").get(entry_url(entry)))
    assert case.tracking_no not in html
    assert "另有 1 个来源案件不在您的查看范围内。" in html


def test_an_edit_keeps_the_cases_the_editor_cannot_see(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    hidden = cases.closed()
    entry = check_create_entry(
        org.handler_b,
        EntryFields(problem="社保卡补办失败", solution="到窗口核对身份信息", case_ids=()),
    )
    Entry.source_cases.through.objects.create(entry=entry, case=hidden)
    response = signed_in("handler_b").post(entry_url(entry), form(org))
    assert response.status_code == 302
    assert list(entry.source_cases.all()) == [hidden]


def test_who_may_edit_publish_and_withdraw(org: Org, signed_in: SignedIn) -> None:
    entry = check_create_entry(
        org.handler_a, EntryFields(problem="社保卡补办失败", solution="到窗口核对身份信息")
    )
    url = entry_url(entry)
    publish = reverse("web:knowledge_publish", args=[entry.pk])
    withdraw = reverse("web:knowledge_withdraw", args=[entry.pk])
    author = body(signed_in("handler_a").get(url))
    assert 'name="problem"' in author
    assert publish not in author
    other = body(signed_in("handler_b").get(url))
    assert 'name="problem"' not in other
    assert publish not in other
    response = signed_in("handler_b").post(url, form(org))
    assert response.status_code == 403
    assert "只有作者或审核人可以修改这份草稿。" in body(response)
    response = signed_in("handler_a").post(publish, {"visibility": "public"})
    assert response.status_code == 403
    assert "只有政务服务办管理员和调度员可以审核知识条目。" in body(response)
    reviewer = body(signed_in("officeadmin").get(url))
    assert publish in reviewer
    assert withdraw in reviewer
    response = signed_in("officeadmin").post(publish, {"visibility": "public"})
    assert response["Location"] == url
    entry.refresh_from_db()
    assert (entry.status, entry.visibility, entry.reviewer) == (
        EntryStatus.PUBLISHED,
        Visibility.PUBLIC,
        org.officeadmin,
    )
    # Published: the author no longer edits it; a reviewer does.
    assert 'name="problem"' not in body(signed_in("handler_a").get(url))
    response = signed_in("officeadmin").post(publish, {})
    assert response.status_code == 409
    assert "只有草稿可以发布。" in body(response)
    dispatcher = signed_in("dispatcher")
    response = dispatcher.post(withdraw)
    assert response["Location"] == url
    html = body(dispatcher.get(url))
    assert "条目已撤回，搜索和常见问题中不再显示。" in html
    assert 'name="problem"' not in html
    assert withdraw not in html


def test_it_shows_the_history_of_versions(org: Org, signed_in: SignedIn) -> None:
    entry = published(org, "社保卡补办失败", "到窗口核对身份信息", tags="社保卡")
    check_edit_entry(
        org.officeadmin,
        entry.pk,
        EntryFields(problem="社保卡补办失败", solution="网上办理即可补办", tags="社保卡"),
    )
    html = text_of(body(signed_in("clerk").get(entry_url(entry))))
    assert "与上次发布的版本相比，修改了：解决措施。" in html
    check_publish_entry(org.dispatcher, entry.pk)
    html = text_of(body(signed_in("clerk").get(entry_url(entry))))
    assert (
        "第 2 版：2026-11-20 10:00 由dispatcher发布，文本由officeadmin编写。 修改了：解决措施。"
        in html
    )
    assert "第 1 版：2026-11-20 10:00 由officeadmin发布，文本由handlerA编写。 首次发布。" in html


@pytest.mark.parametrize("path", ["99999999999999999999/", "0/", "123456/"])
def test_it_answers_unknown_entries_with_a_page(signed_in: SignedIn, path: str) -> None:
    client = signed_in("clerk")
    response = client.get(LIST + path)
    assert response.status_code == 404
    assert "没有这个编号的知识条目。" in body(response)
    response = signed_in("officeadmin").post(LIST + path + "publish/")
    assert response.status_code == 404


def test_it_refuses_a_nul_byte_in_the_query(signed_in: SignedIn) -> None:
    response = signed_in("clerk").get(LIST, {"q": "社保\x00"})
    assert response.status_code == 400


def test_it_sends_htmx_to_the_draft_after_adding_a_case(
    cases: CaseBuilder, signed_in: SignedIn
) -> None:
    case = cases.closed()
    response = signed_in("clerk").post(
        reverse("web:case_act", args=[case.pk, "add_to_library"]), {}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == entry_url(Entry.objects.get())


def test_it_reads_in_english(org: Org, staff: SignedIn) -> None:
    check_create_entry(
        org.handler_a, EntryFields(problem="社保卡补办失败", solution="到窗口核对身份信息")
    )
    html = text_of(body(staff("dispatcher").get(LIST)))
    assert "Case library Problems solved in every center, without personal data" in html
    assert "Write an entry Drafts awaiting review 1" in html
    assert "draft staff only" in html
