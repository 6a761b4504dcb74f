"""Hot spots (R-KB-3): concentrations of one matter, department or cause within a period,
counted in SQL, raised to the office once per concentration and period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from banchengshi.knowledge.hotspots.concentrations import (
    Period,
    concentrations,
    raise_hotspots,
)
from banchengshi.knowledge.hotspots.models import HotspotAlert
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.notify.wording import notice_text
from banchengshi.policy.rules import HotspotRules, PolicyError, parse_policy
from banchengshi.scheduler.registry import JOBS
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.knowledge.conftest import use_hotspot_rules


def hotspot_notices() -> QuerySet[Notification]:
    return Notification.objects.filter(kind=NotificationKind.HOTSPOT_RAISED)


RULES = HotspotRules(period_days=30, thresholds=(("matter", 3), ("cause", 2)))


def test_periods_are_fixed_spans() -> None:
    period = Period.containing(dt.date(2026, 11, 20), 30)
    # 2000-01-01 + 327 × 30 days.
    assert (period.start, period.end) == (dt.date(2026, 11, 10), dt.date(2026, 12, 9))
    assert Period.containing(period.end, 30) == period
    assert Period.containing(period.end + dt.timedelta(days=1), 30).start == dt.date(2026, 12, 10)


def test_concentrations_by_matter_and_cause(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    frozen_time.set(sh(2026, 11, 9))  # the day before the period: not counted
    cases.dispatched()
    frozen_time.set(sh(2026, 11, 20))
    a = [cases.dispatched() for _ in range(2)]
    analysed = [cases.analysed() for _ in range(2)]  # cause "materials"
    cases.register(matter_id=org.matter_h.pk)
    period = Period.containing(dt.date(2026, 11, 20), 30)
    with CaptureQueriesContext(connection) as queries:
        found = concentrations(RULES, period, timezone.now())
    assert len(queries) == 2  # one GROUP BY per watched dimension
    assert [(c.dimension.value, c.key, c.count) for c in found] == [
        ("matter", str(org.matter_a.pk), 4),
        ("cause", "materials", 2),
    ]
    assert len(a + analysed) == 4


def test_alert_raised_once_per_period_with_its_cases(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hotspot_rules(monkeypatch, HotspotRules(period_days=30, thresholds=(("matter", 3),)))
    three = [cases.dispatched() for _ in range(3)]  # Friday 10:00
    job = JOBS["hotspots.daily"]

    def run_next_morning() -> None:
        frozen_time.set(
            dt.datetime.combine(
                frozen_time.instant.date(), dt.time(8, 0), tzinfo=frozen_time.instant.tzinfo
            )
            + dt.timedelta(days=1)
        )
        job.run(job.slot_at(timezone.now()))

    run_next_morning()
    alert = HotspotAlert.objects.get()
    assert (alert.dimension, alert.subject, alert.count, alert.threshold) == (
        "matter",
        "营业执照变更登记",
        3,
        3,
    )
    assert (alert.period_start, alert.period_end) == (dt.date(2026, 11, 10), dt.date(2026, 12, 9))
    assert set(alert.cases.values_list("id", flat=True)) == {c.pk for c in three}
    notice = hotspot_notices().get()
    assert (notice.user_id, notice.kind) == (org.officeadmin.pk, NotificationKind.HOTSPOT_RAISED)
    with translation.override("en"):
        assert notice_text(notice.kind, notice.params, None) == (
            "Hot spot: 3 cases about 营业执照变更登记 since 2026-11-10."
        )
    # The next day, one more case: the same period, no second alert.
    cases.dispatched()
    run_next_morning()
    assert HotspotAlert.objects.count() == 1
    assert hotspot_notices().count() == 1
    # The next period counts afresh: three more cases raise a new alert.
    frozen_time.set(sh(2026, 12, 10))
    for _ in range(3):
        cases.dispatched()
    run_next_morning()
    assert list(HotspotAlert.objects.order_by("id").values_list("period_start", "count")) == [
        (dt.date(2026, 11, 10), 3),
        (dt.date(2026, 12, 10), 3),
    ]


def test_below_threshold_raises_nothing(
    org: Org, cases: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hotspot_rules(monkeypatch, HotspotRules(period_days=30, thresholds=(("matter", 3),)))
    cases.dispatched()
    cases.dispatched()
    assert raise_hotspots(timezone.now()) == []
    assert not hotspot_notices().exists()


POLICY = """
name = "t"
version = "1"
yellow_hours = 24
[limits."reply"]
rule = "working_days"
days = 5
[clocks.reply]
by = "complexity"
default = "reply"
"""


def test_policy_hotspots_table_is_optional_and_validated() -> None:
    assert parse_policy(POLICY, "t.toml").hotspots == HotspotRules()
    rules = parse_policy(POLICY + "[hotspots]\nperiod_days = 7\ncause = 0\n", "t.toml").hotspots
    assert rules == HotspotRules(7, (("matter", 5), ("department", 5)))
    with pytest.raises(PolicyError) as error:
        parse_policy(POLICY + "[hotspots]\nperiod_days = 0\n", "t.toml")
    assert str(error.value) == (
        "t.toml: [hotspots]: 'period_days' must be a whole number from 1 to 366"
    )
    with pytest.raises(PolicyError) as error:
        parse_policy(POLICY + "[hotspots]\nstreet = 3\n", "t.toml")
    assert str(error.value) == "t.toml: [hotspots]: unknown keys street"
