"""Door-to-door assistance's limits and who is reminded: policy.toml, validated when loaded
(a wrong file stops the app with the file's name and the problem)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from banchengshi.org.models import Role
from banchengshi.policy.reminders import ReminderLevel

POLICY_FILE = Path(__file__).resolve().parent / "policy.toml"
MAX_DAYS = 250


class AssistancePolicyError(ValueError):
    """The file cannot be used; the message names it and the problem."""


@dataclass(frozen=True)
class Audience:
    at_street: tuple[Role, ...]
    assigned: bool


@dataclass(frozen=True)
class AssistancePolicy:
    review_days: int
    approval_days: int
    yellow_window: dt.timedelta
    levels: dict[ReminderLevel, Audience]


def _days(raw: dict[str, Any], key: str, origin: str, *, low: int = 1) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_DAYS:
        raise AssistancePolicyError(
            f"{origin}: {key} must be a whole number from {low} to {MAX_DAYS}"
        )
    return value


def _audience(raw: Any, where: str) -> Audience:
    if not isinstance(raw, dict) or set(raw) - {"at_street", "assigned"}:
        raise AssistancePolicyError(f"{where}: only at_street and assigned")
    roles = raw.get("at_street", [])
    if not isinstance(roles, list) or not all(value in Role.values for value in roles):
        raise AssistancePolicyError(
            f"{where} at_street: a list of roles among {', '.join(Role.values)}"
        )
    assigned = raw.get("assigned", False)
    if not isinstance(assigned, bool):
        raise AssistancePolicyError(f"{where} assigned: true or false")
    return Audience(tuple(Role(value) for value in roles), assigned)


def parse_policy(text: str, origin: str) -> AssistancePolicy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AssistancePolicyError(f"{origin}: {error}") from None
    unknown = set(raw) - {"review_days", "approval_days", "yellow_hours", "levels"}
    if unknown:
        raise AssistancePolicyError(f"{origin}: unknown keys {', '.join(sorted(unknown))}")
    raw_levels = raw.get("levels", {})
    if not isinstance(raw_levels, dict) or set(raw_levels) != set(ReminderLevel):
        raise AssistancePolicyError(f"{origin}: [levels] must name {', '.join(ReminderLevel)}")
    return AssistancePolicy(
        review_days=_days(raw, "review_days", origin),
        approval_days=_days(raw, "approval_days", origin),
        yellow_window=dt.timedelta(hours=_days(raw, "yellow_hours", origin)),
        levels={
            ReminderLevel(level): _audience(spec, f"{origin}: [levels.{level}]")
            for level, spec in raw_levels.items()
        },
    )


POLICY = parse_policy(POLICY_FILE.read_text(encoding="utf-8"), POLICY_FILE.name)
