"""A report's statements are compiled once and bound to each report's instants
(reports.compiled): the same statement counts each window's own cases, runs alone once
compiled, and refuses a builder it could not bind."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from banchengshi.cases.models import Case
from banchengshi.reports import compiled
from banchengshi.reports.compiled import CompileError, Instants
from tests.cases.conftest import sh
from tests.reports.conftest import NOW, District


def received(at: Instants) -> dict[str, Any]:
    return Case.objects.filter(received_at__gte=at.start_at, received_at__lt=at.end_at).aggregate(
        n=Count("pk")
    )


def test_one_statement_counts_each_windows_own_cases(district: District) -> None:
    october = Instants(sh(2026, 10, 1, 0), sh(2026, 11, 1, 0), NOW)
    november = Instants(sh(2026, 11, 1, 0), sh(2026, 12, 1, 0), NOW)
    quarter = Instants(sh(2026, 10, 1, 0), sh(2027, 1, 1, 0), NOW)
    assert compiled.row(received, (), november) == {"n": 8}
    with CaptureQueriesContext(connection) as ran:
        assert [compiled.row(received, (), at)["n"] for at in (october, quarter)] == [1, 9]
    # Compiled already: each report runs its statement alone, the same text each time.
    assert len(ran.captured_queries) == 2
    assert "1901" not in ran.captured_queries[0]["sql"]


def test_a_builder_running_two_statements_is_refused(district: District) -> None:
    def twice(at: Instants) -> int:
        return Case.objects.filter(received_at__lt=at.end_at).count() + Case.objects.count()

    with pytest.raises(CompileError) as refused:
        compiled.rows(twice, (), Instants(sh(2026, 11, 1, 0), sh(2026, 12, 1, 0), NOW))
    assert str(refused.value) == (
        "test_a_builder_running_two_statements_is_refused.<locals>.twice ran 2 statements, not one"
    )


def test_a_parameter_computed_from_an_instant_is_refused(district: District) -> None:
    def week_before(at: Instants) -> dict[str, Any]:
        return Case.objects.filter(received_at__gte=at.now - dt.timedelta(days=7)).aggregate(
            n=Count("pk")
        )

    with pytest.raises(CompileError) as refused:
        compiled.rows(week_before, (), Instants(sh(2026, 11, 1, 0), sh(2026, 12, 1, 0), NOW))
    assert str(refused.value) == (
        "test_a_parameter_computed_from_an_instant_is_refused.<locals>.week_before "
        "computed a parameter from an instant"
    )


def test_a_statement_that_depends_on_the_order_of_its_instants_is_refused(
    district: District,
) -> None:
    def until_the_earlier(at: Instants) -> dict[str, Any]:
        return Case.objects.filter(received_at__lt=min(at.end_at, at.now)).aggregate(n=Count("pk"))

    with pytest.raises(CompileError) as refused:
        compiled.rows(until_the_earlier, (), Instants(sh(2026, 11, 1, 0), sh(2026, 12, 1, 0), NOW))
    assert str(refused.value) == (
        "test_a_statement_that_depends_on_the_order_of_its_instants_is_refused.<locals>."
        "until_the_earlier made its statement depend on its instants"
    )


def test_a_naive_instant_is_refused_rather_than_read_in_utc(district: District) -> None:
    naive = sh(2026, 11, 1, 0).replace(tzinfo=None)
    expected = "the report's start_at must be an aware instant, not 2026-11-01 00:00:00"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        compiled.row(received, (), Instants(naive, sh(2026, 12, 1, 0), NOW))
