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
from tests.cases.conftest import PHONE, CaseBuilder, FrozenTime, Org
from tests.intake.test_portal import appeal

HOME = "203.0.113.7"


def proven_case(number: str, secret: str) -> tuple[int, ProofKind] | None:
    proof = prove(number, secret, address=HOME)
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
    assert prove(case.tracking_no, secret, address=HOME) is None


def test_an_unknown_number_proves_nothing(org: Org) -> None:
    assert prove("PT-2026-999999", PHONE[-4:], address=HOME) is None
    assert prove("PT-2026-999999", "12345678", address=HOME) is None


def test_a_code_works_only_for_its_own_appeal(org: Org) -> None:
    first = portal.check_file_appeal(appeal(org), [])
    second = portal.check_file_appeal(appeal(org, phone="13900009999"), [])
    assert prove(second.case.tracking_no, first.access_code, address=HOME) is None


def test_an_address_has_ten_guesses_an_hour_and_the_right_ones_count_nothing(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.register()
    for _ in range(20):  # a petitioner looking often locks out nobody
        assert prove(case.tracking_no, PHONE[-4:], address=HOME) is not None
    for guess in range(9):
        assert prove(case.tracking_no, f"{guess:04d}", address=HOME) is None
    # The tenth try is still checked: the right answer passes and is given back.
    assert prove(case.tracking_no, PHONE[-4:], address=HOME) is not None
    assert prove(case.tracking_no, "0009", address=HOME) is None
    with pytest.raises(TooManyTries) as spent:
        prove(case.tracking_no, PHONE[-4:], address=HOME)
    assert 0 < spent.value.retry_after <= 3600
    # Another address is not held up.
    assert prove(case.tracking_no, PHONE[-4:], address="198.51.100.1") is not None
    frozen_time.advance(hours=1)
    assert prove(case.tracking_no, PHONE[-4:], address=HOME) is not None


def test_strangers_guessing_at_a_number_never_lock_out_its_petitioner(
    org: Org, cases: CaseBuilder
) -> None:
    """Issue 15: 25 addresses guessing at one (sequential, so easily picked) number."""
    case = cases.register()
    other = cases.register(phone="13900001111")
    strangers = [f"198.51.100.{n}" for n in range(1, 26)]
    refused = 0
    for stranger in strangers:
        for guess in range(10):
            try:
                assert prove(case.tracking_no, f"{guess:04d}", address=stranger) is None
            except TooManyTries:
                refused += 1
    # The first 10 wrong guesses at the number cost a try each (one address's budget); after
    # them a guess at it costs half a budget: 10 + 24 × 2 checked of 250.
    assert refused == 250 - 10 - 24 * 2
    # The petitioner, from their own address, opens the page at once; and after one typo.
    assert proven_case(case.tracking_no, PHONE[-4:]) == (case.pk, ProofKind.PHONE_DIGITS)
    assert prove(case.tracking_no, "0000", address=HOME) is None
    assert proven_case(case.tracking_no, PHONE[-4:]) == (case.pk, ProofKind.PHONE_DIGITS)
    # A stranger's address is spent for every number; another still opens its own appeal.
    with pytest.raises(TooManyTries):
        prove(other.tracking_no, "1111", address=strangers[0])
    assert prove(other.tracking_no, "1111", address="192.0.2.1") is not None


def test_the_code_is_not_held_up_by_wrong_digits(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org), [])
    for guess in range(30):
        address = f"198.51.100.{guess}"
        assert prove(filed.case.tracking_no, f"{guess:04d}", address=address) is None
    assert prove(filed.case.tracking_no, filed.access_code, address=HOME) is not None


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
