"""bench.reports measures the report against hand-written SQL of the same figures: on the
small district counted by hand (tests/reports/conftest.py), both find the same counts."""

from __future__ import annotations

from bench.reports_bare import bare_figures, differences
from django.utils import timezone

from banchengshi.reports.periods import PeriodKind, parse_period
from tests.reports.conftest import District
from tests.reports.test_figures import NOVEMBER, report


def test_the_bare_sql_finds_the_reports_figures(district: District) -> None:
    for kind, label, name in (
        (PeriodKind.MONTH, "2026-11", "monthly"),
        (PeriodKind.QUARTER, "2026-Q4", "quarterly"),
    ):
        period = parse_period(kind, label)
        bare = bare_figures(period.start_at, period.end_at, timezone.now(), label)
        assert differences(report(name, label), bare) == {}
        assert bare["by_channel"] == {"window": 8 if kind == PeriodKind.MONTH else 9}
    november = parse_period(PeriodKind.MONTH, "2026-11")
    counts = bare_figures(november.start_at, november.end_at, timezone.now(), "2026-11")["counts"]
    assert {key: counts[key] for key in ("received", "replied_late", "overdue", "supervised")} == {
        key: NOVEMBER[key] for key in ("received", "replied_late", "overdue", "supervised")
    }
