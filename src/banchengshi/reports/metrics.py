"""One source of figures (R-REP-1, R-CAT-2): every count of a report, for a period and a scope,
aggregated in SQL.

The figures are those of the cases *received* in the period (a cohort): how many were accepted,
replied on time, rated…; what happened to them later counts for the period they came in, so a
month's report grows truer as its cases finish, and the report says when it was computed.
The figures of the cases' own columns are conditional COUNTs of one GROUP BY (responsible unit,
channel, category) over the period's cases (the received_at index); those of their clocks,
supervisions, clock requests and return visits are COUNT(DISTINCT case) over each table joined
to the cohort; the breakdowns (matter, cause, handling days) are GROUP BYs of the same cases.
Nothing loads cases into Python: the average handling time groups the cases by (received day,
replied day) and applies the working-day calendar to those pairs. Each statement is compiled
once per process (reports.compiled).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from banchengshi.cases.causes import CAUSES
from banchengshi.cases.models import (
    Case,
    CaseUnit,
    Category,
    CauseSide,
    Channel,
    Clock,
    ClockKind,
    ClockRequest,
    ReturnVisit,
    Satisfaction,
    State,
    Supervision,
)
from banchengshi.org.models import Unit
from banchengshi.reports import compiled
from banchengshi.reports.compiled import Instants
from banchengshi.reports.definitions import PATH, Definitions, load_definitions
from banchengshi.reports.periods import Period
from banchengshi.reports.records import record_counts
from banchengshi.reports.scopes import ReportScope
from banchengshi.reports.sql import LocalDate, as_date
from banchengshi.workdays.calendar import reckon
from banchengshi.workdays.registry import current_calendar

# The counts, in the order a report lists them; each key is part of the JSON contract.
COUNTS = (
    "received",
    "accepted",
    "not_admissible",
    "on_the_spot",
    "replied",
    "replied_on_time",
    "replied_late",
    "overdue",
    "overdue_open",
    "contact_due",
    "contacted_in_time",
    "return_visits",
    "rated",
    "satisfied",
    "solved",
    "solved_asked",
    "supervised",
    "returned",
    "extensions",
    "suspensions",
    "closed",
    "rectification_opened",
    "rectification_done",
    "rectification_verified",
    "rectification_overdue",
    "knowledge_entries_added",
    "fast_channel",
    "evaluations",
    "bad_reviews",
    "bad_reviews_closed",
    "remote_sessions",
    "door_to_door_requests",
    "door_to_door_done",
)
TOP = 10


@cache
def definitions() -> Definitions:
    return load_definitions(PATH.read_text(encoding="utf-8"), figures=frozenset(COUNTS))


def in_cohort(period: Period | Instants, scope: ReportScope, case: str = "") -> Q:
    """The condition that the case (`case`: the path to it from another model, e.g. "case__")
    was received in the period, within the scope. A record of the cases is filtered through
    its join to the case, so that the period's received_at index leads the plan."""
    condition = Q(**{f"{case}received_at__gte": period.start_at}) & Q(
        **{f"{case}received_at__lt": period.end_at}
    )
    units = scope.unit_ids()
    if units is not None:
        condition &= Q(
            Exists(
                CaseUnit.objects.filter(
                    case=OuterRef(f"{case}pk" if case else "pk"),
                    unit__in=units,
                    relation__in=(CaseUnit.Relation.OWNER, CaseUnit.Relation.HANDLING),
                )
            )
        )
    return condition


def cohort(period: Period | Instants, scope: ReportScope) -> QuerySet[Case]:
    return Case.objects.filter(in_cohort(period, scope))


REPLY_KINDS = (ClockKind.REPLY, ClockKind.NOT_ADMISSIBLE_REPLY)


