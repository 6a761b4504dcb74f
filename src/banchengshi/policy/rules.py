"""Policy files: their shape, validation and loading."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, ngettext

POLICY_DIR = Path(__file__).resolve().parent / "files"
LIMIT_NAME = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")
COMPLEXITIES = ("simple", "general", "complex", "special")
CAUSE_SIDES = ("petitioner", "department")
REPLY_CHOICES = {"complexity": COMPLEXITIES, "cause_side": CAUSE_SIDES}
OPTIONAL_CLOCKS = (
    "contact",
    "not_admissible_reply",
    "cause_analysis",
    "extension_cap",
    "return_visit",
    "hub_review",
    "rectification",
)
MAX_DAYS = 60
# Reminders (R-SLA-6) of a stored policy version written before they existed: the values the
# shipped files set, so that cases accepted earlier are reminded like new ones.
DEFAULT_BEFORE_YELLOW_HOURS = 48
DEFAULT_WORKING_HOURS = (dt.time(9, 0), dt.time(17, 0))
# Hot spots (R-KB-3) of a policy without a [hotspots] table (every stored version before them).
HOTSPOT_DIMENSIONS = ("matter", "department", "cause")
DEFAULT_HOTSPOT_PERIOD_DAYS = 30
DEFAULT_HOTSPOT_THRESHOLD = 5
MAX_HOTSPOT_PERIOD_DAYS = 366
MAX_HOTSPOT_THRESHOLD = 100_000


class PolicyError(ValueError):
    """A policy that cannot be used; the message names the file and the problem."""


class LimitRule(StrEnum):
    SAME_DAY = "same_day"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class Limit:
    name: str
    rule: LimitRule
    days: int
    label: str

    def describe(self) -> str:
        """The limit in words of the active language ("10个工作日", "10 working days")."""
        if self.rule is LimitRule.SAME_DAY:
            return gettext("same day")
        return ngettext("%(days)s working day", "%(days)s working days", self.days) % {
            "days": self.days
        }


# The rectification of a department-side cause (R-KB-2) where a policy names no
# `rectification` clock: stored policy versions written before it existed keep working.
DEFAULT_RECTIFICATION = Limit(
    "rectification", LimitRule.WORKING_DAYS, 20, "整改：20个工作日内完成（本系统设定）"
)


@dataclass(frozen=True)
class ReplyRule:
    """Which limit the reply clock runs under: chosen by complexity or by the cause's side."""

    by: str
    choices: dict[str, str]
    default: str

    def limit_name(self, complexity: str = "", cause_side: str = "") -> str:
        key = complexity if self.by == "complexity" else cause_side
        return self.choices.get(key, self.default)


@dataclass(frozen=True)
class ReminderTimes:
    """When deadline reminders go out (R-SLA-6). The first one, to the handlers, is due
    `before_yellow` before the deadline (a zero duration: none), moved to the start of the next
    working hours when it falls outside them: a statutory working day, from `work_starts` to
    `work_ends` in Asia/Shanghai. The yellow and red reminders follow the colours."""

    before_yellow: dt.timedelta = dt.timedelta(hours=DEFAULT_BEFORE_YELLOW_HOURS)
    work_starts: dt.time = DEFAULT_WORKING_HOURS[0]
    work_ends: dt.time = DEFAULT_WORKING_HOURS[1]


