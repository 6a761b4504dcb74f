"""The proposer's data (rules.toml): category and complexity terms, everyday names of matters.

Validated when loaded: an unknown category or complexity, an empty term or a term list that
is not a list of strings stops the process at start-up rather than proposing nonsense."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from banchengshi.cases.models import Category, Complexity

RULES_FILE = Path(__file__).with_name("rules.toml")
VERSION_LENGTH = 12


class RulesError(ValueError):
    pass


@dataclass(frozen=True)
class TermRule:
    value: str
    terms: tuple[str, ...]

    def first_term(self, text: str) -> str | None:
        """The rule's first term found in the text (the one the reason names)."""
        found = [(text.find(t), t) for t in self.terms if t in text]
        return min(found)[1] if found else None


@dataclass(frozen=True)
class Ladder:
    """Rules tried in order; the first that fits wins, else the default."""

    default: str
    rules: tuple[TermRule, ...]


@dataclass(frozen=True)
class Rules:
    category: Ladder
    complexity: Ladder
    aliases: dict[str, str]
    # The file's digest: each ProposalRecord names the rules that proposed it.
    version: str


def _ladder(raw: Any, name: str, allowed: list[str]) -> Ladder:
    if not isinstance(raw, dict):
        raise RulesError(f"[{name}] is missing")
    default = raw.get("default")
    if default not in allowed:
        raise RulesError(f"[{name}] default {default!r} is not one of {allowed}")
    rules = []
    for i, rule in enumerate(raw.get("rule", [])):
        value, terms = rule.get("value"), rule.get("terms")
        if value not in allowed:
            raise RulesError(f"{name}.rule[{i}]: {value!r} is not one of {allowed}")
        if not isinstance(terms, list) or not terms:
            raise RulesError(f"{name}.rule[{i}]: terms must be a non-empty list")
        if not all(isinstance(t, str) and t.strip() for t in terms):
            raise RulesError(f"{name}.rule[{i}]: every term must be a non-empty string")
        rules.append(TermRule(value, tuple(terms)))
    return Ladder(default, tuple(rules))


def parse_rules(text: str) -> Rules:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(str(exc)) from exc
    aliases = raw.get("aliases", {})
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in aliases.items()
    ):
        raise RulesError("[aliases] must map words to non-empty words")
    return Rules(
        category=_ladder(raw.get("category"), "category", Category.values),
        complexity=_ladder(raw.get("complexity"), "complexity", Complexity.values),
        aliases=aliases,
        version=hashlib.sha256(text.encode()).hexdigest()[:VERSION_LENGTH],
    )


@cache
def rules() -> Rules:
    return parse_rules(RULES_FILE.read_text(encoding="utf-8"))
