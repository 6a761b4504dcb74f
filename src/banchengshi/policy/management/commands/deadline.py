"""`banchengshi deadline --policy P --limit L --received ISO`: one JSON object on stdout.

The contract other tools rely on: policy, policy_version, limit, rule, received, due_date,
due, counted and skipped. Every failure is a one-line message and a non-zero exit.
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

from banchengshi.policy.deadlines import SHANGHAI, compute_deadline
from banchengshi.policy.rules import PolicyError, load_policy, policy_in_force
from banchengshi.workdays.calendar import UnknownYearError
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

    # English whatever the site's language: other tools read this output (the rule's words).
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        received = parse_instant(options["received"])
        try:
            policy = load_policy(options["policy"]) if options["policy"] else policy_in_force()
            limit = policy.limit(options["limit"])
            calendar = current_calendar()
            deadline = compute_deadline(calendar, limit, received)
            explanation = deadline.explain(calendar)
        except (PolicyError, UnknownYearError) as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(
                f"the database is not ready ({exc}); run `banchengshi migrate` first"
            ) from None
        result = {
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
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