def _case_expressions() -> dict[str, Count]:
    """The counts read from the cases' own columns, each one conditional COUNT."""
    levels = definitions().satisfied_levels
    return {
        "received": Count("pk"),
        "not_admissible": Count("pk", filter=~Q(not_admissible_reason="")),
        "on_the_spot": Count("pk", filter=Q(on_the_spot=True)),
        "replied": Count("pk", filter=Q(replied_at__isnull=False)),
        "rated": Count("pk", filter=Q(satisfaction__isnull=False)),
        "satisfied": Count("pk", filter=Q(satisfaction__in=levels)),
        "solved": Count("pk", filter=Q(solved=True)),
        "solved_asked": Count("pk", filter=Q(solved__isnull=False)),
        "returned": Count("pk", filter=Q(returns_count__gt=0)),
        "closed": Count("pk", filter=Q(state=State.CLOSED)),
        "fast_channel": Count("pk", filter=Q(fast_channel=True)),
        "department_causes": Count("pk", filter=Q(cause_side=CauseSide.DEPARTMENT)),
        **{
            f"level_{level.value}": Count("pk", filter=Q(satisfaction=level.value))
            for level in Satisfaction
        },
    }


def _late_clocks(now: dt.datetime) -> tuple[Q, Q]:
    """The clock of a case replied late, and the running clock of a case overdue unanswered."""
    # A reply is late when its first round's clock stopped after its deadline; a case answered
    # on the spot has no reply clock and was on time.
    late = Q(kind__in=REPLY_KINDS, round=1, stopped_at__isnull=False, stopped_at__gt=F("due"))
    replied_late = Q(case__replied_at__isnull=False) & late
    open_late = (
        Q(case__replied_at__isnull=True)
        & ~Q(case__state=State.CLOSED)
        & Q(
            stopped_at__isnull=True,
            paused_at__isnull=True,
            due__lt=now,
            kind__in=(ClockKind.CONTACT, ClockKind.CAUSE_ANALYSIS, *REPLY_KINDS),
        )
    )
    return replied_late, open_late


def _clock_expressions(now: dt.datetime) -> dict[str, Count]:
    """The counts of cases by their clocks, each a COUNT(DISTINCT case) over the clocks."""
    replied_late, open_late = _late_clocks(now)
    contact = Q(kind=ClockKind.CONTACT, round=1)
    return {
        "replied_late": Count("case", distinct=True, filter=replied_late),
        "overdue_open": Count("case", distinct=True, filter=open_late),
        "overdue": Count("case", distinct=True, filter=replied_late | open_late),
        "contact_due": Count("case", distinct=True, filter=contact),
        "contacted_in_time": Count(
            "case",
            distinct=True,
            filter=contact & Q(stopped_at__isnull=False, stopped_at__lte=F("due")),
        ),
    }


def _by_unit_of_case(
    scope: ReportScope, instants: Instants, unit_field: str
) -> dict[int | None, Counter[str]]:
    """The clock counts and the supervised cases of the cohort by one of their units: a GROUP
    BY over the cohort's clocks and one over its supervisions. Joined to the cohort rather
    than asked per case (EXISTS): PostgreSQL answers an EXISTS in a FILTER by hashing the whole
    table, every year's rows for a month's report."""
    key = f"case__{unit_field}_id"

    def clocks(at: Instants) -> QuerySet[Any, Any]:
        expressions = _clock_expressions(at.now)
        return (
            Clock.objects.filter(in_cohort(at, scope, "case__"))
            .order_by()
            .values(key)
            .annotate(**{f"n_{name}": count for name, count in expressions.items()})
        )

    def supervised(at: Instants) -> QuerySet[Any, Any]:
        return (
            Supervision.objects.filter(in_cohort(at, scope, "case__"))
            .order_by()
            .values(key)
            .annotate(n_supervised=Count("case", distinct=True))
        )

    found: dict[int | None, Counter[str]] = {}
    for build in (clocks, supervised):
        for row in compiled.rows(build, (scope.shape, unit_field), instants):
            unit = row.pop(key)
            found.setdefault(unit, Counter()).update(
                {name.removeprefix("n_"): n for name, n in row.items()}
            )
    return found