@dataclass(frozen=True)
class HotspotRules:
    """When cases make a hot spot (R-KB-3): within one period of `period_days` (periods are
    counted from 2000-01-01, Asia/Shanghai), at least `thresholds[dimension]` cases received
    of the same matter, department or cause; a dimension left out is not watched."""

    period_days: int = DEFAULT_HOTSPOT_PERIOD_DAYS
    thresholds: tuple[tuple[str, int], ...] = tuple(
        (dimension, DEFAULT_HOTSPOT_THRESHOLD) for dimension in HOTSPOT_DIMENSIONS
    )


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    title: str
    source: str
    yellow_window: dt.timedelta
    limits: dict[str, Limit]
    reply: ReplyRule
    clocks: dict[str, str]
    reminders: ReminderTimes = ReminderTimes()
    hotspots: HotspotRules = HotspotRules()

    @property
    def key(self) -> str:
        """What a case stores to keep the policy it was accepted under."""
        return f"{self.name}@{self.version}"

    def limit(self, name: str) -> Limit:
        try:
            return self.limits[name]
        except KeyError:
            known = ", ".join(self.limits)
            raise PolicyError(
                f"policy {self.name!r} has no limit {name!r} (it has: {known})"
            ) from None

    def clock_limit(self, clock: str) -> Limit | None:
        """The limit of an optional clock (contact, cause_analysis, …), None where not run."""
        name = self.clocks.get(clock)
        return self.limits[name] if name else None

    def rectification_limit(self) -> Limit:
        """The limit a rectification item runs under (R-KB-2): the policy's optional
        `rectification` clock, else DEFAULT_RECTIFICATION."""
        return self.clock_limit("rectification") or DEFAULT_RECTIFICATION

    def reply_limit(self, complexity: str = "", cause_side: str = "") -> Limit:
        return self.limits[self.reply.limit_name(complexity, cause_side)]

    def petitioner_limits(self) -> list[Limit]:
        """The limits a petitioner waits on, in the file's order: first contact, the answer
        (every limit the reply rule may choose) and the reasons for a refusal; not the
        internal ones (cause analysis, the cap on extensions)."""
        names = {self.reply.default, *self.reply.choices.values()}
        names |= {self.clocks[c] for c in ("contact", "not_admissible_reply") if c in self.clocks}
        return [limit for name, limit in self.limits.items() if name in names]


def _require(raw: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = raw.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PolicyError(f"{where}: {key!r} is required and must be a {kind.__name__}")
    return value


def parse_policy(text: str, origin: str) -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{origin}: not valid TOML ({exc})") from None
    unknown = set(raw) - {
        "name",
        "version",
        "title",
        "source",
        "yellow_hours",
        "limits",
        "clocks",
        "reminders",
        "hotspots",
    }
    if unknown:
        raise PolicyError(f"{origin}: unknown keys {', '.join(sorted(unknown))}")
    name = _require(raw, "name", str, origin)
    version = _require(raw, "version", str, origin)
    yellow_hours = _require(raw, "yellow_hours", int, origin)
    if not 1 <= yellow_hours <= 240:
        raise PolicyError(f"{origin}: 'yellow_hours' must be between 1 and 240")

    raw_limits = _require(raw, "limits", dict, origin)
    limits: dict[str, Limit] = {}
    for limit_name, spec in raw_limits.items():
        where = f"{origin}: limit {limit_name!r}"
        if not LIMIT_NAME.match(limit_name):
            raise PolicyError(f"{where}: names are lower-case words joined by dots")
        if not isinstance(spec, dict):
            raise PolicyError(f"{where}: must be a table")
        extra = set(spec) - {"rule", "days", "label"}
        if extra:
            raise PolicyError(f"{where}: unknown keys {', '.join(sorted(extra))}")
        try:
            rule = LimitRule(str(spec.get("rule")))
        except ValueError:
            raise PolicyError(f"{where}: 'rule' must be 'same_day' or 'working_days'") from None
        days = spec.get("days", 0)
        if rule is LimitRule.WORKING_DAYS and (
            not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS
        ):
            raise PolicyError(f"{where}: 'days' must be a whole number from 1 to {MAX_DAYS}")
        if rule is LimitRule.SAME_DAY and "days" in spec:
            raise PolicyError(f"{where}: a same_day limit takes no 'days'")
        label = spec.get("label", "")
        if not isinstance(label, str):
            raise PolicyError(f"{where}: 'label' must be text")
        limits[limit_name] = Limit(limit_name, rule, days, label)

    raw_clocks = _require(raw, "clocks", dict, origin)
    clocks: dict[str, str] = {}
    for clock, limit_name in raw_clocks.items():
        if clock == "reply":
            continue
        if clock not in OPTIONAL_CLOCKS:
            raise PolicyError(
                f"{origin}: unknown clock {clock!r} (known: reply, {', '.join(OPTIONAL_CLOCKS)})"
            )
        if not isinstance(limit_name, str) or limit_name not in limits:
            raise PolicyError(f"{origin}: clock {clock!r} names unknown limit {limit_name!r}")
        clocks[clock] = limit_name
    reply = _parse_reply_rule(raw_clocks.get("reply"), limits, origin)
    return Policy(
        name=name,
        version=version,
        title=raw.get("title", name),
        source=raw.get("source", ""),
        yellow_window=dt.timedelta(hours=yellow_hours),
        limits=limits,
        reply=reply,
        clocks=clocks,
        reminders=_parse_reminders(raw.get("reminders", {}), origin),
        hotspots=_parse_hotspots(raw.get("hotspots", {}), origin),
    )


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _parse_hotspots(raw: Any, origin: str) -> HotspotRules:
    """The optional [hotspots] table; a policy without it gets the defaults. A threshold of 0
    stops watching that dimension."""
    where = f"{origin}: [hotspots]"
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} must be a table")
    extra = set(raw) - {"period_days", *HOTSPOT_DIMENSIONS}
    if extra:
        raise PolicyError(f"{where}: unknown keys {', '.join(sorted(extra))}")
    period = raw.get("period_days", DEFAULT_HOTSPOT_PERIOD_DAYS)
    if not _whole(period, 1, MAX_HOTSPOT_PERIOD_DAYS):
        raise PolicyError(
            f"{where}: 'period_days' must be a whole number from 1 to {MAX_HOTSPOT_PERIOD_DAYS}"
        )
    thresholds = []
    for dimension in HOTSPOT_DIMENSIONS:
        value = raw.get(dimension, DEFAULT_HOTSPOT_THRESHOLD)
        if not _whole(value, 0, MAX_HOTSPOT_THRESHOLD):
            raise PolicyError(
                f"{where}: {dimension!r} must be a whole number from 0 to {MAX_HOTSPOT_THRESHOLD}"
            )
        if value:
            thresholds.append((dimension, value))
    return HotspotRules(period_days=period, thresholds=tuple(thresholds))


