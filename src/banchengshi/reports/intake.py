"""The dashboard's intake by local day (R-REP-4), read from IntakeDay for past days and counted
live for today, so that a refresh does not group a year of cases (6.2 s at 1,000,000 cases).

A past day's count in a scope changes in two ways only, and each writer says so in its own
transaction (cases.signals.past_intake_changed, received by `forget_from`):
- a case registered with an earlier received_at (the window's and the API's back-dating, the
  import of other systems' records): every scope's rows from that day on are deleted;
- a case received on an earlier day linked to another unit (dispatch, return, co-handling):
  a unit scope counts the cases linked to its units, so the unit scopes' rows from that day
  on are deleted (the district's count does not depend on links).
A reader finds which days of its window have no row and counts them in one GROUP BY over the
range from the first to the last of them, then keeps them.

A reader's count and a writer's invalidation can cross: the reader's GROUP BY may miss a case
still uncommitted, and insert its rows after the writer deleted. So every invalidation bumps
IntakeVersion (the writer holds that row until it commits) and a reader inserts only while
holding the row itself and finding the version it read before counting; a writer that comes
later deletes after the reader's commit, its rows included.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet

from banchengshi.cases.models import Case, CaseUnit
from banchengshi.org.scope import Scope
from banchengshi.reports.models import IntakeDay, IntakeVersion
from banchengshi.reports.sql import LocalDate
from banchengshi.workdays.calendar import SHANGHAI

DISTRICT = "district"
VERSION_ROW = 1


def scope_key(scope: Scope) -> str:
    """The key of a reader's scope: the district, or the exact set of units it sees (a change
    of memberships or of the unit tree is another set, counted afresh)."""
    if scope.sees_all:
        return DISTRICT
    units = ",".join(str(pk) for pk in sorted(scope.visible_unit_ids))
    return "units-" + hashlib.sha1(units.encode(), usedforsecurity=False).hexdigest()


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), SHANGHAI)


def _counted(scope: Scope, first: dt.date, end: dt.date | None) -> dict[dt.date, int]:
    """The cases received on each local day from `first` until `end` (excluded; None: no end),
    one GROUP BY over that received_at range. A unit scope counts a case linked to its units
    once, whatever its relations (responsible, handling…)."""
    cases: QuerySet[Case] = Case.objects.filter(received_at__gte=_start(first))
    if end is not None:
        cases = cases.filter(received_at__lt=_start(end))
    if not scope.sees_all:
        # EXISTS rather than a join: the plan starts from the range's cases (received_at
        # index) and probes each case's links (case, unit); joined, SQLite read every link of
        # the units first (all their cases ever, 0.3 s for today's 100 at 1,000,000).
        linked = CaseUnit.objects.filter(
            case=OuterRef("pk"), unit_id__in=sorted(scope.visible_unit_ids)
        )
        cases = cases.filter(Exists(linked))
    rows = (
        cases.order_by()
        .annotate(day=LocalDate("received_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return dict(rows)


def _version() -> int:
    return IntakeVersion.objects.filter(pk=VERSION_ROW).values_list("n", flat=True).first() or 0


def _keep(key: str, counts: dict[dt.date, int], version: int) -> None:
    """Keep the days counted, unless an invalidation came after `version` was read."""
    with transaction.atomic():
        # The row exists once anything was invalidated; made here so that it can be locked.
        IntakeVersion.objects.bulk_create([IntakeVersion(pk=VERSION_ROW)], ignore_conflicts=True)
        row = IntakeVersion.objects.select_for_update().get(pk=VERSION_ROW)
        if row.n != version:
            return
        IntakeDay.objects.bulk_create(
            [IntakeDay(scope=key, day=day, count=n) for day, n in counts.items()],
            ignore_conflicts=True,
        )


def intake_by_day(scope: Scope, since: dt.date, today: dt.date) -> dict[dt.date, int]:
    """The cases received on each local day from `since` on in the reader's scope: the kept
    past days (one read), the days not kept counted and kept (one GROUP BY over their range),
    today and after counted live (one GROUP BY over today's cases)."""
    key = scope_key(scope)
    kept = dict(
        IntakeDay.objects.filter(scope=key, day__gte=since, day__lt=today).values_list(
            "day", "count"
        )
    )
    days = [since + dt.timedelta(days=i) for i in range((today - since).days)]
    missing = [day for day in days if day not in kept]
    if missing:
        version = _version()
        found = _counted(scope, missing[0], missing[-1] + dt.timedelta(days=1))
        fresh = {day: found.get(day, 0) for day in missing}
        _keep(key, fresh, version)
        kept.update(fresh)
    daily = {day: n for day, n in kept.items() if n}
    daily.update(_counted(scope, today, None))
    return daily


def on_past_intake_changed(sender: object, *, day: dt.date, district: bool, **kw: object) -> None:
    forget_from(day, district=district)


def forget_from(day: dt.date, *, district: bool) -> None:
    """Delete the kept counts from `day` on: of every scope, or (`district` False: a link to a
    unit changed) of the unit scopes only. Runs in the writer's transaction."""
    bumped = IntakeVersion.objects.filter(pk=VERSION_ROW).update(n=F("n") + 1)
    if not bumped:
        IntakeVersion.objects.bulk_create([IntakeVersion(pk=VERSION_ROW)], ignore_conflicts=True)
        IntakeVersion.objects.filter(pk=VERSION_ROW).update(n=F("n") + 1)
    rows = IntakeDay.objects.filter(day__gte=day)
    if not district:
        rows = rows.exclude(scope=DISTRICT)
    rows.delete()


# The dashboard reads 12 months and 12 weeks back; older kept days are dropped.
KEPT_DAYS = 400


def prune_intake(today: dt.date) -> int:
    """Drop the kept days no dashboard reads any more (the job reports.league)."""
    deleted, _ = IntakeDay.objects.filter(day__lt=today - dt.timedelta(days=KEPT_DAYS)).delete()
    return deleted
