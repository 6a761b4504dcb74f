"""Knowledge entries' actions: create, draft from a closed case (收入案例库, with its audit
event), publish, edit into a new version, withdraw; who may, with the exact refusals."""

from __future__ import annotations

import pytest
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case
from banchengshi.errors import ActionRefused
from banchengshi.knowledge.actions import (
    EntryFields,
    check_create_entry,
    check_draft_from_case,
    check_edit_entry,
    check_publish_entry,
    check_withdraw_entry,
)
from banchengshi.knowledge.models import Entry, EntrySearch, EntryStatus
from banchengshi.knowledge.selectors import faq_entries, published_texts, staff_entries
from tests.cases.conftest import CaseBuilder, Org

FIELDS = EntryFields(
    problem="社保卡补办时系统提示信息不一致",
    solution="到人社窗口核对身份信息后重新提交",
    cause_code="system_fault",
    tags="社保卡 补办",
)


def refusal(call, *args) -> str:  # type: ignore[no-untyped-def]
    with translation.override("zh-hans"):
        with pytest.raises(ActionRefused) as exc:
            call(*args)
        return str(exc.value.message)


def test_create_publish_and_find(org: Org) -> None:
    entry = check_create_entry(org.handler_a, FIELDS)
    assert entry.status == EntryStatus.DRAFT
    assert entry.author == org.handler_a
    assert not staff_entries(text="社保").exists()  # a draft is not searched
    entry = check_publish_entry(org.officeadmin, entry.pk)
    assert (entry.status, entry.published_version, entry.reviewer) == (
        EntryStatus.PUBLISHED,
        1,
        org.officeadmin,
    )
    assert list(staff_entries(text="社保")) == [entry]
    assert faq_entries("社保").count() == 0  # internal


def test_refusals(org: Org) -> None:
    assert refusal(check_create_entry, org.inspector, FIELDS) == "您的角色不能编写知识条目。"
    bad = EntryFields(problem="短", solution="到窗口核对身份信息")
    assert refusal(check_create_entry, org.handler_a, bad) == "问题描述至少需 4 个字。"
    bad = EntryFields(problem="问题描述足够长", solution="解决办法足够长", cause_code="nope")
    assert refusal(check_create_entry, org.handler_a, bad) == "请选择一个编码的原因。"
    bad = EntryFields(problem="问题描述足够长", solution="解决办法足够长", matter_ids=(10**6,))
    assert refusal(check_create_entry, org.handler_a, bad) == "请从事项目录中选择服务事项。"
    bad = EntryFields(problem="问题\x00描述足够长", solution="解决办法足够长")
    assert refusal(check_create_entry, org.handler_a, bad) == "文本中含有无法保存的字符。"
    entry = check_create_entry(org.handler_a, FIELDS)
    assert refusal(check_publish_entry, org.handler_a, entry.pk) == (
        "只有政务服务办管理员和调度员可以审核知识条目。"
    )
    assert refusal(check_edit_entry, org.handler_b, entry.pk, FIELDS) == (
        "只有作者或审核人可以修改这份草稿。"
    )
    assert refusal(check_publish_entry, org.dispatcher, 10**6) == "没有这个编号的知识条目。"
    check_publish_entry(org.dispatcher, entry.pk)
    assert refusal(check_publish_entry, org.dispatcher, entry.pk) == "只有草稿可以发布。"
    assert refusal(check_edit_entry, org.handler_a, entry.pk, FIELDS) == (
        "只有审核人可以修改已发布的条目。"
    )


def test_edit_keeps_the_published_text_until_the_next_publication(org: Org) -> None:
    entry = check_create_entry(org.handler_a, FIELDS)
    entry = check_publish_entry(org.officeadmin, entry.pk)
    changed = EntryFields(
        problem="医保卡补办时系统提示信息不一致",
        solution="到医保窗口核对身份信息后重新提交",
        visibility="public",
    )
    entry = check_edit_entry(org.officeadmin, entry.pk, changed)
    assert entry.status == EntryStatus.DRAFT
    # search and the published text are still version 1's
    assert list(staff_entries(text="社保卡")) == [entry]
    assert not staff_entries(text="医保").exists()
    assert faq_entries().count() == 0
    assert published_texts([entry])[entry.pk].problem == "社保卡补办时系统提示信息不一致"
    entry = check_publish_entry(org.officeadmin, entry.pk)
    assert entry.published_version == 2
    assert [v.problem for v in entry.versions.order_by("number")] == [
        "社保卡补办时系统提示信息不一致",
        "医保卡补办时系统提示信息不一致",
    ]
    assert list(faq_entries("医保")) == [entry]
    assert not staff_entries(text="社保卡").exists()


def test_withdraw(org: Org) -> None:
    entry = check_publish_entry(org.officeadmin, check_create_entry(org.handler_a, FIELDS).pk)
    entry = check_withdraw_entry(org.dispatcher, entry.pk)
    assert entry.status == EntryStatus.WITHDRAWN
    assert not EntrySearch.objects.filter(entry=entry).exists()
    assert not staff_entries(text="社保").exists()
    assert refusal(check_withdraw_entry, org.dispatcher, entry.pk) == "该条目已经撤回。"
    assert refusal(check_edit_entry, org.officeadmin, entry.pk, FIELDS) == "已撤回的条目不能修改。"


def test_draft_from_a_closed_case(org: Org, cases: CaseBuilder) -> None:
    case = cases.closed(
        petitioner_name="张三丰",
        description="张三丰来办营业执照变更登记，电话13812345678，住长寿路123号5室，材料被退回三次",
    )
    entry = check_draft_from_case(org.handler_a, case.pk)
    assert entry.status == EntryStatus.DRAFT
    assert entry.problem == "***来办营业执照变更登记，电话***，住***，材料被退回三次\n希望尽快办结"
    assert entry.solution == "申请人未提供股东会决议\n已电话告知需补交股东会决议，补交后当日办结"
    assert entry.cause_code == "materials"
    assert list(entry.source_cases.all()) == [case]
    assert [m.pk for m in entry.matters.all()] == [org.matter_a.pk]
    assert [u.pk for u in entry.units.all()] == [org.dept_a.pk]
    event = AuditEvent.objects.filter(case_id=case.pk).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_id, event.payload) == (
        "add_to_library",
        org.handler_a.pk,
        {"entry_id": entry.pk},
    )
    assert refusal(check_draft_from_case, org.dispatcher, case.pk) == "该案例已收入案例库。"


def test_draft_from_case_refusals(org: Org, cases: CaseBuilder) -> None:
    open_case = cases.in_progress()
    assert refusal(check_draft_from_case, org.handler_a, open_case.pk) == (
        "当前无法执行该操作：工单状态为“办理中”。"
    )
    closed = cases.closed()
    assert refusal(check_draft_from_case, org.handler_b, closed.pk) == (
        "您的权限范围内没有该编号的工单。"
    )
    assert refusal(check_draft_from_case, org.inspector, closed.pk) == (
        "您的角色无权对该工单执行“收入案例库”操作。"
    )
    assert Case.objects.get(pk=closed.pk).version == closed.version
    assert not Entry.objects.exists()
