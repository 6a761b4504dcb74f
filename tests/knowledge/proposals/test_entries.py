"""The knowledge entries proposed at registration: published ones only, internal ones for
staff, found by the appeal's words or its matter, best three, shared words marked."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from banchengshi.knowledge.actions import EntryFields, check_edit_entry, do_withdraw_entry
from banchengshi.knowledge.models import Entry
from banchengshi.knowledge.proposals.entries import knowledge_for, mark_shared, text_phrases
from banchengshi.knowledge.proposals.proposer import ProposalInput, propose
from banchengshi.knowledge.search import ENTRY_INDEX
from banchengshi.org.scope import scope_for
from tests.cases.conftest import Org
from tests.knowledge.conftest import published
from tests.plans import plans_of_reads, sql_plan

APPEAL = "社保卡丢失后补办，窗口说系统里查不到参保记录"


def test_an_entry_sharing_the_appeals_words(org: Org) -> None:
    entry = published(org, "社保卡补办时查不到参保记录", "先到社保中心核对参保信息，再补办。")
    [found] = knowledge_for(APPEAL, None, internal=True)
    assert (found.id, found.title, found.public, found.same_matter) == (
        entry.pk,
        "社保卡补办时查不到参保记录",
        False,
        False,
    )
    assert found.title_marked == "<mark>社保卡补办</mark>时<mark>查不到参保记录</mark>"
    assert (
        found.snippet == "先到<mark>社保</mark>中心核对<mark>参保</mark>信息，再<mark>补办</mark>。"
    )
    assert found.url == f"/staff/knowledge/{entry.pk}/"


def test_the_public_see_public_entries_only_and_link_to_the_faq(org: Org) -> None:
    published(org, "社保卡补办时查不到参保记录", "先核对参保信息。")
    public = published(org, "社保卡补办需要带什么", "带身份证即可补办。", visibility="public")
    assert [f.id for f in knowledge_for(APPEAL, None, internal=False)] == [public.pk]
    assert knowledge_for(APPEAL, None, internal=False)[0].url == f"/faq/{public.pk}/"


def test_drafts_and_withdrawn_entries_are_not_proposed(org: Org) -> None:
    withdrawn = published(org, "社保卡补办时查不到参保记录", "先核对参保信息。")
    do_withdraw_entry(org.officeadmin, withdrawn.pk)
    edited = published(org, "营业执照变更登记被退回", "核对股东会决议。")
    # A draft's new words are not searched: the published text is.
    check_edit_entry(
        org.officeadmin, edited.pk, EntryFields("社保卡补办查不到参保记录", "核对参保信息。")
    )
    assert knowledge_for(APPEAL, None, internal=True) == []


def test_an_entry_of_the_matter_without_shared_words(org: Org) -> None:
    entry = published(org, "补卡需本人到场", "委托他人需带委托书。", matter_ids=(org.matter_h.pk,))
    [found] = knowledge_for("卡丢了", org.matter_h, internal=True)
    assert (found.id, found.same_matter) == (entry.pk, True)
    # Without the matter, two shared words are too few to show it.
    assert knowledge_for("卡丢了", None, internal=True) == []


def test_the_best_three_most_shared_words_first(org: Org) -> None:
    entries = [
        published(org, problem, "核对参保信息后补办。")
        for problem in (
            "社保卡补办",
            "社保卡补办时查不到记录",
            "社保卡补办时查不到参保记录",
            "社保卡补办窗口说系统里查不到参保记录",
        )
    ]
    found = knowledge_for(APPEAL, None, internal=True)
    assert [f.id for f in found] == [e.pk for e in reversed(entries[1:])]


def test_the_proposal_carries_them_for_a_person_only(org: Org) -> None:
    entry = published(org, "社保卡补办时查不到参保记录", "先核对参保信息。")
    data = ProposalInput(description=APPEAL)
    assert [k.id for k in propose(data, scope=scope_for(org.clerk)).knowledge] == [entry.pk]
    # Intake channels keep the proposal for the record: no list is read.
    assert propose(data).knowledge == []


def test_the_cost_does_not_grow_with_the_entries(org: Org) -> None:
    def measure() -> int:
        with CaptureQueriesContext(connection) as captured:
            knowledge_for(APPEAL, org.matter_h, internal=True)
        return len(captured)

    published(org, "社保卡补办时查不到参保记录", "先核对参保信息。", matter_ids=(org.matter_h.pk,))
    few = measure()
    for n in range(30):
        published(org, f"社保卡补办第{n}例", "核对参保信息。", matter_ids=(org.matter_h.pk,))
    # the text index, the matter's newest entries, the entries, their published versions,
    # which of them are the matter's; on PostgreSQL first the newest key, whose bucket starts
    # the windows the text index is read in (textsearch.index)
    assert measure() == few == (6 if connection.vendor == "postgresql" else 5)


def test_marking_escapes_the_text() -> None:
    assert mark_shared("<b>社保</b>", frozenset({"社保"})) == "&lt;b&gt;<mark>社保</mark>&lt;/b&gt;"


def test_the_indexes_serve_the_candidates(org: Org) -> None:
    plans = plans_of_reads(lambda: ENTRY_INDEX.newest(text_phrases(APPEAL), newest=50))
    if connection.vendor == "sqlite":
        assert any("VIRTUAL TABLE INDEX" in plan for plan in plans), plans
    else:
        assert any("Bitmap Index Scan on knowledge_entrysearch_vector" in plan for plan in plans)
    of_matter = Entry.matters.through.objects.filter(matter_id=org.matter_h.pk)
    sql, params = (
        of_matter.order_by("-entry_id").values_list("entry_id")[:50].query.sql_with_params()
    )
    plan = sql_plan(sql, params)
    assert "INDEX" in plan.upper(), plan
    assert "SCAN knowledge_entry_matters\n" not in plan + "\n", plan
