"""A report as a Word document in the layout of an official report (GB/T 9704-2012): title in
方正小标宋简体 二号, first-level headings in 黑体 三号, body in 仿宋_GB2312 三号, A4 with the
standard's margins. The fonts are named, not embedded: WPS and Word on a government computer
have them, and name them exactly so (the East Asian font slot, w:eastAsia); elsewhere the
viewer substitutes. Charts are PNG pictures."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run

from banchengshi.reports.exports.charts import bars_png
from banchengshi.reports.exports.pdf import computed_words
from banchengshi.reports.exports.sections import outline
from banchengshi.reports.metrics import Figures
from banchengshi.reports.titles import report_title

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
# 二号 22 pt, 三号 16 pt, 四号 14 pt (GB/T 9704 names sizes by 号).
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(12)


def _font(run: Run, name: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def write_docx(figures: Figures) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report_title(figures)), TITLE_FONT, TITLE_SIZE)
    meta = document.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(meta.add_run(computed_words(figures)), BODY_FONT, TABLE_SIZE)
    for number, part in enumerate(outline(figures), start=1):
        heading = document.add_paragraph()
        _font(heading.add_run(f"{_chinese_number(number)}、{part.title}"), HEADING_FONT, BODY_SIZE)
        for text in part.paragraphs:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
        for table in part.tables:
            if not table.rows:
                continue
            grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
            grid.style = "Table Grid"
            for row_index, row in enumerate([table.header, *table.rows]):
                for column, value in enumerate(row):
                    cell = grid.cell(row_index, column)
                    cell.text = ""
                    _font(
                        cell.paragraphs[0].add_run(value),
                        BODY_FONT,
                        TABLE_SIZE,
                        bold=row_index == 0,
                    )
        for chart in part.charts:
            if chart.rows:
                document.add_picture(BytesIO(bars_png(chart.title, chart.rows)), width=Cm(15))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


NUMERALS = "一二三四五六七八九十"


def _chinese_number(number: int) -> str:
    """一 … 十 for a report's few sections (GB/T 9704's first-level numbering)."""
    return NUMERALS[number - 1]
