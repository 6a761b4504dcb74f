"""The registration form's proposals panel (R-IN-5, R-IN-7): each field's proposal with its
reason, the buttons taking it into the form, the knowledge entries that fit; what the clerk
registered against what was proposed in the ProposalRecord; hostile input; its cost."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from banchengshi.knowledge.models import ProposalRecord
from banchengshi.knowledge.proposals.rules import rules
from tests.cases.conftest import Org
from tests.knowledge.conftest import published
from tests.web.conftest import SignedIn
from tests.web.test_register import REGISTER, _queries, english, form, only_case

PROPOSALS = reverse("web:register_proposals")
COMPLAINT = "窗口工作人员态度恶劣，营业执照变更登记跑了三次还没办成"


def panel(client: Client, **fields: Any) -> str:
    response = client.post(PROPOSALS, form(**fields), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def rows(html: str) -> list[tuple[str, str, str]]:
    """(field, proposed value, reason) of each row, as read."""
    found = re.findall(
        r"<dt>(.*?)</dt>\s*<dd>\s*<p class=\"proposal-value\"><strong>(.*?)</strong>"
        r".*?<p class=\"proposal-reason\">(.*?)</p>",
        html,
        re.S,
    )
    return [tuple(unescape(part) for part in row) for row in found]  # type: ignore[misc]


def test_the_panel_in_chinese(org: Org, signed_in: SignedIn) -> None:
    html = panel(signed_in("clerk"), description=COMPLAINT, request="")
    assert rows(html) == [
        ("问题类别", "投诉类", "含'态度恶劣'等投诉用语"),
        ("复杂程度", "复杂", "含'跑了'，可能涉及多次往返或多个部门"),
        ("服务事项", "营业执照变更登记", "描述含事项'营业执照变更登记'名称中100%的字词"),
        ("责任单位", "区市场监管局", "事项'营业执照变更登记'的主管部门"),
    ]
    assert "建议：投诉类，复杂。相符的知识条目：0 条。" in unescape(html)


def test_the_panel_in_english_with_its_accept_buttons(org: Org, signed_in: SignedIn) -> None:
    html = panel(english(signed_in), description=COMPLAINT, request="")
    assert rows(html) == [
        ("Category", "complaint", "Contains complaint wording such as '态度恶劣'."),
        (
            "Complexity",
            "complex",
            "Contains '跑了': several visits or units are likely involved.",
        ),
        (
            "Service matter",
            "营业执照变更登记",
            "The text has 100% of the words of the matter '营业执照变更登记'.",
        ),
        ("Responsible unit", "区市场监管局", "The department owning '营业执照变更登记'."),
    ]
    assert 'data-accept-for="id_category" data-accept-value="complaint"' in html
    assert 'data-accept-for="id_complexity" data-accept-value="complex"' in html
    matter = reverse("web:register_matter", args=[org.matter_a.pk])
    assert f'hx-get="{matter}" hx-target="#matter-picker"' in html
    assert f'data-accept-for="id_department_id" data-accept-value="{org.dept_a.pk}"' in html


def test_values_already_on_the_form_need_no_button(org: Org, signed_in: SignedIn) -> None:
    html = panel(
        english(signed_in),
        description=COMPLAINT,
        category="complaint",
        matter_id=org.matter_a.pk,
        department_id=org.dept_a.pk,
    )
    assert html.count('<span class="proposal-kept">On the form</span>') == 3
    assert 'data-accept-for="id_complexity"' in html
    assert 'data-accept-for="id_category"' not in html
    assert "Chosen on the form." in html


def test_a_place_of_handling_follows_from_the_matter(org: Org, signed_in: SignedIn) -> None:
    html = panel(english(signed_in), description="卡丢了想补办", matter_text="社保卡补办")
    assert (
        "Responsible unit",
        "区政务服务中心大厅",
        "The only place where '社保卡补办' is handled.",
    ) in rows(html)
    assert "Follows from the matter." in html
    assert "id_department_id" not in html


def test_knowledge_entries_that_fit_link_to_the_staff_page(org: Org, signed_in: SignedIn) -> None:
    entry = published(
        org, "营业执照变更登记被退回三次", "核对股东会决议后一次提交。", visibility="public"
    )
    html = panel(english(signed_in), description=COMPLAINT)
    assert f'<a href="/staff/knowledge/{entry.pk}/" target="_blank" rel="noopener">' in html
    assert "<mark>营业执照变更登记</mark>被退回<mark>三次</mark>" in html
    assert "Proposed: complaint, complex. Knowledge entries that fit: 1." in unescape(html)


def test_nothing_typed_nothing_proposed(org: Org, signed_in: SignedIn) -> None:
    html = panel(english(signed_in), description="", request="", matter_text="")
    assert "Proposals appear here as the description" in html
    assert "<dl" not in html


def test_only_window_staff(org: Org, signed_in: SignedIn) -> None:
    response = signed_in("handler_a").post(PROPOSALS, form(description=COMPLAINT))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "fields",
    [
        {"description": "态度恶劣\x00营业执照"},
        {"request": "\x00", "matter_text": "社保卡\x00"},
        {"matter_id": "99999999999999999999"},
        {"matter_id": "-1", "department_id": "x"},
        {"description": "投诉" * 5000},
        {"matter_id": "１", "description": "\u202e态度差\u0007"},
    ],
)
def test_hostile_input_is_never_an_error_page(
    org: Org, signed_in: SignedIn, fields: dict[str, str]
) -> None:
    html = panel(english(signed_in), **fields)
    assert "proposals-status" in html


def test_the_page_holds_the_panel(org: Org, signed_in: SignedIn) -> None:
    html = english(signed_in).get(REGISTER).content.decode()
    assert f'hx-post="{PROPOSALS}"' in html
    assert "input changed delay:700ms from:#id_request" in html


# --- what the clerk registered ------------------------------------------------------------


def test_the_accepted_proposal_ends_in_the_record(org: Org, signed_in: SignedIn) -> None:
    # The clerk took the category and the matter, changed nothing else.
    posted = form(description=COMPLAINT, category="complaint", matter_id=org.matter_a.pk)
    response = signed_in("clerk").post(REGISTER, posted)
    assert response.status_code == 302
    record = ProposalRecord.objects.get(case=only_case())
    assert [record.accepted(f) for f in ("category", "complexity", "matter", "unit")] == [
        True,
        False,
        True,
        False,
    ]
    assert record.rules_version == rules().version
    assert len(record.rules_version) == 12


def test_the_panel_costs_the_same_with_more_entries(org: Org, signed_in: SignedIn) -> None:
    published(org, "营业执照变更登记被退回", "核对股东会决议。", matter_ids=(org.matter_a.pk,))
    typed = form(description=COMPLAINT)
    # The first proposal reads the catalogue, kept until the matters change (catalog.stamp).
    _queries(english(signed_in), "post", PROPOSALS, typed)
    few = _queries(english(signed_in), "post", PROPOSALS, typed)
    for n in range(20):
        published(
            org, f"营业执照变更登记第{n}例", "核对股东会决议。", matter_ids=(org.matter_a.pk,)
        )
    assert _queries(english(signed_in), "post", PROPOSALS, typed) == few
