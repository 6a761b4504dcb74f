"""Guesses at a tracking number counted atomically on PostgreSQL (issue 15 item 6): the counter
is taken and read in one statement, so simultaneous wrong guesses cannot slip past it."""

from __future__ import annotations

from typing import Any

import pytest

from banchengshi.intake.models import RateCounter
from banchengshi.intake.ratelimit import DEFAULT_LIMITS
from banchengshi.intake.tracking import TooManyTries, prove
from tests.cases.conftest import CaseBuilder, Org
from tests.pg.test_concurrency import in_threads

GUESSES = 40


@pytest.mark.django_db(transaction=True)
def test_40_simultaneous_wrong_guesses_from_one_address_check_exactly_10(
    org: Org, cases: CaseBuilder, settings: Any
) -> None:
    # Only the address's budget is under test here: the number's count stays below its own.
    settings.BANCHENGSHI_RATE_LIMITS = {**DEFAULT_LIMITS, "public_track_number": (1000, 3600)}
    number = cases.register().tracking_no

    def guess(index: int) -> str:
        try:
            return (
                "checked"
                if prove(number, f"{index:04d}", address="198.51.100.9") is None
                else "opened"
            )
        except TooManyTries:
            return "refused"

    results = [result for status, result in in_threads(GUESSES, guess) if status == "ok"]
    assert results.count("checked") == 10
    assert results.count("refused") == GUESSES - 10


@pytest.mark.django_db(transaction=True)
def test_40_simultaneous_wrong_guesses_at_one_number_are_all_counted(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.register()

    def guess(index: int) -> str:
        try:
            prove(case.tracking_no, f"{index:04d}", address=f"198.51.100.{index}")
        except TooManyTries:
            return "refused"
        return "checked"

    results = [result for status, result in in_threads(GUESSES, guess) if status == "ok"]
    assert results == ["checked"] * GUESSES
    # All 40 counted against the number: each of those addresses now has half a budget left
    # for it, and the petitioner's own address still opens the page.
    assert RateCounter.objects.get(key=f"public_track_number:{case.tracking_no}").count == GUESSES
    assert prove(case.tracking_no, case.phone[-4:], address="192.0.2.1") is not None
