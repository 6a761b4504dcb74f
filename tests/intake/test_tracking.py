"""How a petitioner proves an appeal is theirs (intake.tracking): the access code, the last four
digits of the phone, the signed rating link."""

from __future__ import annotations

import pytest
from django.core import signing

from banchengshi.intake import portal, tracking
from banchengshi.intake.tracking import digits_of, own_case, rating_link, rating_token
from tests.cases.conftest import PHONE, CaseBuilder, Org
from tests.intake.test_portal import appeal


def test_the_access_code_or_the_last_four_digits(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org), [])
    number, code = filed.case.tracking_no, filed.access_code
    assert own_case(number, code) == filed.case
    assert own_case(number, f"{code[:4]} {code[4:]}") == filed.case
    assert own_case(number.lower(), PHONE[-4:]) == filed.case
    # Full-width digits, as a Chinese input method types them.
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in PHONE[-4:])
    assert own_case(f" {number} ", full_width) == filed.case


@pytest.mark.parametrize("secret", ["", "1", "123", "12345", "5679", "00000000", "abcd"])
def test_anything_else_proves_nothing(org: Org, secret: str) -> None:
    filed = portal.check_file_appeal(appeal(org), [])
    if secret == filed.access_code:  # pragma: no cover - one chance in 10^8
        pytest.skip("the random code happens to be the guess")
    assert own_case(filed.case.tracking_no, secret) is None


def test_an_unknown_number_proves_nothing(org: Org) -> None:
    assert own_case("PT-2026-999999", PHONE[-4:]) is None


def test_an_appeal_from_the_window_has_no_code_but_the_phone_works(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.register()
    assert own_case(case.tracking_no, PHONE[-4:]) == case
    assert own_case(case.tracking_no, "12345678") is None


def test_a_code_works_only_for_its_own_appeal(org: Org) -> None:
    first = portal.check_file_appeal(appeal(org), [])
    second = portal.check_file_appeal(appeal(org, phone="13900009999"), [])
    assert own_case(second.case.tracking_no, first.access_code) is None
    assert own_case(first.case.tracking_no, "9999") is None


def test_digits_of() -> None:
    assert digits_of("1234 5678") == "12345678"
    assert digits_of("１２-３４") == "1234"
    assert digits_of("٣٤٥٦") == ""  # digits of other scripts are not what the SMS showed


def test_rating_links_round_trip_and_refuse_forgeries(org: Org, cases: CaseBuilder) -> None:
    token = rating_token(41, 2)
    assert rating_link(token) == tracking.RatingLink(41, 2)
    assert rating_link(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert rating_link("") is None
    assert rating_link("not-a-token") is None
    # Signed by us, but not as a rating link.
    assert rating_link(signing.dumps([41, 2], salt="another.purpose")) is None
    assert rating_link(signing.dumps(["41", 2], salt=tracking.RATING_SALT)) is None


def test_rating_links_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    token = rating_token(41, 1)
    monkeypatch.setattr(tracking, "RATING_LINK_SECONDS", -1)
    assert rating_link(token) is None
