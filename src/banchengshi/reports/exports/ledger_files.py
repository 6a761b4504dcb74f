"""The ledger as CSV (streamed line by line, with a byte-order mark so that Excel reads the
UTF-8) or as XLSX (openpyxl's write-only workbook: each row leaves for the temporary file as
it is written). Neither holds more than a chunk of rows in memory."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from banchengshi.reports.ledger import Ledger


class _Line:
    """A file-like sink for csv.writer that hands back what was written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text = text
        return len(text)


def csv_chunks(ledger: Ledger) -> Iterator[bytes]:
    sink = _Line()
    writer = csv.writer(sink)
    yield "\ufeff".encode()
    writer.writerow(ledger.header())
    yield sink.text.encode()
    for row in ledger.lines():
        writer.writerow([_csv_cell(cell) for cell in row])
        yield sink.text.encode()


def xlsx_file(ledger: Ledger, title: str) -> IO[bytes]:
    """A temporary file holding the workbook, positioned at its start; deleted when closed."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(ledger.header())
    for row in ledger.lines():
        sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    # Handed to the response, which closes it (and so deletes it) when sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    book.save(handle)
    handle.seek(0)
    return handle


# What a petitioner typed may start like a formula; a spreadsheet must show it, not run it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _xlsx_cell(sheet: Any, cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        text = WriteOnlyCell(sheet, value=cell)
        text.data_type = "s"
        return text
    return cell
