"""bench.reports measures the report against hand-written SQL of the same figures: on the
small district counted by hand (tests/reports/conftest.py), both find the same counts."""

from __future__ import annotations

from bench.reports_bare import bare_figures, differences
from django.utils import timezone

from banchengshi.reports.periods import PeriodKind, parse_period
from tests.cases.conftest import CaseBuilder, FrozenTime, sh
from tests.reports.conftest import NOW, District
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


def test_a_case_received_before_eight_in_the_morning_counts_for_its_local_day(
    district: District, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    # 03:00 in Shanghai on the 1st is the day before in UTC, the stored instant's day.
    frozen_time.set(sh(2026, 11, 1, 3))
    cases.register()
    frozen_time.set(NOW)
    november = parse_period(PeriodKind.MONTH, "2026-11")
    bare = bare_figures(november.start_at, november.end_at, timezone.now(), "2026-11")
    assert bare["counts"]["received"] == NOVEMBER["received"] + 1
    assert differences(report("monthly", "2026-11"), bare) == {}
    frozen_time.set(sh(2026, 12, 1, 2))
    cases.register()
    december = parse_period(PeriodKind.MONTH, "2026-12")
    bare = bare_figures(december.start_at, december.end_at, timezone.now(), "2026-12")
    assert bare["counts"]["received"] == 1
