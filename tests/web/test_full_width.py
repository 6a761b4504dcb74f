"""Full-width digits and letters (what a Chinese input method types) in the window's form, its
live check and the public report form are the ASCII ones, and are stored as such."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from banchengshi.cases.models import Case
from tests.cases.conftest import Org
from tests.web.conftest import SignedIn
from tests.web.test_public import filed, form_data, public
from tests.web.test_register import REGISTER, check, english, form

FULL_WIDTH_PHONE = "１３８　１２３４　５６７８"  # 13812345678, with ideographic spaces
FULL_WIDTH_ID = "３１０１０７１９９００３０７２０１２"  # 310107199003072012
FULL_WIDTH_CREDIT = "９１３１０１０７ｍａ１Ｇ０００００Ｑ"  # 91310107MA1G00000Q, "ma" in lower case


def test_the_window_form_stores_ascii(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).post(
        REGISTER,
        form(
            petitioner_type="enterprise",
            enterprise_name="上海某某贸易有限公司",
            phone=FULL_WIDTH_PHONE,
            id_number=FULL_WIDTH_ID,
            credit_code=FULL_WIDTH_CREDIT,
            matter_id=org.matter_a.pk,
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.phone, case.id_number, case.credit_code) == (
        "13812345678",
        "310107199003072012",
        "91310107MA1G00000Q",
    )


def test_the_live_check_accepts_full_width(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    enterprise: dict[str, Any] = {"petitioner_type": "enterprise"}
    assert check(client, "phone", FULL_WIDTH_PHONE) == ""
    assert check(client, "phone", "０２１－１２３４５６７８") == ""
    assert check(client, "id_number", FULL_WIDTH_ID) == ""
    assert check(client, "credit_code", FULL_WIDTH_CREDIT, **enterprise) == ""
    # A wrong full-width character is named as the ASCII one it stands for.
    wrong = check(client, "credit_code", "９１３１０１０７ＭＡ１Ｇ００００Ｏ" + "Ｑ", **enterprise)
    assert "letter O" in wrong


def test_the_public_report_form_stores_ascii(org: Org) -> None:
    number, _code = filed(public(), org, phone=FULL_WIDTH_PHONE, id_number=FULL_WIDTH_ID)
    case = Case.objects.get(tracking_no=number)
    assert (case.phone, case.id_number) == ("13812345678", "310107199003072012")


def test_the_public_report_form_live_check(org: Org) -> None:
    response = public("en").post(
        reverse("web:report_check", args=["phone"]),
        form_data(org, phone=FULL_WIDTH_PHONE),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
