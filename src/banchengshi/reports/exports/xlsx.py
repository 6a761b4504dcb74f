"""A report as an Excel workbook: a sheet of figures with their definitions, then one data sheet
per breakdown a clerk can filter and pivot, each with a native Excel chart (openpyxl draws the
chart's XML; Excel and WPS render it from the cells, so it follows any edit)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from banchengshi.reports.document import COUNT_WORDS, labels, rate_definition, rate_words
from banchengshi.reports.metrics import COUNTS, Figures, definitions
from banchengshi.reports.titles import report_title

BOLD = Font(bold=True)


def _table(sheet: Worksheet, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)
    for index, _column in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 36
    if rows:
        sheet.auto_filter.ref = sheet.dimensions


def _bar_chart(sheet: Worksheet, title: str, count: int, anchor: str) -> None:
    if not count:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=count + 1))
    chart.height = max(6.0, 0.6 * count + 2)
    sheet.add_chart(chart, anchor)


def _breakdown_sheet(
    book: Workbook, title: str, counts: dict[str, int], words: dict[str, str]
) -> None:
    sheet = book.create_sheet(title)
    rows = [[words.get(key, key), value] for key, value in counts.items()]
    _table(sheet, [title, _("cases")], rows)
    _bar_chart(sheet, title, len(rows), "D2")


def write_xlsx(figures: Figures) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("Figures")
    summary.append([report_title(figures)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    rows: list[list[Any]] = [[str(COUNT_WORDS[key]), figures.counts[key], key] for key in COUNTS]
    rows += [
        [rate_words(rate.key), figures.rates[rate.key], rate.key, rate_definition(rate.key)]
        for rate in definitions().rates
    ]
    rows.append(
        [_("average handling working days"), figures.handling_days.average, "avg_handling_workdays"]
    )
    summary.append([_("figure"), _("value"), _("key"), _("definition")])
    for cell in summary[3]:
        cell.font = BOLD
    for row in rows:
        summary.append(row)
    for row in summary.iter_rows(min_row=4, min_col=2, max_col=2):
        for cell in row:
            if isinstance(cell.value, float) and summary.cell(cell.row, 3).value in figures.rates:
                cell.number_format = "0.0%"
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["C"].width = 26
    summary.column_dimensions["D"].width = 60
    words = labels()
    _breakdown_sheet(book, _("Channels"), figures.by_channel, words["channel"])
    _breakdown_sheet(book, _("Categories"), figures.by_category, words["category"])
    _breakdown_sheet(
        book,
        _("Satisfaction"),
        {str(k): v for k, v in figures.satisfaction_levels.items()},
        words["level"],
    )
    matters = book.create_sheet(_("Top matters"))
    _table(
        matters,
        [_("matter"), _("cases")],
        [[m.label, m.count] for m in figures.top_matters],
    )
    _bar_chart(matters, _("Top matters"), len(figures.top_matters), "D2")
    causes = book.create_sheet(_("Top causes"))
    _table(
        causes,
        [_("cause"), _("cases"), _("side")],
        [[c.label, c.count, words["side"].get(c.side, c.side)] for c in figures.top_causes],
    )
    _bar_chart(causes, _("Top causes"), len(figures.top_causes), "E2")
    out = BytesIO()
    book.save(out)
    return out.getvalue()
