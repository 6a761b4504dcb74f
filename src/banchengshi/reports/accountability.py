"""The accountability list (R-REP-2): units with low satisfaction, late replies or concentrated
department-side causes in a period, by thresholds that are data (accountability.toml), each
listed with its reasons in words; from it the office records an interview and may order a
rectification (knowledge.rectification), both kept with the unit and period."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from banchengshi.reports.document import percent
from banchengshi.reports.metrics import UnitRow, by_unit
from banchengshi.reports.periods import Period

PATH = Path(__file__).resolve().parent / "accountability.toml"


@dataclass(frozen=True)
class Thresholds:
    satisfaction_below: float
    min_rated: int
    on_time_below: float
    min_replied: int
    department_causes_at_least: int


def load_thresholds(text: str, name: str = PATH.name) -> Thresholds:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{name}: {exc}") from None
    values: dict[str, Any] = {}
    for key, kind in Thresholds.__annotations__.items():
        value = raw.get(key)
        if kind == "float":
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1:
                raise ValueError(f"{name}: {key} must be a share between 0 and 1, not {value!r}")
            values[key] = float(value)
        else:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(
                    f"{name}: {key} must be a whole number of 1 or more, not {value!r}"
                )
            values[key] = value
    unknown = set(raw) - set(Thresholds.__annotations__)
    if unknown:
        raise ValueError(f"{name}: unknown settings {', '.join(sorted(unknown))}")
    return Thresholds(**values)


@cache
def thresholds() -> Thresholds:
    return load_thresholds(PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Listed:
    unit_id: int
    unit_name: str
    row: UnitRow
    department_causes: int
    reasons: list[str] = field(default_factory=list)


def accountability_list(
    period: Period, *, now: dt.datetime | None = None, rows: Iterable[UnitRow] | None = None
) -> list[Listed]:
    """The units the thresholds list for `period`, most reasons first: one GROUP BY of the
    period's cases by responsible unit, unless the report computed its `rows` already."""
    limits = thresholds()
    listed = []
    for row in by_unit(period, "owner_unit", now=now) if rows is None else rows:
        reasons = []
        satisfaction, on_time = row.satisfaction_rate, row.on_time_rate
        if (
            row.rated >= limits.min_rated
            and satisfaction is not None
            and satisfaction < limits.satisfaction_below
        ):
            reasons.append(
                _("satisfaction %(rate)s, below %(limit)s")
                % {"rate": percent(satisfaction), "limit": percent(limits.satisfaction_below)}
            )
        if (
            row.replied >= limits.min_replied
            and on_time is not None
            and on_time < limits.on_time_below
        ):
            reasons.append(
                _("on-time replies %(rate)s, below %(limit)s")
                % {"rate": percent(on_time), "limit": percent(limits.on_time_below)}
            )
        count = row.department_causes
        if count >= limits.department_causes_at_least:
            reasons.append(_("%(count)d cases with a department-side cause") % {"count": count})
        if reasons:
            listed.append(Listed(row.unit_id, row.unit_name, row, count, reasons))
    return sorted(listed, key=lambda item: (-len(item.reasons), item.unit_name))
