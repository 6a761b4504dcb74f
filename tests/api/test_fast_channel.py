"""The fast channel through POST /api/v1/cases: optional fields, consent required with a
flag, hostile values refused with 422; the flag on the case and its worklist row."""

from __future__ import annotations

from typing import Any

import pytest

from banchengshi.cases.models import Case
from tests.api.conftest import District, registration

pytestmark = pytest.mark.django_db


def test_it_registers_on_the_fast_channel(district: District, as_user: Any) -> None:
    body = registration(
        district,
        special_groups=["limited_mobility"],
        consent_by="张三",
        consent_method="phone",
    )
    case = as_user("clerk").ok("/cases", body, status=201)
    assert (case["fast_channel"], case["special_groups"]) == (True, ["limited_mobility"])
    stored = Case.objects.get()
    assert (stored.limited_mobility, stored.consent_by, stored.consent_method) == (
        True,
        "张三",
        "phone",
    )
    work = as_user("clerk").get("/worklist").json()
    assert [item["fast_channel"] for item in work["items"]] == [True]


def test_the_fields_are_optional(district: District, as_user: Any) -> None:
    case = as_user("clerk").ok("/cases", registration(district), status=201)
    assert (case["fast_channel"], case["special_groups"]) == (False, [])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"special_groups": ["elderly"]}, "consent_by", "Record who gave consent"),
        ({"special_groups": ["giant"]}, "special_groups", ""),
        ({"special_groups": ["elderly"] * 4}, "special_groups", ""),
        ({"consent_by": "张\x00三"}, "consent_by", ""),
        ({"consent_method": "\x00"}, "consent_method", ""),
        (
            {"special_groups": ["elderly"], "consent_by": "张三", "consent_method": "fax"},
            "consent_method",
            "Record how the consent was given.",
        ),
    ],
)
def test_bad_input_is_refused(
    district: District, as_user: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    response = as_user("clerk").post("/cases", registration(district, **changes))
    assert response.status_code == 422, response.content.decode()
    body = response.json()
    assert body["field"].split(".")[0] == field
    assert message in body["message"]
    assert not Case.objects.exists()
