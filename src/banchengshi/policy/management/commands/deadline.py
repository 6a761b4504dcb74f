"""`banchengshi deadline --policy P --limit L --received ISO`: one JSON object on stdout.

The contract other tools rely on: policy, policy_version, limit, rule, received, due_date,
due, counted and skipped. Every failure is a one-line message and a non-zero exit.

A deadline needing a year whose schedule is not loaded is refused, unless `--provisional`
asks for it counted the way the system counts it meanwhile (Monday to Friday in that year):
then `provisional` is true and `assumed` names the years and days assumed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)
from django.db import DatabaseError

from banchengshi.policy.deadlines import SHANGHAI, assumed_spans, compute_deadline
from banchengshi.policy.rules import PolicyError, load_policy, policy_in_force
from banchengshi.workdays.calendar import UnknownYearError, reckon
from banchengshi.workdays.registry import current_calendar


def parse_instant(value: str) -> dt.datetime:
    """ISO 8601; without an offset the time is read in Asia/Shanghai."""
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--received {value!r} is not an ISO 8601 time such as 2025-09-30T10:00:00+08:00"
        ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=SHANGHAI)


class Command(BaseCommand):
    help = "Compute a deadline under a policy limit and explain it, as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--policy", help="policy name (default: the one in force)")
        parser.add_argument("--limit", required=True, help="limit name, e.g. reply.general")
        parser.add_argument("--received", required=True, help="ISO 8601 instant of receipt")
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="count Monday to Friday in a year whose schedule is not loaded, as the "
            "system does meanwhile, instead of refusing",
        )

    # English whatever the site's language: other tools read this output (the rule's words).
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        received = parse_instant(options["received"])
        try:
            policy = load_policy(options["policy"]) if options["policy"] else policy_in_force()
            limit = policy.limit(options["limit"])
            known = current_calendar()
            if options["provisional"]:
                reckoned = reckon(known, lambda cal: compute_deadline(cal, limit, received))
                calendar = known.assuming(reckoned.assumed)
                deadline = reckoned.value
            else:
                calendar = known
                deadline = compute_deadline(calendar, limit, received)
            explanation = deadline.explain(calendar)
        except UnknownYearError as exc:
            hint = "" if options["provisional"] else "; or give --provisional"
            raise CommandError(f"{exc}{hint}") from None
        except PolicyError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(
                f"the database is not ready ({exc}); run `banchengshi migrate` first"
            ) from None
        result: dict[str, Any] = {
            "policy": policy.name,
            "policy_version": policy.version,
            "limit": limit.name,
            "rule": limit.describe(),
            "label": limit.label,
            "received": received.astimezone(SHANGHAI).isoformat(),
            "due_date": deadline.due_date.isoformat(),
            "due": deadline.due.isoformat(),
            "counted": [day.isoformat() for day in explanation.counted],
            "skipped": [
                {"date": day.date.isoformat(), "reason": day.reason} for day in explanation.skipped
            ],
        }
        if options["provisional"]:
            spans = assumed_spans(known, received, deadline.due)
            result["provisional"] = bool(spans)
            result["assumed"] = [
                {
                    "year": year,
                    "from": first.isoformat(),
                    "to": last.isoformat(),
                    "rule": "Monday to Friday are working days (schedule not loaded)",
                }
                for year, first, last in spans
            ]
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
