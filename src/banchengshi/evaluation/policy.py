"""The evaluation rules (policy.toml): limits and who is told, validated when loaded."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from banchengshi.org.models import Role

PACKAGED = Path(__file__).resolve().parent / "policy.toml"
KEYS = {"handling_workdays", "invite_days", "tablet_minutes", "told_roles", "overdue_roles"}


class EvaluationPolicyError(ValueError):
    """The file does not validate: every problem found, one per line."""


@dataclass(frozen=True)
class EvaluationPolicy:
    handling_workdays: int
    invite_days: int
    tablet_minutes: int
    told_roles: frozenset[Role]
    overdue_roles: frozenset[Role]


def _whole(data: dict[str, Any], key: str, maximum: int, problems: list[str]) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        problems.append(f"{key}: a whole number from 1 to {maximum}")
        return 1
    return value


def _roles(data: dict[str, Any], key: str, problems: list[str]) -> frozenset[Role]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        problems.append(f"{key}: a list of roles ({', '.join(Role.values)})")
        return frozenset()
    roles = set()
    for name in value:
        if name not in Role.values:
            problems.append(f"{key}: {name!r} is not a role ({', '.join(Role.values)})")
        else:
            roles.add(Role(name))
    return frozenset(roles)


def parse_policy(data: dict[str, Any], source: str) -> EvaluationPolicy:
    problems: list[str] = []
    unknown = set(data) - KEYS
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(unknown))}")
    policy = EvaluationPolicy(
        handling_workdays=_whole(data, "handling_workdays", 60, problems),
        invite_days=_whole(data, "invite_days", 90, problems),
        tablet_minutes=_whole(data, "tablet_minutes", 120, problems),
        told_roles=_roles(data, "told_roles", problems),
        overdue_roles=_roles(data, "overdue_roles", problems),
    )
    if problems:
        raise EvaluationPolicyError(f"{source}:\n" + "\n".join(problems))
    return policy


def load_policy(path: Path) -> EvaluationPolicy:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EvaluationPolicyError(f"{path}: {exc}") from exc
    return parse_policy(data, str(path))


@cache
def evaluation_policy() -> EvaluationPolicy:
    return load_policy(PACKAGED)
