"""Registering at the window (R-IN-1, R-IN-4, R-IN-6, R-IN-7): the three outcomes, errors under
their fields with the typed values kept, the live checks, the matter picker, the sidebar, who
may register, the composed action's atomicity, and the cost of the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.actions.dispatch import check_dispatch_case, check_screen_case
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.actions.window import Outcome, check_register_at_window
from banchengshi.cases.models import Case, Clock, State
from banchengshi.errors import InvalidInput, InvalidState
from banchengshi.org.models import Unit
from tests.cases.conftest import (
    CREDIT_CODE,
    ID_NUMBER,
    PHONE,
    CaseBuilder,
    Org,
    end_of,
    registration,
    sh,
)
from tests.web.conftest import SignedIn

REGISTER = reverse("web:register")
HINTS = reverse("web:register_hints")
WRONG_CHECK_DIGIT = ID_NUMBER[:-1] + "3"
DESCRIPTION = "办理营业执照变更登记时材料被退回三次，仍未办成"


def english(signed_in: SignedIn, name: str = "clerk") -> Client:
    client = signed_in(name)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def form(**fields: Any) -> dict[str, Any]:
    """What the browser posts for a valid person's appeal; `fields` override."""
    values: dict[str, Any] = {
        "channel": "window",
        "window": "3",
        "received_at": "",
        "petitioner_type": "person",
        "petitioner_name": "张三",
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "enterprise_name": "",
        "credit_code": "",
        "matter_id": "",
        "matter_text": "",
        "department_id": "",
        "failed_at_unit_id": "",
        "online_application_no": "",
        "visits_count": "2",
        "description": DESCRIPTION,
        "request": "希望尽快办结",
        "category": "handling",
        "complexity": "general",
        "reply": "",
        "reason": "",
        "outcome": "accept",
    }
    values.update(fields)
    return values


def only_case() -> Case:
    [case] = Case.objects.select_related("handling_unit").all()
    return case


def running_clocks(case: Case) -> dict[str, Any]:
    return {c.kind: c.due for c in Clock.objects.filter(case=case, stopped_at__isnull=True)}


# --- the page -------------------------------------------------------------------------------


def test_the_form_for_a_clerk(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).get(REGISTER)
    assert response.status_code == 200
    page = response.content.decode()
    assert org.hall.name in page  # the clerk's only window unit, shown rather than chosen
    assert 'name="registered_unit_id"' in page
    assert f'value="{org.hall.pk}"' in page
    assert 'id="id_petitioner_name"' in page
    assert "autofocus" in page
    for outcome in ("accept", "on_the_spot", "not_admissible"):
        assert f'name="outcome" value="{outcome}"' in page
    # Every input names its error slot, which is always there for the live check to fill.
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in page
    assert 'id="id_phone_error"' in page
    assert 'hx-trigger="change, keyup changed delay:500ms"' in page
    for name in ("department_id", "failed_at_unit_id"):
        assert f'name="{name}"' in page
    assert org.dept_a.name in page
    assert org.center_a1.name in page


@pytest.mark.parametrize("name", ["handler_a", "dispatcher", "inspector", "officeadmin"])
def test_only_window_staff_register(org: Org, signed_in: SignedIn, name: str) -> None:
    client = english(signed_in, name)
    response = client.get(REGISTER)
    assert response.status_code == 403
    assert "Only window clerks and window heads register appeals" in response.content.decode()
    assert client.post(REGISTER, form()).status_code == 403
    assert client.post(HINTS, form(phone=PHONE)).status_code == 403
    assert not Case.objects.exists()


# --- the three outcomes -----------------------------------------------------------------------


