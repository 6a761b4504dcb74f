"""The same figures in the PDF's text (read by pdftotext) and in the Word document's paragraphs
and tables, with the fonts GB/T 9704 names."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO

import pytest
from docx import Document

from banchengshi.reports.build import build_report
from banchengshi.reports.scopes import ReportScope
from tests.reports.conftest import District

SENTENCE = (
    "2026-11-01 至 2026-11-30，共受理登记反映 8 件，其中受理 7 件、不予受理 1 件；"
    "已答复 6 件，其中按时答复 5 件；超时 3 件。"
)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_it_prints_the_figures_into_the_pdf(district: District, tmp_path) -> None:
    built = build_report("monthly", "2026-11", ReportScope(), "pdf")
    assert built.content.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(built.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "全区2026年11月运行情况月报" in flat
    assert " ".join(SENTENCE.split()) in flat
    assert "满意率 66.7% 评价为满意等级的件数 ÷ 反映人作出评价的件数" in flat
    assert "营业执照变更登记 6" in flat
    # The fonts are in the file, not left to the viewer.
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout
    embedded = [line.split()[0].split("+")[1] for line in fonts.splitlines()[2:]]
    assert "Noto-Serif-CJK-SC" in embedded
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])


def test_it_writes_the_figures_into_the_word_document(district: District) -> None:
    built = build_report("quarterly", "2026-Q4", ReportScope(), "docx")
    document = Document(BytesIO(built.content))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "全区2026-Q4运行情况季报"
    assert paragraphs[2] == "一、总体情况"
    assert paragraphs[3] == (
        "2026-10-01 至 2026-12-31，共受理登记反映 9 件，其中受理 8 件、不予受理 1 件；"
        "已答复 7 件，其中按时答复 6 件；超时 3 件。"
    )
    cells = {
        row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows
    }
    assert (cells["本期受理登记的反映数"], cells["按时答复率"]) == ("9", "85.7%")
    title_run = document.paragraphs[0].runs[0]
    east_asia = title_run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert (east_asia, title_run.font.size.pt) == ("方正小标宋简体", 22)
    body_run = document.paragraphs[3].runs[0]
    assert body_run.font.name == "仿宋_GB2312"
    assert len(document.inline_shapes) == 4
