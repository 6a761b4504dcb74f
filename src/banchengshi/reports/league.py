"""Last month's league table on the dashboard (R-REP-4), from a snapshot (LeagueSnapshot).

A closed month's league still changes as its cases are replied to, rated or supervised, so it
cannot be kept for good like a past day's intake; grouping the month's cases, clocks and
supervisions on every refresh costs seconds at a district's size (2 to 7 s each at 1,000,000
cases). The scheduler computes it every LEAGUE_EVERY (reports.jobs) and the dashboard shows
the snapshot with the time it was computed. A snapshot missing or older than LEAGUE_STALE (the
scheduler stopped, a new month began before its first run, a test's clock moved) is computed
by the reader itself, so the league shown is never older than LEAGUE_STALE.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from banchengshi.reports.metrics import UnitRow, league
from banchengshi.reports.models import LeagueSnapshot
from banchengshi.reports.periods import Period

LEAGUE_EVERY = dt.timedelta(minutes=15)
LEAGUE_STALE = 2 * LEAGUE_EVERY


@dataclasses.dataclass(frozen=True)
class StoredLeague:
    rows: list[UnitRow]
    computed_at: dt.datetime


def _stored(snapshot: LeagueSnapshot) -> StoredLeague:
    return StoredLeague([UnitRow(**row) for row in snapshot.rows], snapshot.computed_at)


def do_store_league(period: Period, *, now: dt.datetime) -> StoredLeague:
    """Compute the period's league as of `now` and keep it (one row per period, replaced)."""
    rows = league(period, now=now)
    LeagueSnapshot.objects.update_or_create(
        period=period.label,
        defaults={"computed_at": now, "rows": [dataclasses.asdict(row) for row in rows]},
    )
    return StoredLeague(rows, now)


def last_league(period: Period, *, now: dt.datetime) -> StoredLeague:
    """The period's league as last computed, computed now if that was before
    now - LEAGUE_STALE (or after now: a clock set back)."""
    snapshot = LeagueSnapshot.objects.filter(period=period.label).first()
    if snapshot is None or not now - LEAGUE_STALE <= snapshot.computed_at <= now:
        return do_store_league(period, now=now)
    return _stored(snapshot)
