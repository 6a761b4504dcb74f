"""A report as PDF: the outline rendered as HTML and typeset by WeasyPrint, which embeds the
subset of the Noto CJK fonts it uses; charts are vector SVG."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from banchengshi.reports.exports.charts import bars_svg
from banchengshi.reports.exports.sections import outline
from banchengshi.reports.metrics import Figures
from banchengshi.reports.titles import report_title
from banchengshi.workdays.calendar import SHANGHAI


def computed_words(figures: Figures) -> str:
    return _("Computed at %(when)s (Beijing time).") % {
        "when": figures.computed_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    }


def write_pdf(figures: Figures) -> bytes:
    sections = [
        (section, [bars_svg(chart.title, chart.rows) for chart in section.charts if chart.rows])
        for section in outline(figures)
    ]
    html = render_to_string(
        "reports/report_pdf.html",
        {"title": report_title(figures), "meta": computed_words(figures), "sections": sections},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
