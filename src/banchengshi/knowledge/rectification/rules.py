"""Which fix each department-side cause asks for, and who is told: rules.toml, validated at
import against the coded causes and the roles."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from banchengshi.cases import causes
from banchengshi.knowledge.models import FixTarget
from banchengshi.org.models import Role
from banchengshi.policy.reminders import ReminderLevel

RULES_FILE = Path(__file__).resolve().parent / "rules.toml"


@dataclass(frozen=True)
class Audience:
    at_unit: tuple[Role, ...] = ()
    anywhere: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Rules:
    targets: dict[str, FixTarget]
    levels: dict[ReminderLevel, Audience]
    told: tuple[Role, ...]


def _roles(raw: Any, where: str) -> tuple[Role, ...]:
    if not isinstance(raw, list) or not all(value in Role.values for value in raw):
        raise ValueError(f"{where}: a list of roles among {', '.join(Role.values)}")
    return tuple(Role(value) for value in raw)


def parse_rules(text: str, origin: str) -> Rules:
    raw = tomllib.loads(text)
    raw_targets = raw.get("targets", {})
    wanted = {code for code, cause in causes.CAUSES.items() if cause.side != "petitioner"}
    if set(raw_targets) != wanted:
        names = ", ".join(sorted(wanted))
        raise ValueError(f"{origin}: [targets] must name every department-side cause: {names}")
    targets = {}
    for code, target in raw_targets.items():
        if target not in FixTarget.values:
            raise ValueError(
                f"{origin}: [targets] {code} = {target!r} is not one of {FixTarget.values}"
            )
        targets[code] = FixTarget(target)
    raw_levels = raw.get("levels", {})
    if set(raw_levels) != set(ReminderLevel):
        raise ValueError(f"{origin}: [levels] must name {', '.join(ReminderLevel)}")
    levels = {}
    for level, spec in raw_levels.items():
        where = f"{origin}: [levels.{level}]"
        if not isinstance(spec, dict) or set(spec) - {"at_unit", "anywhere"}:
            raise ValueError(f"{where}: only at_unit and anywhere")
        levels[ReminderLevel(level)] = Audience(
            **{key: _roles(value, f"{where} {key}") for key, value in spec.items()}
        )
    told = _roles(raw.get("told", {}).get("at_unit"), f"{origin}: [told] at_unit")
    return Rules(targets, levels, told)


RULES = parse_rules(RULES_FILE.read_text(encoding="utf-8"), RULES_FILE.name)
