"""A report's period: a month (2026-11), a quarter (2026-Q4), a year (2026) or any range of
days (2026-11-03..2026-11-20), always whole days in Asia/Shanghai, end exclusive."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from banchengshi.errors import InvalidInput
from banchengshi.workdays.calendar import SHANGHAI


class PeriodKind(StrEnum):
    MONTH = "monthly"
    QUARTER = "quarterly"
    YEAR = "annual"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first: dt.date
    # The day after the period's last day.
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return str(self.first.year)
        return f"{self.first.isoformat()}..{(self.end - dt.timedelta(days=1)).isoformat()}"

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), SHANGHAI)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(), SHANGHAI)

    def previous(self) -> Period:
        """The period of the same kind just before (a range: as many days before)."""
        if self.kind == PeriodKind.RANGE:
            return Period(self.kind, self.first - (self.end - self.first), self.first)
        return containing(self.kind, self.first - dt.timedelta(days=1))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1)


def containing(kind: PeriodKind, day: dt.date) -> Period:
    """The month, quarter or year that holds `day`."""
    if kind == PeriodKind.MONTH:
        return Period(kind, day.replace(day=1), _month_end(day.year, day.month))
    if kind == PeriodKind.QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        return Period(
            kind, dt.date(day.year, first_month, 1), _month_end(day.year, first_month + 2)
        )
    if kind == PeriodKind.YEAR:
        return Period(kind, dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1))
    raise ValueError(kind)


_FORMS = {
    PeriodKind.MONTH: (re.compile(r"(\d{4})-(\d{2})", re.ASCII), "2026-11"),
    PeriodKind.QUARTER: (re.compile(r"(\d{4})-Q([1-4])", re.ASCII), "2026-Q4"),
    PeriodKind.YEAR: (re.compile(r"(\d{4})", re.ASCII), "2026"),
    PeriodKind.RANGE: (
        re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", re.ASCII),
        "2026-11-03..2026-11-20",
    ),
}


def printable(text: str) -> str:
    """What a person typed, shortened and without control characters, to quote it back."""
    return "".join(ch for ch in text[:40] if ch.isprintable())


# A year a district could have cases in; beyond, a typo.
YEARS = range(2000, 2101)
MAX_RANGE_DAYS = 3 * 366


def parse_period(kind: PeriodKind, text: str) -> Period:
    """The period `text` names, or InvalidInput (field "period") saying which form is
    expected."""
    pattern, example = _FORMS[kind]
    match = pattern.fullmatch(text.strip())
    refused = InvalidInput(
        {
            "period": [
                _("“%(text)s” is not a period of this report; write it as %(example)s.")
                % {"text": printable(text), "example": example}
            ]
        }
    )
    if match is None:
        raise refused
    try:
        if kind == PeriodKind.RANGE:
            first = dt.date.fromisoformat(match[1])
            end = dt.date.fromisoformat(match[2]) + dt.timedelta(days=1)
            if not first < end or (end - first).days > MAX_RANGE_DAYS:
                raise refused
            period = Period(kind, first, end)
        elif kind == PeriodKind.QUARTER:
            period = containing(kind, dt.date(int(match[1]), int(match[2]) * 3, 1))
        elif kind == PeriodKind.MONTH:
            period = containing(kind, dt.date(int(match[1]), int(match[2]), 1))
        else:
            period = containing(kind, dt.date(int(match[1]), 1, 1))
    except ValueError:
        raise refused from None
    if period.first.year not in YEARS:
        raise refused
    return period


def parse_any_period(text: str) -> Period:
    """A month, quarter, year or range, whichever `text` is written as."""
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR, PeriodKind.RANGE):
        pattern, _example = _FORMS[kind]
        if pattern.fullmatch(text.strip()):
            return parse_period(kind, text)
    raise InvalidInput(
        {
            "period": [
                _(
                    "“%(text)s” is no period; write a month (2026-11), a quarter (2026-Q4), a "
                    "year (2026) or a range of days (2026-11-03..2026-11-20)."
                )
                % {"text": printable(text)}
            ]
        }
    )
