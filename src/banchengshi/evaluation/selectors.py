"""Reads of evaluations: a person's list (their units', the office all) with filters, the 差评
queue with its clocks, one evaluation with its handling, appeal and history, and the counts
per level for reports and the public page (`evaluation_counts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Satisfaction
from banchengshi.cases.queues import Bounded, page_of
from banchengshi.errors import NotFound
from banchengshi.evaluation.access import may_see, visible_evaluations
from banchengshi.evaluation.models import (
    OPEN_HANDLING,
    BadReview,
    Evaluation,
    EvaluationAppeal,
    EvaluationEvent,
)
from banchengshi.ids import MAX_ID
from banchengshi.org.scope import Scope
from banchengshi.workdays.calendar import SHANGHAI

PER_PAGE = 50
# The levels the satisfaction rate counts as satisfied (very satisfied, satisfied, basically
# satisfied), over every rating counted.
SATISFIED_LEVELS = (
    Satisfaction.VERY_SATISFIED,
    Satisfaction.SATISFIED,
    Satisfaction.BASICALLY_SATISFIED,
)


@dataclass(frozen=True)
class Filters:
    level: int | None = None
    channel: str = ""
    subject_kind: str = ""
    unit_id: int | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def evaluations_page(scope: Scope, filters: Filters, page: int) -> Bounded[Evaluation]:
    """Newest first, on the (unit, time) or (time) index; the filters narrow that range."""
    rows = visible_evaluations(scope)
    if filters.unit_id is not None:
        rows = rows.filter(unit_id=filters.unit_id)
    if filters.level is not None:
        rows = rows.filter(level=filters.level)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.subject_kind:
        rows = rows.filter(subject_kind=filters.subject_kind)
    if filters.start is not None:
        rows = rows.filter(evaluated_at__gte=filters.start)
    if filters.end is not None:
        rows = rows.filter(evaluated_at__lt=filters.end)
    rows = rows.select_related("unit", "handling").order_by("-evaluated_at", "-id")
    return page_of(rows, page, per_page=PER_PAGE)


def bad_review_queue(scope: Scope, page: int) -> Bounded[BadReview]:
    """The open 差评 of the person's units (the office: all), soonest deadline first."""
    rows = BadReview.objects.filter(status__in=OPEN_HANDLING)
    if not scope.sees_all:
        rows = rows.filter(unit_id__in=scope.visible_unit_ids)
    rows = rows.select_related("evaluation", "unit").order_by("due", "id")
    return page_of(rows, page, per_page=PER_PAGE)


def overdue_count(scope: Scope) -> int:
    rows = BadReview.objects.filter(status__in=OPEN_HANDLING, due__lt=timezone.now())
    if not scope.sees_all:
        rows = rows.filter(unit_id__in=scope.visible_unit_ids)
    return rows.count()


def pending_appeals(scope: Scope) -> list[EvaluationAppeal]:
    """The office's decisions to take, oldest first (the first page of them)."""
    if not scope.sees_all:
        return []
    return list(
        EvaluationAppeal.objects.filter(status="pending")
        .select_related("evaluation", "evaluation__unit")
        .order_by("filed_at", "id")[:PER_PAGE]
    )


@dataclass(frozen=True)
class EvaluationView:
    evaluation: Evaluation
    task: BadReview | None
    appeal: EvaluationAppeal | None
    events: list[EvaluationEvent]


def evaluation_view(scope: Scope, evaluation_id: int) -> EvaluationView:
    evaluation = (
        Evaluation.objects.select_related("unit", "staff", "matter", "case")
        .filter(pk=evaluation_id)
        .first()
        if 1 <= evaluation_id <= MAX_ID
        else None
    )
    if evaluation is None or not may_see(scope, evaluation):
        raise NotFound(_("There is no such evaluation."))
    return EvaluationView(
        evaluation=evaluation,
        task=BadReview.objects.filter(evaluation=evaluation).first(),
        appeal=EvaluationAppeal.objects.filter(evaluation=evaluation)
        .select_related("filed_by", "decided_by")
        .first(),
        events=list(
            EvaluationEvent.objects.filter(evaluation=evaluation)
            .select_related("actor")
            .order_by("at", "id")
        ),
    )


def kept_external_ids(source: str, ids: set[str]) -> set[str]:
    """Which of an outside source's record ids are kept as evaluations: one indexed query."""
    return set(
        Evaluation.objects.filter(external_source=source, external_id__in=ids)
        .exclude(external_source="")
        .values_list("external_id", flat=True)
    )


# --- counts -----------------------------------------------------------------------------------


class CountBy(StrEnum):
    UNIT = "unit"
    MONTH = "month"
    CHANNEL = "channel"
    SUBJECT = "subject_kind"


@dataclass
class LevelCounts:
    """One group's ratings: how many of each level, and the satisfaction rate."""

    key: dict[str, object]
    levels: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfied(self) -> int:
        return sum(self.levels.get(level, 0) for level in SATISFIED_LEVELS)

    @property
    def rate(self) -> float | None:
        """Satisfied ratings over all ratings counted, as a fraction; None without any."""
        return self.satisfied / self.total if self.total else None

    def by_level(self) -> list[tuple[Satisfaction, int]]:
        """Best first, as the scheme lists them."""
        return [(level, self.levels.get(level, 0)) for level in sorted(Satisfaction, reverse=True)]


def counted(rows: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """What the figures count: ratings whose appeal the office upheld are left out."""
    return rows.filter(excluded=False)


def evaluation_counts(
    start: dt.datetime, end: dt.datetime, *, by: Sequence[CountBy]
) -> list[LevelCounts]:
    """Ratings from `start` (included) to `end` (excluded) per group of `by` (the month in
    Asia/Shanghai), each with its counts per level: one GROUP BY over the time index."""
    columns: list[str] = []
    rows = counted(Evaluation.objects.filter(evaluated_at__gte=start, evaluated_at__lt=end))
    for dimension in by:
        if dimension is CountBy.MONTH:
            rows = rows.annotate(month=TruncMonth("evaluated_at", tzinfo=SHANGHAI))
            columns.append("month")
        elif dimension is CountBy.UNIT:
            columns += ["unit_id", "unit__name"]
        else:
            columns.append(dimension.value)
    grouped: dict[tuple[object, ...], LevelCounts] = {}
    for row in rows.values(*columns, "level").annotate(n=Count("id")).order_by(*columns, "level"):
        key = tuple(row[column] for column in columns)
        if key not in grouped:
            values = {column: row[column] for column in columns}
            if "month" in values and isinstance(values["month"], dt.datetime):
                values["month"] = values["month"].astimezone(SHANGHAI).date()
            grouped[key] = LevelCounts(values)
        grouped[key].levels[row["level"]] = row["n"]
    return list(grouped.values())


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """A calendar month in Asia/Shanghai, as the instants it starts and ends."""
    first = dt.datetime(year, month, 1, tzinfo=SHANGHAI)
    following = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=SHANGHAI)
    return first, following