def test_accept_and_dispatch_to_the_owning_department(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    response = client.post(REGISTER, form(matter_id=org.matter_a.pk))
    case = only_case()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:register_done", args=[case.pk])
    assert case.state == State.DISPATCHED
    assert case.handling_unit == org.dept_a
    assert (case.registered_unit_id, case.window, case.visits_count) == (org.hall.pk, "3", 2)
    assert case.registered_by == org.clerk
    # Putuo: a general case is replied within 3 working days, the cause analysed the same day.
    assert running_clocks(case) == {
        "reply": end_of(2026, 11, 25),
        "cause_analysis": end_of(2026, 11, 20),
    }
    page = client.get(response["Location"]).content.decode()
    assert case.tracking_no in page
    assert org.dept_a.name in page
    assert "due 2026-11-25" in page
    assert reverse("web:print_slip", args=[case.pk]) in page
    assert reverse("web:print_handling", args=[case.pk]) in page


def test_accept_a_matter_handled_only_at_the_hall_keeps_it(org: Org, signed_in: SignedIn) -> None:
    english(signed_in).post(REGISTER, form(matter_id=org.matter_h.pk))
    case = only_case()
    assert (case.state, case.handling_unit) == (State.DISPATCHED, org.hall)


def test_accept_an_unknown_matter_goes_to_the_hub_queue(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    response = client.post(REGISTER, form(matter_text="某个目录外的事项"))
    case = only_case()
    assert case.state == State.AWAITING_DISPATCH
    assert case.handling_unit is None
    page = client.get(response["Location"]).content.decode()
    assert "the hub's dispatch queue" in page


def test_resolved_on_the_spot(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    reply = "已当场指导补充股东会决议并办结"
    response = client.post(
        REGISTER, form(matter_id=org.matter_a.pk, outcome="on_the_spot", reply=reply)
    )
    case = only_case()
    assert response.status_code == 302
    assert (case.state, case.on_the_spot, case.reply_text) == (State.CLOSED, True, reply)
    assert case.handling_unit == org.hall
    assert running_clocks(case) == {}
    page = client.get(response["Location"]).content.decode()
    assert "Resolved on the spot." in page
    assert reply in page


def test_not_admissible_with_the_explanation(org: Org, signed_in: SignedIn) -> None:
    reason = "属于司法程序，依法不予受理"
    response = english(signed_in).post(
        REGISTER, form(matter_text="诉讼", outcome="not_admissible", reason=reason)
    )
    case = only_case()
    assert response.status_code == 302
    assert (case.state, case.not_admissible_reason) == (State.NOT_ADMISSIBLE, reason)
    # Putuo: the reasons are replied within 3 working days.
    assert running_clocks(case) == {"not_admissible_reply": end_of(2026, 11, 25)}


def test_an_enterprise(org: Org, signed_in: SignedIn) -> None:
    english(signed_in).post(
        REGISTER,
        form(
            petitioner_type="enterprise",
            enterprise_name="上海某某贸易有限公司",
            credit_code=CREDIT_CODE.lower(),
            matter_id=org.matter_a.pk,
        ),
    )
    case = only_case()
    assert (case.enterprise_name, case.credit_code) == ("上海某某贸易有限公司", CREDIT_CODE)


def test_the_window_number_is_offered_again(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    client.post(REGISTER, form(window="A-07", matter_id=org.matter_a.pk))
    assert 'value="A-07"' in client.get(REGISTER).content.decode()


# --- errors -----------------------------------------------------------------------------------


def test_every_error_under_its_field_and_the_typed_values_kept(
    org: Org, signed_in: SignedIn
) -> None:
    response = english(signed_in).post(
        REGISTER,
        form(
            petitioner_name="李四",
            phone="1381234",
            id_number=WRONG_CHECK_DIGIT,
            description="办不成",
            outcome="on_the_spot",
        ),
    )
    assert response.status_code == 422
    assert not Case.objects.exists()
    page = response.content.decode()
    assert "Nothing was registered" in page
    for field in ("phone", "id_number", "description", "reply"):
        assert f'href="#id_{field}"' in page  # the summary links to the field
    assert "Enter an 11-digit mobile number" in page
    assert "check digit is wrong" in page
    assert "at least 5 characters" in page
    assert "This field is required." in page  # the on-the-spot reply
    for value in ('value="李四"', 'value="1381234"', f'value="{WRONG_CHECK_DIGIT}"', "办不成"):
        assert value in page
    phone_input = page[page.index('id="id_phone"') - 300 : page.index('id="id_phone"') + 300]
    assert 'aria-invalid="true"' in phone_input
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in phone_input
    name_input = page[
        page.index('name="petitioner_name"') - 200 : page.index('name="petitioner_name"') + 200
    ]
    assert "aria-invalid" not in name_input


def test_the_outcome_text_is_checked_with_the_rest(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).post(
        REGISTER, form(outcome="not_admissible", reason="不行", matter_text="诉讼")
    )
    assert response.status_code == 422
    assert 'href="#id_reason"' in response.content.decode()
    assert not Case.objects.exists()


def test_no_outcome_is_an_error_not_a_case(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).post(REGISTER, form(outcome="", matter_text="诉讼"))
    assert response.status_code == 422
    assert "Choose how the appeal is dealt with." in response.content.decode()
    assert not Case.objects.exists()


def test_a_value_the_form_cannot_convert(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).post(
        REGISTER, form(visits_count="many", received_at="yesterday", phone="")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'href="#id_visits_count"' in page
    assert 'href="#id_received_at"' in page
    assert "A contact phone number is required." in page  # the engine's, in the same pass
    assert not Case.objects.exists()


def test_a_backdated_appeal(org: Org, signed_in: SignedIn) -> None:
    english(signed_in).post(
        REGISTER, form(received_at="2026-11-18T15:30", matter_id=org.matter_a.pk)
    )
    case = only_case()
    assert case.received_at == sh(2026, 11, 18, 15, 30)
    assert running_clocks(case)["reply"] == end_of(2026, 11, 23)


def test_errors_in_chinese(org: Org, signed_in: SignedIn) -> None:
    client = signed_in("clerk")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.post(REGISTER, form(phone="1381234"))
    assert response.status_code == 422
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert 'href="#id_phone"' in page
    assert "请输入 11 位手机号码" in page  # the engine's message, already in the catalogue


# --- live checks -----------------------------------------------------------------------------


def check(client: Client, field: str, value: str, **others: str) -> str:
    response = client.post(
        reverse("web:register_check", args=[field]),
        form(**{field: value, **others}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return response.content.decode().strip()


def test_check_the_id_number_as_typed(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    assert check(client, "id_number", ID_NUMBER) == ""
    assert check(client, "id_number", "") == ""  # optional
    assert "check digit is wrong" in check(client, "id_number", WRONG_CHECK_DIGIT)
    assert "has 18 characters; this one has 12" in check(client, "id_number", ID_NUMBER[:12])


def test_check_the_credit_code(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    enterprise = {"petitioner_type": "enterprise"}
    assert check(client, "credit_code", CREDIT_CODE, **enterprise) == ""
    wrong = CREDIT_CODE[:-1] + "R"
    assert "check character is wrong" in check(client, "credit_code", wrong, **enterprise)
    assert "letter O" in check(client, "credit_code", "91310107MA1G0000O" + "Q", **enterprise)


def test_check_the_phone_and_other_fields(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    assert check(client, "phone", "021-12345678") == ""
    assert "11-digit mobile number" in check(client, "phone", "12345")
    # Only the checked field's messages: the empty name is not reported with the phone.
    assert "name" not in check(client, "phone", "12345", petitioner_name="")
    assert "The name is required." in check(client, "petitioner_name", "")
    assert "between 1 and 99" in check(client, "visits_count", "120")
    assert "Enter a whole number." in check(client, "visits_count", "x")


def test_check_an_unknown_field(org: Org, signed_in: SignedIn) -> None:
    url = reverse("web:register_check", args=["outcome"])
    assert english(signed_in).post(url, form()).status_code == 404


# --- matter picker ---------------------------------------------------------------------------


def test_search_and_choose_a_matter(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    found = client.get(reverse("web:register_matters"), {"matter_q": "营业执照"})
    page = found.content.decode()
    assert org.matter_a.name in page
    assert org.matter_h.name not in page
    assert reverse("web:register_matter", args=[org.matter_a.pk]) in page
    assert org.dept_a.name in page
    by_code = client.get(reverse("web:register_matters"), {"matter_q": "m-h"}).content.decode()
    assert org.matter_h.name in by_code
    nothing = client.get(reverse("web:register_matters"), {"matter_q": "不存在的事项"})
    assert "No matter in the catalogue matches" in nothing.content.decode()

    chosen = client.get(reverse("web:register_matter", args=[org.matter_h.pk]))
    page = chosen.content.decode()
    assert f'name="matter_id" id="id_matter_id" value="{org.matter_h.pk}"' in page
    assert org.hall.name in page  # where it is handled
    assert "matter-chosen" in chosen["HX-Trigger-After-Swap"]
    cleared = client.get(reverse("web:register_matters"), {"picker": "1"})
    assert 'id="matter-search"' in cleared.content.decode()
    assert client.get(reverse("web:register_matter", args=[999999])).status_code == 404


def test_a_chosen_matter_stays_chosen_after_an_error(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).post(REGISTER, form(matter_id=org.matter_a.pk, phone=""))
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_matter_id" value="{org.matter_a.pk}"' in page
    assert org.matter_a.name in page


def test_a_matter_that_does_not_exist(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).post(REGISTER, form(matter_id="999999"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is no such service matter." in page
    assert 'href="#matter-search"' in page
    assert not Case.objects.exists()


# --- sidebar ---------------------------------------------------------------------------------


def test_the_sidebar_lists_earlier_and_similar_cases(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    earlier = cases.register(
        phone="13900001111", petitioner_name="王五", description="社保卡补办窗口说系统故障无法办理"
    )
    similar = cases.dispatched(phone="13700002222", petitioner_name="赵六", description=DESCRIPTION)
    unrelated = cases.register(phone="13600003333", description="咨询公积金提取需要哪些材料")
    typed = form(phone="139 0000 1111", id_number="", matter_id=org.matter_a.pk)
    response = english(signed_in).post(HINTS, typed, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    earlier_part, similar_part = page.split('id="similar-heading"')
    assert earlier.tracking_no in earlier_part
    assert "same phone" in earlier_part
    assert similar.tracking_no in similar_part
    assert "same matter" in similar_part
    assert "description 100% alike" in similar_part
    assert reverse("web:case", args=[similar.pk]) in similar_part
    assert unrelated.tracking_no not in page
    # No other petitioner's name or phone number.
    for personal in ("王五", "赵六", "13700002222", "13900001111"):
        assert personal not in page
    assert 'hx-swap-oob="innerHTML"' in page
    assert "Earlier cases of this petitioner: 1." in page


def test_the_sidebar_before_anything_is_typed(org: Org, signed_in: SignedIn) -> None:
    blank = form(phone="", id_number="", description="")
    page = english(signed_in).post(HINTS, blank).content.decode()
    assert "appear here as the phone" in page
    assert "similar-heading" not in page


def test_the_sidebar_keeps_to_the_clerks_scope(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    # Registered by the hub and sent to department B: nothing links it to the clerk's hall.
    elsewhere = check_register_case(org.dispatcher, registration(phone="13900001111"))
    check_screen_case(org.dispatcher, elsewhere.pk, admissible=True)
    check_dispatch_case(org.dispatcher, elsewhere.pk, unit_id=org.dept_b.pk)
    here = cases.register(phone="13900001111")
    page = english(signed_in).post(HINTS, form(phone="13900001111")).content.decode()
    assert here.tracking_no in page
    assert elsewhere.tracking_no not in page


# --- the composed action ---------------------------------------------------------------------


def test_a_refused_second_step_leaves_no_case(org: Org) -> None:
    # With no active hub, a case no one can be found for cannot be queued: screening refuses.
    Unit.objects.filter(pk=org.hub.pk).update(is_active=False)
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidState):
        check_register_at_window(org.clerk, registration(matter_text="目录外事项"), Outcome.ACCEPT)
    assert not Case.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_refused_second_step_through_the_page(org: Org, signed_in: SignedIn) -> None:
    Unit.objects.filter(pk=org.hub.pk).update(is_active=False)
    response = english(signed_in).post(REGISTER, form(matter_text="目录外事项"))
    assert response.status_code == 409
    assert "No dispatch hub is configured" in response.content.decode()
    assert not Case.objects.exists()


def test_the_composed_action_reports_every_problem_at_once(org: Org) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_register_at_window(
            org.clerk, registration(phone="", description=""), Outcome.ON_THE_SPOT
        )
    assert {"phone", "description", "reply"} <= set(refused.value.errors)
    assert not Case.objects.exists()


# --- cost ------------------------------------------------------------------------------------


def _queries(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(captured)


def test_the_form_and_the_sidebar_cost_the_same_with_more_cases(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    sidebar = form(
        phone=PHONE,
        id_number=ID_NUMBER,
        petitioner_type="enterprise",
        credit_code=CREDIT_CODE,
        matter_id=org.matter_a.pk,
    )

    def measure() -> tuple[int, int]:
        client = english(signed_in)  # a fresh client: the scope is read once per request
        return _queries(client, "get", REGISTER), _queries(client, "post", HINTS, sidebar)

    def add(count: int) -> None:
        for _ in range(count):
            cases.register(
                matter_id=org.matter_a.pk,
                petitioner_type="enterprise",
                enterprise_name="上海某某贸易有限公司",
                credit_code=CREDIT_CODE,
            )

    add(10)
    with_10 = measure()
    add(190)
    with_200 = measure()
    assert with_10 == with_200
    # session + user, the scope (memberships, units), the unit choices
    assert with_10[0] <= 6
    # plus: newest cases by phone, ID number, credit code; by matter and overall; their links
    assert with_10[1] <= 11
