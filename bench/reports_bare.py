"""The district report's figures by hand-written SQL: the baseline bench.reports measures
reports.build against.

One GROUP BY per table the figures read (the cases, their clocks, clock requests, return
visits and supervisions, rectification items, knowledge entries, evaluations and their
handling, remote sessions, door-to-door requests, interviews), plus the three breakdowns of
the cases a report ranks (matters, causes, handling days) — what a person writing the report
in SQL by hand would run, with nothing around it: no ORM, no JSON. The cases are grouped by
responsible unit, channel and category at once, so that one statement gives the totals, both
breakdowns and the accountability list's per-unit figures. Returns the counts under the
report's JSON keys, so that the bench checks that both computed the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

CASE_SUMS = (
    "received",
    "not_admissible",
    "on_the_spot",
    "replied",
    "rated",
    "satisfied",
    "solved",
    "solved_asked",
    "returned",
    "closed",
    "fast_channel",
    "department_causes",
    *(f"level_{level}" for level in range(1, 6)),
)
CLOCK_COUNTS = ("replied_late", "overdue_open", "overdue", "contact_due", "contacted_in_time")


def _tables() -> dict[str, str]:
    from banchengshi.cases.models import (
        Case,
        Clock,
        ClockRequest,
        ReturnVisit,
        Supervision,
    )
    from banchengshi.catalog.models import Matter
    from banchengshi.evaluation.models import BadReview, Evaluation
    from banchengshi.knowledge.models import Entry, RectificationItem
    from banchengshi.neighborhood.assistance.models import AssistanceRequest
    from banchengshi.neighborhood.sessions.models import RemoteSession
    from banchengshi.reports.models import Interview

    models: dict[str, Any] = {
        "case": Case,
        "clock": Clock,
        "request": ClockRequest,
        "visit": ReturnVisit,
        "supervision": Supervision,
        "matter": Matter,
        "rectification": RectificationItem,
        "entry": Entry,
        "evaluation": Evaluation,
        "bad_review": BadReview,
        "session": RemoteSession,
        "assistance": AssistanceRequest,
        "interview": Interview,
    }
    return {name: f'"{model._meta.db_table}"' for name, model in models.items()}


def _local_day(column: str, vendor: str) -> str:
    # Asia/Shanghai has kept UTC+8 without summer time since 1991.
    if vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Asia/Shanghai')::date"
    return f"date({column}, '+8 hours')"


def bare_figures(
    start: dt.datetime, end: dt.datetime, now: dt.datetime, period_label: str
) -> dict[str, Any]:
    """The figures of the cases received in [start, end), the rest of the period's records
    by their own instants, in 15 statements."""
    from django.db import connection

    from banchengshi.reports.metrics import definitions

    t = _tables()
    vendor = connection.vendor
    # As the ORM passes them: SQLite compares the stored UTC text, not an instant.
    start, end, now = (connection.ops.adapt_datetimefield_value(v) for v in (start, end, now))
    satisfied = ", ".join(str(level) for level in definitions().satisfied_levels)
    period = "c.received_at >= %s AND c.received_at < %s"
    counts: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    by_unit: dict[Any, Counter[str]] = {}
    late = (
        "k.kind IN ('reply', 'not_admissible_reply') AND k.round = 1 "
        "AND k.stopped_at IS NOT NULL AND k.stopped_at > k.due"
    )
    running_late = (
        "c.replied_at IS NULL AND c.state <> 'closed' AND k.stopped_at IS NULL "
        "AND k.paused_at IS NULL AND k.due < %s "
        "AND k.kind IN ('contact', 'cause_analysis', 'reply', 'not_admissible_reply')"
    )
    contact = "k.kind = 'contact' AND k.round = 1"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.owner_unit_id, c.channel, c.category, COUNT(*), "
            "SUM(CASE WHEN c.not_admissible_reason <> '' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.on_the_spot THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.replied_at IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.satisfaction IS NOT NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN c.satisfaction IN ({satisfied}) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.solved THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.solved IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.returns_count > 0 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.state = 'closed' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.fast_channel THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN c.cause_side = 'department' THEN 1 ELSE 0 END), "
            + ", ".join(
                f"SUM(CASE WHEN c.satisfaction = {level} THEN 1 ELSE 0 END)"
                for level in range(1, 6)
            )
            + f" FROM {t['case']} c WHERE {period} GROUP BY 1, 2, 3",
            [start, end],
        )
        for unit, channel, category, *sums in cursor.fetchall():
            row = Counter(dict(zip(CASE_SUMS, (int(value or 0) for value in sums), strict=True)))
            counts.update(row)
            by_channel[channel] += row["received"]
            by_category[category] += row["received"]
            by_unit.setdefault(unit, Counter()).update(row)
        cursor.execute(
            "SELECT c.owner_unit_id, "
            f"COUNT(DISTINCT CASE WHEN c.replied_at IS NOT NULL AND {late} THEN c.id END), "
            f"COUNT(DISTINCT CASE WHEN {running_late} THEN c.id END), "
            f"COUNT(DISTINCT CASE WHEN (c.replied_at IS NOT NULL AND {late}) "
            f"OR ({running_late}) THEN c.id END), "
            f"COUNT(DISTINCT CASE WHEN {contact} THEN c.id END), "
            f"COUNT(DISTINCT CASE WHEN {contact} AND k.stopped_at IS NOT NULL "
            "AND k.stopped_at <= k.due THEN c.id END) "
            f"FROM {t['clock']} k JOIN {t['case']} c ON c.id = k.case_id "
            f"WHERE {period} GROUP BY 1",
            [now, now, start, end],
        )
        for unit, *values in cursor.fetchall():
            row = Counter(dict(zip(CLOCK_COUNTS, values, strict=True)))
            counts.update(row)
            by_unit.setdefault(unit, Counter()).update(row)
        cursor.execute(
            "SELECT COUNT(DISTINCT CASE WHEN r.kind = 'extension' THEN r.case_id END), "
            "COUNT(DISTINCT CASE WHEN r.kind = 'suspension' THEN r.case_id END) "
            f"FROM {t['request']} r JOIN {t['case']} c ON c.id = r.case_id "
            f"WHERE r.decision IN ('approved', 'ended') AND {period}",
            [start, end],
        )
        counts["extensions"], counts["suspensions"] = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(DISTINCT v.case_id) FROM {t['visit']} v "
            f"JOIN {t['case']} c ON c.id = v.case_id WHERE {period}",
            [start, end],
        )
        counts["return_visits"] = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT c.owner_unit_id, COUNT(DISTINCT s.case_id) FROM {t['supervision']} s "
            f"JOIN {t['case']} c ON c.id = s.case_id WHERE {period} GROUP BY 1",
            [start, end],
        )
        for unit, supervised in cursor.fetchall():
            counts["supervised"] += supervised
            by_unit.setdefault(unit, Counter())["supervised"] += supervised
        cursor.execute(
            f"SELECT m.id, m.name, COUNT(*) FROM {t['case']} c JOIN {t['matter']} m "
            f"ON m.id = c.matter_id WHERE {period} GROUP BY m.id, m.name "
            "ORDER BY 3 DESC, 1 LIMIT 10",
            [start, end],
        )
        top_matters = cursor.fetchall()
        cursor.execute(
            f"SELECT c.cause_code, c.cause_side, COUNT(*) FROM {t['case']} c "
            f"WHERE {period} AND c.cause_code <> '' GROUP BY 1, 2",
            [start, end],
        )
        causes = cursor.fetchall()
        got, answered = (
            _local_day(f"c.{column}", vendor) for column in ("received_at", "replied_at")
        )
        cursor.execute(
            f"SELECT {got}, {answered}, COUNT(*) FROM {t['case']} c "
            f"WHERE {period} AND c.replied_at IS NOT NULL GROUP BY 1, 2",
            [start, end],
        )
        day_pairs = cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*), SUM(CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'verified' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'open' AND due < %s THEN 1 ELSE 0 END) "
            f"FROM {t['rectification']} WHERE opened_at >= %s AND opened_at < %s",
            [now, start, end],
        )
        for key, value in zip(
            ("opened", "done", "verified", "overdue"), cursor.fetchone(), strict=True
        ):
            counts[f"rectification_{key}"] = int(value or 0)
        cursor.execute(
            f"SELECT COUNT(*) FROM {t['entry']} WHERE created_at >= %s AND created_at < %s",
            [start, end],
        )
        counts["knowledge_entries_added"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*), SUM(CASE WHEN e.level IN (1, 2) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN e.level IN (1, 2) AND b.status = 'closed' THEN 1 ELSE 0 END) "
            f"FROM {t['evaluation']} e LEFT JOIN {t['bad_review']} b ON b.evaluation_id = e.id "
            "WHERE e.evaluated_at >= %s AND e.evaluated_at < %s AND NOT e.excluded",
            [start, end],
        )
        for key, value in zip(
            ("evaluations", "bad_reviews", "bad_reviews_closed"), cursor.fetchone(), strict=True
        ):
            counts[key] = int(value or 0)
        cursor.execute(
            f"SELECT COUNT(*) FROM {t['session']} WHERE started_at >= %s AND started_at < %s",
            [start, end],
        )
        counts["remote_sessions"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*), SUM(CASE WHEN stage = 'done' THEN 1 ELSE 0 END) "
            f"FROM {t['assistance']} WHERE registered_at >= %s AND registered_at < %s",
            [start, end],
        )
        requests, done = cursor.fetchone()
        counts["door_to_door_requests"], counts["door_to_door_done"] = requests, int(done or 0)
        cursor.execute(f"SELECT COUNT(*) FROM {t['interview']} WHERE period = %s", [period_label])
        interviews = cursor.fetchone()[0]
    return {
        "counts": dict(counts),
        "by_channel": dict(by_channel),
        "by_category": dict(by_category),
        "units": len(by_unit),
        "top_matters": top_matters,
        "causes": len(causes),
        "day_pairs": len(day_pairs),
        "interviews": interviews,
    }


def differences(report: dict[str, Any], bare: dict[str, Any]) -> dict[str, list[Any]]:
    """The counts where the report's JSON and the bare SQL disagree: {key: [report, bare]}."""
    found = {}
    for key, value in bare["counts"].items():
        if key in report and report[key] != value:
            found[key] = [report[key], value]
    for key, value in report["received_by_channel"].items():
        if value != bare["by_channel"].get(key, 0):
            found[f"channel.{key}"] = [value, bare["by_channel"].get(key, 0)]
    return found
