"""Full-width digits from another system (a hotline's export) are the ASCII ones, and stored
as such."""

from __future__ import annotations

from banchengshi.cases.models import Case
from tests.cases.conftest import Org
from tests.intake.conftest import IntakeApi, hotline_record


def test_a_hotline_record_with_a_full_width_phone(org: Org, intake_api: IntakeApi) -> None:
    response = intake_api.post("12345", hotline_record(联系电话="１３８－１２３４－５６７８"))
    assert response.status_code == 201, response.content
    assert Case.objects.get().phone == "13812345678"
