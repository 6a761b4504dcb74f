"""Full-width digits and letters sent to the API are the ASCII ones, and stored as such."""

from __future__ import annotations

from banchengshi.cases.models import Case
from tests.api.conftest import District, registration
from tests.api.test_lifecycle import AsUser


def test_a_case_with_full_width_identifiers(district: District, as_user: AsUser) -> None:
    body = registration(
        district,
        petitioner_type="enterprise",
        enterprise_name="上海某某贸易有限公司",
        phone="＋８６　１３８－１２３４－５６７８",
        id_number="１１０１０５１９４９１２３１００２ｘ",
        credit_code="９１３１０１０７ＭＡ１Ｇ０００００Ｑ",
    )
    case = as_user("clerk").ok("/cases", body, status=201)
    assert (case["phone"], case["id_number"], case["credit_code"]) == (
        "13812345678",
        "11010519491231002X",
        "91310107MA1G00000Q",
    )
    stored = Case.objects.get(pk=case["id"])
    assert (stored.phone, stored.id_number, stored.credit_code) == (
        "13812345678",
        "11010519491231002X",
        "91310107MA1G00000Q",
    )
