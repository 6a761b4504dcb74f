"""The fast channel on the pages: the window's form and the public report form record the
special groups and consent; a flagged case carries a badge on every list and its page."""

from __future__ import annotations

from typing import Any

import pytest

from banchengshi.cases.models import Case
from banchengshi.cases.special_groups import SpecialGroupInput
from tests.cases.conftest import CaseBuilder, Org
from tests.web.conftest import SignedIn
from tests.web.test_public import form_data, public, text
from tests.web.test_register import REGISTER, english, form

pytestmark = pytest.mark.django_db

BADGE = 'class="badge fast"'
CONSENTED = SpecialGroupInput(("elderly",), "张三", "oral")


def test_the_window_form_records_them(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    assert "Special group (fast channel)" in client.get(REGISTER).content.decode()
    response = client.post(
        REGISTER,
        form(
            matter_id=org.matter_a.pk,
            special_groups=["elderly", "limited_mobility"],
            consent_by="张三",
            consent_method="oral",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.elderly, case.limited_mobility, case.consent_by, case.consent_method) == (
        True,
        True,
        "张三",
        "oral",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"special_groups": ["elderly"]}, "Record who gave consent"),
        ({"special_groups": ["\x00"]}, "is not one of the available choices."),
        (
            {"special_groups": ["elderly"], "consent_by": "张\x00三", "consent_method": "oral"},
            "Remove the invisible control character",
        ),
    ],
)
def test_the_window_form_refuses_bad_input(
    org: Org, signed_in: SignedIn, fields: dict[str, Any], message: str
) -> None:
    response = english(signed_in).post(REGISTER, form(matter_id=org.matter_a.pk, **fields))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_the_public_form_takes_the_persons_own_consent(org: Org) -> None:
    client = public("en")
    response = client.post("/report/", form_data(org, special_groups=["disabled"], consent="on"))
    assert response.status_code == 302, text(response)
    case = Case.objects.get()
    assert (case.disabled, case.fast_channel, case.consent_by, case.consent_method) == (
        True,
        True,
        "王秀英",
        "online",
    )


def test_the_public_form_asks_for_the_box(org: Org) -> None:
    response = public("en").post("/report/", form_data(org, special_groups=["disabled"]))
    assert response.status_code == 422
    assert "To go by the fast channel, tick that you agree to it being recorded." in text(response)
    assert not Case.objects.exists()


def test_the_badge_on_the_worklist_and_the_case_page(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    fast = cases.dispatched(special=CONSENTED)
    cases.dispatched()
    client = english(signed_in, "handler_a")
    assert client.get("/staff/").content.decode().count(BADGE) == 1
    page = client.get(f"/staff/cases/{fast.pk}/").content.decode()
    assert BADGE in page
    assert "consent of 张三, orally, in person" in page


def test_the_badge_on_the_hub_and_the_unit_list(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    cases.awaiting(special=CONSENTED)
    cases.awaiting()
    assert english(signed_in, "dispatcher").get("/staff/hub/").content.decode().count(BADGE) == 1
    fast = cases.dispatched(special=CONSENTED)
    unit_page = english(signed_in, "leader_a").get(f"/staff/units/{org.dept_a.pk}/")
    assert unit_page.content.decode().count(BADGE) == 1
    assert fast.handling_unit == org.dept_a
