"""Each registered case keeps its proposal and what staff did with it; the accuracy command."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from banchengshi.knowledge.models import ProposalRecord
from tests.cases.conftest import CaseBuilder, Org


def test_a_window_registration_records_what_the_clerk_kept(org: Org, cases: CaseBuilder) -> None:
    # Proposed: complaint, complex, matter A, department A; registered: handling, general,
    # matter A, no department.
    case = cases.register(
        description="窗口人员推诿，营业执照变更登记跑了三次", matter_id=org.matter_a.pk
    )
    record = ProposalRecord.objects.get(case=case)
    assert (record.channel, record.by_staff) == ("window", True)
    assert (record.proposed_category, record.final_category) == ("complaint", "handling")
    assert (record.proposed_complexity, record.final_complexity) == ("complex", "general")
    assert (record.proposed_matter, record.final_matter) == (org.matter_a, org.matter_a)
    assert (record.proposed_unit, record.final_unit) == (org.dept_a, None)
    assert [record.accepted(f) for f in ("category", "complexity", "matter", "unit")] == [
        False,
        False,
        True,
        False,
    ]


def test_another_channel_keeps_the_proposal_for_the_hub(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(channel="hotline_12345", description="请问社保卡补办要多久")
    record = ProposalRecord.objects.get(case=case)
    assert (record.by_staff, record.proposed_category) == (False, "consultation")


def test_the_accuracy_command_counts_staff_choices_only(org: Org, cases: CaseBuilder) -> None:
    cases.register(
        description="营业执照变更登记材料被退回",
        matter_id=org.matter_a.pk,
        department_id=org.dept_a.pk,
    )
    cases.register(
        description="请问社保卡补办怎么办理",
        matter_id=org.matter_h.pk,
        matter_text="",
        category="consultation",
        complexity="simple",
    )
    cases.register(channel="hotline_12345", description="投诉窗口态度差")
    out = StringIO()
    call_command("proposals", "accuracy", stdout=out)
    assert out.getvalue().splitlines() == [
        "cases registered by staff with a proposal: 2",
        "category          2 kept  100.0%",
        "complexity        2 kept  100.0%",
        "matter            2 kept  100.0%",
        # The proposed place of handling is not a department the form can name.
        "unit              1 kept   50.0%",
    ]