def _case_totals(scope: ReportScope, instants: Instants) -> dict[str, int]:
    """The cohort's cases visited again, granted an extension, granted a suspension."""

    def requests(at: Instants) -> dict[str, int]:
        # An approved suspension is "ended" once the case resumes: both were granted.
        approved = (ClockRequest.Decision.APPROVED, ClockRequest.Decision.ENDED)
        return ClockRequest.objects.filter(
            in_cohort(at, scope, "case__"), decision__in=approved
        ).aggregate(
            extensions=Count("case", distinct=True, filter=Q(kind=ClockRequest.Kind.EXTENSION)),
            suspensions=Count("case", distinct=True, filter=Q(kind=ClockRequest.Kind.SUSPENSION)),
        )

    def visits(at: Instants) -> dict[str, int]:
        return ReturnVisit.objects.filter(in_cohort(at, scope, "case__")).aggregate(
            return_visits=Count("case", distinct=True)
        )

    return {
        **compiled.row(requests, (scope.shape,), instants),
        **compiled.row(visits, (scope.shape,), instants),
    }


# The figures whose cases a list can show (the league table's and the intake's): each the
# condition the counted cases meet, so the list holds exactly the cases counted.
LISTED_FIGURES = ("received", "replied", "rated", "overdue", "supervised")


def figure_condition(key: str, now: dt.datetime) -> Q:
    """The condition a case of the cohort meets to be counted in figure `key`."""
    if key in ("received", "replied", "rated"):
        condition = _case_expressions()[key].filter
        return condition if isinstance(condition, Q) else Q()
    if key == "overdue":
        replied_late, open_late = _late_clocks(now)
        return Q(Exists(Clock.objects.filter(replied_late | open_late, case=OuterRef("pk"))))
    if key == "supervised":
        return Q(Exists(Supervision.objects.filter(case=OuterRef("pk"))))
    raise ValueError(f"no list of cases for figure {key!r}")


@dataclass(frozen=True)
class UnitRow:
    """One unit's figures in a league table or a public table."""

    unit_id: int
    unit_name: str
    received: int
    not_admissible: int
    on_the_spot: int
    replied: int
    replied_on_time: int
    overdue: int
    rated: int
    satisfied: int
    supervised: int
    # Cases with a department-side cause (the accountability list reads it).
    department_causes: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.replied_on_time / self.replied, 4) if self.replied else None

    @property
    def on_the_spot_rate(self) -> float | None:
        accepted = self.received - self.not_admissible
        return round(self.on_the_spot / accepted, 4) if accepted else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(self.satisfied / self.rated, 4) if self.rated else None


def _unit_row(unit_id: int, unit_name: str, found: Mapping[str, int]) -> UnitRow:
    return UnitRow(
        unit_id=unit_id,
        unit_name=unit_name,
        received=found["received"],
        not_admissible=found["not_admissible"],
        on_the_spot=found["on_the_spot"],
        replied=found["replied"],
        replied_on_time=found["replied"] - found["replied_late"],
        overdue=found["overdue"],
        rated=found["rated"],
        satisfied=found["satisfied"],
        supervised=found["supervised"],
        department_causes=found["department_causes"],
    )


@dataclass(frozen=True)
class CaseCounts:
    counts: dict[str, int]
    by_channel: dict[str, int]
    by_category: dict[str, int]
    # The responsible units' rows (the accountability list reads them).
    units: tuple[UnitRow, ...]


def _case_groups(scope: ReportScope, instants: Instants, *groups: str) -> list[dict[str, Any]]:
    """The cohort's counts from the cases' own columns (under "n_…": an alias may not be a
    field's name, `solved`), grouped by `groups`."""

    def counted(at: Instants) -> QuerySet[Any, Any]:
        return (
            cohort(at, scope)
            .order_by()
            .values(*groups)
            .annotate(**{f"n_{key}": count for key, count in _case_expressions().items()})
        )

    return compiled.rows(counted, (scope.shape, groups, definitions()), instants)


