"""The proposer's fields and their reasons, in both languages, on the small test catalogue."""

from __future__ import annotations

import pytest
from django.utils import translation

from banchengshi.knowledge.proposals.proposer import ProposalInput, propose
from banchengshi.knowledge.proposals.rules import RulesError, parse_rules
from tests.cases.conftest import Org

COMPLAINT = "窗口工作人员态度恶劣，营业执照变更登记跑了三次还没办成"


def test_a_complaint_about_a_known_matter_in_chinese(org: Org) -> None:
    with translation.override("zh-hans"):
        proposal = propose(ProposalInput(description=COMPLAINT))
    assert (proposal.category, proposal.complexity) == ("complaint", "complex")
    assert (proposal.matter, proposal.unit) == (org.matter_a, org.dept_a)
    assert proposal.reasons == {
        "category": "含'态度恶劣'等投诉用语",
        "complexity": "含'跑了'，可能涉及多次往返或多个部门",
        "matter": "描述含事项'营业执照变更登记'名称中100%的字词",
        "unit": "事项'营业执照变更登记'的主管部门",
    }
    assert proposal.knowledge == []


def test_the_same_in_english(org: Org) -> None:
    with translation.override("en"):
        proposal = propose(ProposalInput(description=COMPLAINT))
    assert proposal.reasons == {
        "category": "Contains complaint wording such as '态度恶劣'.",
        "complexity": "Contains '跑了': several visits or units are likely involved.",
        "matter": "The text has 100% of the words of the matter '营业执照变更登记'.",
        "unit": "The department owning '营业执照变更登记'.",
    }


def test_a_question_without_a_matter_goes_to_the_hub(org: Org) -> None:
    with translation.override("zh-hans"):
        proposal = propose(ProposalInput(description="请问大厅周六开门吗"))
    assert (proposal.category, proposal.complexity) == ("consultation", "simple")
    assert (proposal.matter, proposal.unit) == (None, None)
    assert proposal.reasons == {
        "category": "含'请问'等咨询用语",
        "complexity": "属咨询（含'请问'），可即时答复",
        "matter": "目录中没有与描述相符的事项",
        "unit": "没有唯一的责任单位，由派单中心人工派单",
    }


def test_the_matter_text_and_the_only_place_of_handling(org: Org) -> None:
    # "社保卡" is the everyday word: matched on the matter text before the description.
    data = ProposalInput(description="卡丢了想补办", matter_text="社保卡补办")
    with translation.override("zh-hans"):
        proposal = propose(data)
    assert (proposal.category, proposal.complexity) == ("handling", "general")
    assert (proposal.matter, proposal.unit) == (org.matter_h, org.hall)
    assert proposal.reasons["category"] == "未见咨询、投诉或建议用语，按办事类"
    assert proposal.reasons["complexity"] == "未见复杂或简易情形，按一般"
    assert proposal.reasons["unit"] == "事项'社保卡补办'的唯一办理地点"


def test_a_matter_chosen_on_the_form_is_kept(org: Org) -> None:
    data = ProposalInput(description="建议增加自助机", matter_id=org.matter_h.pk)
    with translation.override("zh-hans"):
        proposal = propose(data)
    assert (proposal.category, proposal.matter) == ("suggestion", org.matter_h)
    assert proposal.reasons["category"] == "含'建议'等建议用语"
    assert proposal.reasons["matter"] == "登记表上已选定该事项"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[category]\ndefault = 'x'", "[category] default 'x' is not one of"),
        (
            "[category]\ndefault = 'handling'\n[[category.rule]]\nvalue = 'complaint'\nterms = []",
            "category.rule[0]: terms must be a non-empty list",
        ),
        ("[category", "Expected ']'"),
    ],
)
def test_bad_rules_are_refused_at_load(text: str, message: str) -> None:
    with pytest.raises(RulesError, match=message.replace("[", r"\[")):
        parse_rules(text)
