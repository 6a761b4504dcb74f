"""The rates' definitions (definitions.toml), validated when loaded: every rate divides two
figures the metrics module computes, and the satisfied levels are levels that exist."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from banchengshi.cases.models import Satisfaction

PATH = Path(__file__).resolve().parent / "definitions.toml"


@dataclass(frozen=True)
class Rate:
    key: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Definitions:
    satisfied_levels: tuple[int, ...]
    rates: tuple[Rate, ...]


class DefinitionsError(ValueError):
    pass


def load_definitions(text: str, *, figures: frozenset[str], name: str = PATH.name) -> Definitions:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionsError(f"{name}: {exc}") from None
    levels = raw.get("satisfied_levels")
    known = {level.value for level in Satisfaction}
    if (
        not isinstance(levels, list)
        or not levels
        or any(not isinstance(level, int) or level not in known for level in levels)
    ):
        raise DefinitionsError(
            f"{name}: satisfied_levels must list levels among {sorted(known)}, not {levels!r}"
        )
    rates = []
    for key, spec in (raw.get("rates") or {}).items():
        if not isinstance(spec, dict):
            raise DefinitionsError(f"{name}: rates.{key} must be a table")
        for part in ("numerator", "denominator"):
            if spec.get(part) not in figures:
                raise DefinitionsError(
                    f"{name}: rates.{key}.{part} is {spec.get(part)!r}; "
                    f"name one of the report's counts: {', '.join(sorted(figures))}"
                )
        if key in figures:
            raise DefinitionsError(f"{name}: rates.{key} has the name of a count")
        rates.append(Rate(key, spec["numerator"], spec["denominator"]))
    if not rates:
        raise DefinitionsError(f"{name}: no [rates.…] defined")
    return Definitions(tuple(sorted(set(levels), reverse=True)), tuple(rates))