def _parse_reminders(raw: Any, origin: str) -> ReminderTimes:
    """The optional [reminders] table; a policy without it gets the defaults."""
    where = f"{origin}: [reminders]"
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} must be a table")
    extra = set(raw) - {"before_yellow_hours", "work_starts", "work_ends"}
    if extra:
        raise PolicyError(f"{where}: unknown keys {', '.join(sorted(extra))}")
    hours = raw.get("before_yellow_hours", DEFAULT_BEFORE_YELLOW_HOURS)
    if not isinstance(hours, int) or isinstance(hours, bool) or not 0 <= hours <= 720:
        raise PolicyError(f"{where}: 'before_yellow_hours' must be a whole number from 0 to 720")
    times = []
    for key, default in zip(("work_starts", "work_ends"), DEFAULT_WORKING_HOURS, strict=True):
        value = raw.get(key, default)
        if not isinstance(value, dt.time) or value.tzinfo is not None:
            raise PolicyError(f"{where}: {key!r} must be a local time such as 09:00:00")
        times.append(value)
    if times[0] >= times[1]:
        raise PolicyError(f"{where}: 'work_starts' must be before 'work_ends'")
    return ReminderTimes(dt.timedelta(hours=hours), times[0], times[1])


def _parse_reply_rule(raw: Any, limits: dict[str, Limit], origin: str) -> ReplyRule:
    where = f"{origin}: [clocks.reply]"
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} is required")
    by = raw.get("by")
    if by not in REPLY_CHOICES:
        raise PolicyError(f"{where}: 'by' must be 'complexity' or 'cause_side'")
    allowed = REPLY_CHOICES[by]
    choices: dict[str, str] = {}
    for key, limit_name in raw.items():
        if key in ("by", "default"):
            continue
        if key not in allowed:
            raise PolicyError(f"{where}: {key!r} is not one of {', '.join(allowed)}")
        choices[key] = limit_name
    default = raw.get("default")
    for limit_name in [*choices.values(), default]:
        if not isinstance(limit_name, str) or limit_name not in limits:
            raise PolicyError(f"{where}: names unknown limit {limit_name!r}")
    return ReplyRule(by=by, choices=choices, default=str(default))


def available_policies() -> list[str]:
    return sorted(path.stem for path in POLICY_DIR.glob("*.toml"))


@cache
def load_policy(name: str) -> Policy:
    path = POLICY_DIR / f"{name}.toml"
    if not LIMIT_NAME.match(name) or not path.is_file():
        raise PolicyError(f"unknown policy {name!r} (available: {', '.join(available_policies())})")
    policy = parse_policy(path.read_text(encoding="utf-8"), path.name)
    if policy.name != name:
        raise PolicyError(f"{path.name}: 'name' is {policy.name!r}, expected {name!r}")
    return policy


def policy_in_force() -> Policy:
    return load_policy(settings.BANCHENGSHI_POLICY)