def _case_counts(scope: ReportScope, instants: Instants) -> CaseCounts:
    """Every count of the cohort, its breakdowns by channel and category and its responsible
    units' figures: one GROUP BY (responsible unit, channel, category) of the cases, a few
    hundred groups added up here, and one per table of their records."""
    keys = tuple(_case_expressions())
    counts: Counter[str] = Counter(dict.fromkeys(keys, 0))
    by_channel = dict.fromkeys(Channel.values, 0)
    by_category = dict.fromkeys(Category.values, 0)
    per_unit: dict[int | None, Counter[str]] = {}
    for group in _case_groups(scope, instants, "owner_unit_id", "channel", "category"):
        found = {key: group[f"n_{key}"] for key in keys}
        counts.update(found)
        by_channel[group["channel"]] = by_channel.get(group["channel"], 0) + found["received"]
        by_category[group["category"]] = by_category.get(group["category"], 0) + found["received"]
        per_unit.setdefault(group["owner_unit_id"], Counter()).update(found)
    counts.update(dict.fromkeys((*_clock_expressions(instants.now), "supervised"), 0))
    for unit, linked in _by_unit_of_case(scope, instants, "owner_unit").items():
        counts.update(linked)
        per_unit.setdefault(unit, Counter()).update(linked)
    counts.update(_case_totals(scope, instants))
    units = [pk for pk in per_unit if pk is not None]
    names = dict(Unit.objects.filter(pk__in=units).values_list("pk", "name"))
    rows = tuple(_unit_row(pk, names[pk], per_unit[pk]) for pk in units)
    return CaseCounts(dict(counts), by_channel, by_category, rows)


def by_unit(period: Period, unit_field: str, *, now: dt.datetime | None = None) -> list[UnitRow]:
    """The period's cases grouped by one of their units (`owner_unit`: the responsible unit;
    `registered_unit`: where they were registered): a GROUP BY of the cases, of their clocks
    and of their supervisions."""
    instants = Instants(period.start_at, period.end_at, now or timezone.now())
    district = ReportScope()
    key = f"{unit_field}_id"
    keys = tuple(_case_expressions())
    groups = _case_groups(district, instants, key)
    linked = _by_unit_of_case(district, instants, unit_field)
    units = [group[key] for group in groups if group[key] is not None]
    names = dict(Unit.objects.filter(pk__in=units).values_list("pk", "name"))
    return [
        _unit_row(
            group[key],
            names[group[key]],
            Counter({name: group[f"n_{name}"] for name in keys})
            + linked.get(group[key], Counter()),
        )
        for group in groups
        if group[key] is not None
    ]


def league(period: Period, *, now: dt.datetime | None = None) -> list[UnitRow]:
    """The responsible units of the period's cases: best on-time rate first, then best
    satisfaction (units without replies last)."""
    return sorted(
        by_unit(period, "owner_unit", now=now),
        key=lambda r: (
            r.on_time_rate is None,
            -(r.on_time_rate or 0),
            -(r.satisfaction_rate or 0),
            r.unit_name,
        ),
    )


@dataclass(frozen=True)
class Ranked:
    key: str
    label: str
    count: int
    side: str = ""


