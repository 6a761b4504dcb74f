"""Reading the proposal records: the proposed unit of the cases on a page of the hub's
dispatch queue (one query), and the office's accuracy report over a period (SQL aggregates
on the index of records chosen by staff, by time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from banchengshi.errors import Forbidden
from banchengshi.knowledge.models import ProposalRecord
from banchengshi.knowledge.proposals.proposer import FIELDS
from banchengshi.org.models import Role, Unit
from banchengshi.org.scope import Scope
from banchengshi.workdays.calendar import SHANGHAI

# Who retunes the proposer: the office that runs the reflection window.
ACCURACY_ROLES = frozenset({Role.OFFICE_ADMIN})
# Pairs of category proposed → category kept listed, most frequent first.
OVERRIDES_SHOWN = 10


@dataclass(frozen=True)
class ProposedUnit:
    unit: Unit
    reason: str


def proposed_units(case_ids: Iterable[int]) -> dict[int, ProposedUnit]:
    """The unit proposed at registration for each of these cases that had one, by case id."""
    records = ProposalRecord.objects.filter(
        case_id__in=list(case_ids), proposed_unit__isnull=False
    ).select_related("proposed_unit")
    return {
        record.case_id: ProposedUnit(record.proposed_unit, str(record.reasons.get("unit", "")))
        for record in records
        if record.proposed_unit is not None
    }


def proposed_unit_of(case_id: int) -> Unit | None:
    record = ProposalRecord.objects.filter(case_id=case_id).select_related("proposed_unit").first()
    return record.proposed_unit if record is not None else None


def may_see_accuracy(scope: Scope) -> bool:
    return scope.has_role(ACCURACY_ROLES)


def require_accuracy(scope: Scope) -> None:
    if not may_see_accuracy(scope):
        raise Forbidden(_("The accuracy of proposals is shown to the office's administrators."))


@dataclass(frozen=True)
class FieldAccuracy:
    field: str
    kept: int
    changed: int

    @property
    def percent(self) -> int | None:
        total = self.kept + self.changed
        return round(100 * self.kept / total) if total else None


@dataclass(frozen=True)
class Override:
    proposed: str
    kept: str
    count: int


@dataclass(frozen=True)
class AccuracyReport:
    start: dt.date
    end: dt.date
    records: int
    fields: list[FieldAccuracy]
    overrides: list[Override]


def _kept(field: str) -> Q:
    """The registered value is the proposed one (for a matter or unit: both none counts)."""
    proposed, final = f"proposed_{field}", f"final_{field}"
    same = Q(**{proposed: F(final)})
    if field in ("matter", "unit"):
        same |= Q(**{f"{proposed}__isnull": True, f"{final}__isnull": True})
    return same


def accuracy_report(scope: Scope, *, start: dt.date, end: dt.date) -> AccuracyReport:
    """Per field, how many cases registered by staff from `start` to `end` (days in
    Asia/Shanghai, both included) kept the proposal, and the categories staff chose instead."""
    require_accuracy(scope)
    records = ProposalRecord.objects.filter(
        by_staff=True,
        created_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=SHANGHAI),
        created_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI),
    )
    counts = records.aggregate(
        records=Count("pk"), **{field: Count("pk", filter=_kept(field)) for field in FIELDS}
    )
    total = counts["records"]
    overrides = (
        records.exclude(_kept("category"))
        .values_list("proposed_category", "final_category")
        .annotate(count=Count("pk"))
        .order_by("-count", "proposed_category", "final_category")
    )
    return AccuracyReport(
        start=start,
        end=end,
        records=total,
        fields=[FieldAccuracy(f, counts[f], total - counts[f]) for f in FIELDS],
        overrides=[Override(*row) for row in overrides[:OVERRIDES_SHOWN]],
    )
