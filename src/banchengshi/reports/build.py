"""Building one report in a format: the one entry point of the command, the API and the page."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from enum import StrEnum

from django.utils.translation import gettext as _

from banchengshi.errors import InvalidInput
from banchengshi.reports.accountability import accountability_list
from banchengshi.reports.document import as_json
from banchengshi.reports.exports.docx import write_docx
from banchengshi.reports.exports.pdf import write_pdf
from banchengshi.reports.exports.xlsx import write_xlsx
from banchengshi.reports.metrics import Accountable, Figures, compute_figures
from banchengshi.reports.models import Interview
from banchengshi.reports.periods import PeriodKind, parse_period, printable
from banchengshi.reports.scopes import ReportScope

REPORT_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


class Format(StrEnum):
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"
    DOCX = "docx"


CONTENT_TYPES = {
    Format.JSON: "application/json",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
WRITERS = {Format.XLSX: write_xlsx, Format.PDF: write_pdf, Format.DOCX: write_docx}


@dataclass(frozen=True)
class Built:
    figures: Figures
    format: Format
    content: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def filename(self) -> str:
        period, unit = self.figures.period, self.figures.scope.unit
        who = f"unit{unit.pk}" if unit else "district"
        return f"report-{period.kind.value}-{period.label}-{who}.{self.format.value}"


def parse_kind(text: str) -> PeriodKind:
    for kind in REPORT_KINDS:
        if text == kind.value:
            return kind
    raise InvalidInput(
        {
            "kind": [
                _("“%(kind)s” is no report; choose monthly, quarterly or annual.")
                % {"kind": printable(text)}
            ]
        }
    )


def parse_format(text: str) -> Format:
    try:
        return Format(text)
    except ValueError:
        raise InvalidInput(
            {
                "format": [
                    _("“%(format)s” is no report format; choose %(formats)s.")
                    % {"format": printable(text), "formats": ", ".join(f.value for f in Format)}
                ]
            }
        ) from None


def with_accountability(figures: Figures) -> Figures:
    """The district's figures with the period's accountability list and interviews
    (R-REP-2: the list and its follow-up appear in the report)."""
    listed = accountability_list(figures.period, now=figures.computed_at, rows=figures.units)
    return replace(
        figures,
        accountable=tuple(
            Accountable(item.unit_id, item.unit_name, tuple(item.reasons)) for item in listed
        ),
        interviews=Interview.objects.filter(period=figures.period.label).count(),
    )


def build_report(kind: str, period: str, scope: ReportScope, fmt: str = "json") -> Built:
    report_kind = parse_kind(kind)
    chosen = parse_format(fmt)
    figures = compute_figures(parse_period(report_kind, period), scope)
    if scope.unit is None:
        figures = with_accountability(figures)
    if chosen == Format.JSON:
        content = json.dumps(as_json(figures), ensure_ascii=False, indent=2).encode()
    else:
        content = WRITERS[chosen](figures)
    return Built(figures, chosen, content)