def _top_matters(scope: ReportScope, instants: Instants) -> list[Ranked]:
    def matters(at: Instants) -> QuerySet[Any, Any]:
        return (
            cohort(at, scope)
            .filter(matter__isnull=False)
            .order_by()
            .values("matter_id", "matter__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "matter_id")[:TOP]
        )

    return [
        Ranked(str(row["matter_id"]), row["matter__name"], row["n"])
        for row in compiled.rows(matters, (scope.shape,), instants)
    ]


def _causes(scope: ReportScope, instants: Instants) -> tuple[list[Ranked], dict[str, int]]:
    """The most frequent causes and the cases by cause side, from one GROUP BY of both (a
    district has a few dozen causes)."""

    def causes(at: Instants) -> QuerySet[Any, Any]:
        return (
            cohort(at, scope).order_by().values("cause_code", "cause_side").annotate(n=Count("pk"))
        )

    rows = [
        (row["cause_code"], row["cause_side"], row["n"])
        for row in compiled.rows(causes, (scope.shape,), instants)
    ]
    sides = dict.fromkeys(CauseSide.values, 0)
    for _code, side, n in rows:
        if side:
            sides[side] = sides.get(side, 0) + n
    ranked = []
    for code, side, n in sorted((row for row in rows if row[0]), key=lambda r: (-r[2], r[0]))[:TOP]:
        cause = CAUSES.get(code)
        ranked.append(Ranked(code, cause.label if cause else code, n, side))
    return ranked, sides


@dataclass(frozen=True)
class HandlingDays:
    average: float | None
    # Years of the calendar that were not loaded and were counted Monday to Friday.
    assumed_years: tuple[int, ...]


def _handling_days(scope: ReportScope, instants: Instants) -> HandlingDays:
    """Working days from receipt to reply, averaged: the cases grouped by their two local days
    (a month has at most a few hundred such pairs), the calendar applied to each pair."""

    def pairs(at: Instants) -> QuerySet[Any, Any]:
        return (
            cohort(at, scope)
            .filter(replied_at__isnull=False)
            .order_by()
            .annotate(got=LocalDate("received_at"), answered=LocalDate("replied_at"))
            .values("got", "answered")
            .annotate(n=Count("pk"))
        )

    rows = [
        (as_date(row["got"]), as_date(row["answered"]), row["n"])
        for row in compiled.rows(pairs, (scope.shape,), instants)
    ]
    total = sum(n for _got, _answered, n in rows)
    if not total:
        return HandlingDays(None, ())
    counted = reckon(
        current_calendar(),
        lambda calendar: sum(
            n * max(calendar.workdays_between(got, answered), 0) for got, answered, n in rows
        ),
    )
    return HandlingDays(round(counted.value / total, 2), counted.assumed)


@dataclass(frozen=True)
class Accountable:
    """A unit on the accountability list of the report's period (reports.accountability)."""

    unit_id: int
    unit_name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    """Everything a report shows for one period and scope."""

    period: Period
    scope: ReportScope
    computed_at: dt.datetime
    counts: dict[str, int]
    rates: dict[str, float | None]
    satisfaction_levels: dict[int, int]
    by_channel: dict[str, int]
    by_category: dict[str, int]
    top_matters: list[Ranked]
    top_causes: list[Ranked]
    causes_by_side: dict[str, int]
    handling_days: HandlingDays
    # The district's report only (reports.build): the accountability list and its interviews.
    accountable: tuple[Accountable, ...] = ()
    interviews: int = 0
    # The responsible units' figures (the district's report lists some as accountable).
    units: tuple[UnitRow, ...] = ()

    @property
    def external(self) -> dict[str, int]:
        """The 12345 work orders and the review platform's records beside the window's own
        (R-REP-3)."""
        hotline = self.by_channel[Channel.HOTLINE_12345]
        review = self.by_channel[Channel.REVIEW_PLATFORM]
        return {
            "hotline_12345": hotline,
            "review_platform": review,
            "own_channels": self.counts["received"] - hotline - review,
        }


def compute_figures(
    period: Period, scope: ReportScope, *, now: dt.datetime | None = None
) -> Figures:
    now = now or timezone.now()
    instants = Instants(period.start_at, period.end_at, now)
    found = _case_counts(scope, instants)
    raw = dict(found.counts)
    levels = {level.value: raw.pop(f"level_{level.value}") for level in Satisfaction}
    counts = dict(raw)
    counts["accepted"] = counts["received"] - counts["not_admissible"]
    counts["replied_on_time"] = counts["replied"] - counts["replied_late"]
    counts.update(record_counts(scope, instants))
    counts = {key: counts[key] for key in COUNTS}
    rates = {
        rate.key: (
            round(counts[rate.numerator] / counts[rate.denominator], 4)
            if counts[rate.denominator]
            else None
        )
        for rate in definitions().rates
    }
    top_causes, sides = _causes(scope, instants)
    return Figures(
        period=period,
        scope=scope,
        computed_at=now,
        counts=counts,
        rates=rates,
        satisfaction_levels=levels,
        by_channel=found.by_channel,
        by_category=found.by_category,
        top_matters=_top_matters(scope, instants),
        top_causes=top_causes,
        causes_by_side=sides,
        handling_days=_handling_days(scope, instants),
        units=found.units,
    )
