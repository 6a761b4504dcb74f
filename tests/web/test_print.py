"""The printed registration form (登记表) and handling form (处理单, R-DIS-6): their content,
the deadlines explained, personal data as the reader's role may see it (R-Q-3), and scope."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from banchengshi.cases.actions.dispatch import check_resolve_on_spot
from banchengshi.cases.models import Case
from tests.cases.conftest import CREDIT_CODE, ID_NUMBER, PHONE, CaseBuilder, Org
from tests.web.conftest import SignedIn

MASKED_PHONE = "138****5678"
MASKED_ID = "310107********2012"


def english(signed_in: SignedIn, name: str) -> Client:
    client = signed_in(name)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(client: Client, name: str, case: Case) -> str:
    response = client.get(reverse(name, args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def dispatched(cases: CaseBuilder) -> Case:
    return cases.dispatched(window="3", visits_count=2, online_application_no="YW2026112000017")


def test_the_registration_form(org: Org, signed_in: SignedIn, dispatched: Case) -> None:
    slip = page(english(signed_in, "clerk"), "web:print_slip", dispatched)
    assert "“Can't get it done” registration form" in slip
    assert f'<strong class="tracking-no">{dispatched.tracking_no}</strong>' in slip
    assert "web/print.css" in slip
    for text in (
        "2026-11-20 10:00",  # received, in Asia/Shanghai
        org.hall.name,
        "张三",
        PHONE,  # the clerk of the registering center calls the petitioner: unmasked
        ID_NUMBER,
        org.matter_a.name,
        "YW2026112000017",
        "办理营业执照变更登记时材料被退回三次，仍未办成",
        "希望尽快办结",
        f'Dispatched to <strong class="dispatch-target">{org.dept_a.name}</strong>',
        "due 2026-11-25",
        "3 working days counted",
        "11-21 weekend, 11-22 weekend",
        "Petitioner (signature)",
        "Window clerk (signature)",
    ):
        assert text in slip, text


def test_the_handling_form(org: Org, signed_in: SignedIn, dispatched: Case) -> None:
    sheet = page(english(signed_in, "clerk"), "web:print_handling", dispatched)
    assert "“Can't get it done” handling form" in sheet
    assert f'<td colspan="3" class="dispatch-target">{org.dept_a.name}</td>' in sheet
    assert "Don't say it cannot be done — say how it can be done." in sheet
    assert "due 2026-11-25" in sheet
    assert "due 2026-11-20" in sheet
    for blank in ("Cause", "Solution", "Reply to the petitioner", "Unit leader (signature)"):
        assert blank in sheet


def test_the_handling_form_carries_the_units_answer(
    org: Org, signed_in: SignedIn, cases: CaseBuilder
) -> None:
    case = cases.replied()
    sheet = page(english(signed_in, "handler_a"), "web:print_handling", case)
    assert "materials incomplete or wrong" in sheet  # the coded cause
    assert "申请人未提供股东会决议" in sheet  # the cause note
    assert "已电话告知需补交股东会决议" in sheet  # the reply
    assert "done 2026-11-20" in sheet  # the clocks the reply stopped


def test_an_enterprise_on_the_form(org: Org, signed_in: SignedIn, cases: CaseBuilder) -> None:
    case = cases.dispatched(
        petitioner_type="enterprise",
        enterprise_name="上海某某贸易有限公司",
        credit_code=CREDIT_CODE,
    )
    slip = page(english(signed_in, "clerk"), "web:print_slip", case)
    assert "上海某某贸易有限公司" in slip
    assert CREDIT_CODE in slip


def test_awaiting_dispatch_on_the_handling_form(
    org: Org, signed_in: SignedIn, cases: CaseBuilder
) -> None:
    sheet = page(english(signed_in, "clerk"), "web:print_handling", cases.awaiting())
    assert "the hub's dispatch queue" in sheet


@pytest.mark.parametrize(
    ("reader", "unmasked"),
    [
        ("clerk", True),
        ("handler_a", True),  # the handling unit's specialist calls the petitioner
        ("dispatcher", True),
        ("leader_a", False),
        ("inspector", False),
        ("officeadmin", False),
    ],
)
def test_personal_data_as_the_role_may_see_it(
    org: Org, signed_in: SignedIn, dispatched: Case, reader: str, unmasked: bool
) -> None:
    client = english(signed_in, reader)
    for name in ("web:print_slip", "web:print_handling"):
        printed = page(client, name, dispatched)
        assert (PHONE in printed) is unmasked
        assert (MASKED_PHONE in printed) is not unmasked
    slip = page(client, "web:print_slip", dispatched)
    assert (ID_NUMBER in slip) is unmasked
    assert (MASKED_ID in slip) is not unmasked


def test_outside_the_scope_there_is_nothing_to_print(
    org: Org, signed_in: SignedIn, dispatched: Case
) -> None:
    client = english(signed_in, "handler_b")
    for name in ("web:print_slip", "web:print_handling", "web:register_done"):
        response = client.get(reverse(name, args=[dispatched.pk]))
        assert response.status_code == 404
        assert "No case with this number is within your reach." in response.content.decode()


def test_an_on_the_spot_case(org: Org, signed_in: SignedIn, cases: CaseBuilder) -> None:
    case = cases.register()
    check_resolve_on_spot(org.clerk, case.pk, reply="已当场指导并办结")
    slip = page(english(signed_in, "clerk"), "web:print_slip", case)
    assert "Resolved on the spot." in slip
    assert "已当场指导并办结" in slip


def test_printed_in_chinese(org: Org, signed_in: SignedIn, dispatched: Case) -> None:
    client = signed_in("clerk")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    slip = page(client, "web:print_slip", dispatched)
    assert '<html lang="zh-hans">' in slip
    assert dispatched.tracking_no in slip
