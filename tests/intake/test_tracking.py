"""How a petitioner proves an appeal is theirs (intake.tracking): the access code, the last four
digits of the phone (only for an appeal without a code), the signed rating link; and how
guessing the digits is bounded."""

from __future__ import annotations

import pytest
from django.core import signing

from banchengshi.intake import portal, tracking
from banchengshi.intake.tracking import (
    ProofKind,
    TooManyTries,
    digits_of,
    prove,
    rating_link,
    rating_token,
)
from tests.cases.conftest import PHONE, CaseBuilder, Org
from tests.intake.test_portal import appeal


def proven_case(number: str, secret: str) -> tuple[int, ProofKind] | None:
    proof = prove(number, secret)
    return (proof.case_id, proof.kind) if proof is not None else None


def test_an_appeal_filed_online_opens_with_its_code(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org), [])
    number, code = filed.case.tracking_no, filed.access_code
    expected = (filed.case.pk, ProofKind.ACCESS_CODE)
    assert proven_case(number, code) == expected
    assert proven_case(f" {number.lower()} ", f"{code[:4]} {code[4:]}") == expected
    # Full-width digits, as a Chinese input method types them.
    assert proven_case(number, "".join(chr(ord(d) + 0xFEE0) for d in code)) == expected
    # Its phone's digits do not open it: it has a code, which its SMS carried.
    assert proven_case(number, PHONE[-4:]) is None


def test_an_appeal_from_the_window_opens_with_the_phones_digits(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.register()
    assert proven_case(case.tracking_no, PHONE[-4:]) == (case.pk, ProofKind.PHONE_DIGITS)
    assert proven_case(case.tracking_no, "12345678") is None


@pytest.mark.parametrize("secret", ["", "1", "123", "12345", "5679", "00000000", "abcd"])
def test_anything_else_proves_nothing(org: Org, cases: CaseBuilder, secret: str) -> None:
    case = cases.register()
    assert prove(case.tracking_no, secret) is None


def test_an_unknown_number_proves_nothing(org: Org) -> None:
    assert prove("PT-2026-999999", PHONE[-4:]) is None
    assert prove("PT-2026-999999", "12345678") is None


def test_a_code_works_only_for_its_own_appeal(org: Org) -> None:
    first = portal.check_file_appeal(appeal(org), [])
    second = portal.check_file_appeal(appeal(org, phone="13900009999"), [])
    assert prove(second.case.tracking_no, first.access_code) is None


def test_wrong_digits_for_one_number_are_bounded_and_the_right_ones_count_nothing(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.register()
    for _ in range(20):  # a petitioner looking often locks out nobody
        assert prove(case.tracking_no, PHONE[-4:]) is not None
    for guess in range(10):
        assert prove(case.tracking_no, f"{guess:04d}") is None
    with pytest.raises(TooManyTries):
        prove(case.tracking_no, PHONE[-4:])
    # Another number is not held up.
    other = cases.register(phone="13900001111")
    assert prove(other.tracking_no, "1111") is not None


def test_the_code_is_not_held_up_by_wrong_digits(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org), [])
    for guess in range(10):
        assert prove(filed.case.tracking_no, f"{guess:04d}") is None
    with pytest.raises(TooManyTries):
        prove(filed.case.tracking_no, "0010")
    assert prove(filed.case.tracking_no, filed.access_code) is not None


def test_digits_of() -> None:
    assert digits_of("1234 5678") == "12345678"
    assert digits_of("１２-３４") == "1234"
    assert digits_of("٣٤٥٦") == ""  # digits of other scripts are not what the SMS showed


def test_rating_links_round_trip_and_refuse_forgeries() -> None:
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
