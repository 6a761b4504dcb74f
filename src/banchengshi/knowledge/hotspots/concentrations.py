"""Hot spots (R-KB-3, 未诉先办): cases of one matter, department or cause piling up within a
period, found in SQL and raised to the office once per concentration and period.

Periods are fixed spans of the policy's `period_days` counted from 2000-01-01 in Asia/Shanghai,
so that "once per period" has one meaning whatever day the job runs: the daily job counts the
cases received since the current period began, and a concentration already raised in it is not
raised again. The counts are one GROUP BY per dimension over the cases of the period, read
through the index on the time received (`case_received`): the cost follows the cases of one
period, not all cases ever received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from banchengshi.cases import causes
from banchengshi.cases.models import Case
from banchengshi.catalog.models import Matter
from banchengshi.knowledge.hotspots.models import HotspotAlert, HotspotDimension
from banchengshi.notify.inbox import notify, people_with
from banchengshi.notify.models import NotificationKind
from banchengshi.org.models import Role, Unit
from banchengshi.policy.rules import HotspotRules, policy_in_force
from banchengshi.workdays.calendar import SHANGHAI, local_date

PERIOD_EPOCH = dt.date(2000, 1, 1)
# The cases kept with an alert; its count says how many there were.
MAX_ALERT_CASES = 200
# Who is told: the office (R-KB-3 "flagged to the office").
ALERTED_ROLES = (Role.OFFICE_ADMIN,)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # the last day, inclusive

    @classmethod
    def containing(cls, day: dt.date, days: int) -> Period:
        index = (day - PERIOD_EPOCH).days // days
        start = PERIOD_EPOCH + dt.timedelta(days=index * days)
        return cls(start, start + dt.timedelta(days=days - 1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period's instants, from its first day's midnight to after its last day."""
        start = dt.datetime.combine(self.start, dt.time(), tzinfo=SHANGHAI)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
        return start, end


@dataclass(frozen=True)
class Concentration:
    dimension: HotspotDimension
    key: str
    count: int


# The value each dimension groups by: a department involved, else the responsible unit.
GROUPED = {
    HotspotDimension.MATTER: F("matter_id"),
    HotspotDimension.DEPARTMENT: Coalesce("department_id", "owner_unit_id"),
    HotspotDimension.CAUSE: F("cause_code"),
}
PRESENT = {
    HotspotDimension.MATTER: Q(matter_id__isnull=False),
    HotspotDimension.DEPARTMENT: Q(department_id__isnull=False) | Q(owner_unit_id__isnull=False),
    HotspotDimension.CAUSE: ~Q(cause_code=""),
}


def _received_in(period: Period, until: dt.datetime) -> QuerySet[Case]:
    start, end = period.bounds()
    return Case.objects.filter(received_at__gte=start, received_at__lt=end, received_at__lte=until)


def concentrations(rules: HotspotRules, period: Period, until: dt.datetime) -> list[Concentration]:
    """Every matter, department and cause with at least its threshold of cases received in
    the period up to `until`, most cases first: one GROUP BY query per watched dimension."""
    found: list[Concentration] = []
    for name, threshold in rules.thresholds:
        dimension = HotspotDimension(name)
        rows = (
            _received_in(period, until)
            .filter(PRESENT[dimension])
            .annotate(subject=GROUPED[dimension])
            .values("subject")
            .annotate(n=Count("id"))
            .filter(n__gte=threshold)
            .order_by("-n", "subject")
        )
        found.extend(Concentration(dimension, str(row["subject"]), row["n"]) for row in rows)
    found.sort(key=lambda c: -c.count)
    return found


def cases_behind(concentration: Concentration, period: Period, until: dt.datetime) -> list[int]:
    """The newest cases of a concentration (at most MAX_ALERT_CASES)."""
    dimension = concentration.dimension
    cases = (
        _received_in(period, until)
        .annotate(subject=GROUPED[dimension])
        .filter(PRESENT[dimension], subject=concentration.key)
        .order_by("-received_at", "-id")
    )
    return list(cases.values_list("id", flat=True)[:MAX_ALERT_CASES])


def subject_name(dimension: str, key: str) -> str:
    """The matter's or unit's name, or the cause's label, in the staff's language (Chinese
    when stored: an alert is worded for the office of the district)."""
    if dimension == HotspotDimension.MATTER:
        return Matter.objects.filter(pk=int(key)).values_list("name", flat=True).first() or key
    if dimension == HotspotDimension.DEPARTMENT:
        return Unit.objects.filter(pk=int(key)).values_list("name", flat=True).first() or key
    cause = causes.get(key)
    return cause.zh if cause is not None else key


def raise_hotspots(now: dt.datetime) -> list[HotspotAlert]:
    """The daily job's work: an alert for each concentration of the current period not raised
    yet in it, with its cases, and a notice to the office. Safe to run again for a day: the
    unique constraint on (dimension, subject, period) holds each alert to once."""
    rules = policy_in_force().hotspots
    period = Period.containing(local_date(now), rules.period_days)
    thresholds = dict(rules.thresholds)
    raised = set(
        HotspotAlert.objects.filter(period_start=period.start).values_list(
            "dimension", "subject_key"
        )
    )
    alerts = []
    office = people_with(ALERTED_ROLES)
    for found in concentrations(rules, period, now):
        if (found.dimension.value, found.key) in raised:
            continue
        alert = _raise(found, period, now, threshold=thresholds[found.dimension.value])
        if alert is not None:
            alerts.append(alert)
            notify(
                user_ids=office,
                kind=NotificationKind.HOTSPOT_RAISED,
                params={
                    "subject": alert.subject,
                    "count": alert.count,
                    "since": period.start.isoformat(),
                    "alert": alert.pk,
                },
            )
    return alerts


def _raise(
    found: Concentration, period: Period, now: dt.datetime, *, threshold: int
) -> HotspotAlert | None:
    try:
        with transaction.atomic():
            alert = HotspotAlert.objects.create(
                dimension=found.dimension,
                subject_key=found.key,
                subject=subject_name(found.dimension, found.key)[:200],
                period_start=period.start,
                period_end=period.end,
                threshold=threshold,
                count=found.count,
                raised_at=now,
            )
            alert.cases.add(*cases_behind(found, period, now))
    except IntegrityError:  # raised meanwhile by another run of the job
        return None
    return alert
