"""Batch import of external records (R-IN-3) from CSV or XLSX.

Each row goes through the same action as the intake API (`check_intake_record`), in its own
transaction: a bad row is reported and skipped, never stops the others, and a second run of
the same file finds every registered row by its id and creates nothing new. A dry run maps
and validates every row as the real run would, and writes nothing.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from banchengshi.cases.errors import ActionRefused, InvalidInput
from banchengshi.intake.actions import check_intake_record, external_records
from banchengshi.intake.mapping import (
    CatalogueLookups,
    Record,
    as_text,
    external_id,
    prepare_registration,
)
from banchengshi.intake.sources import Source

CSV_DELIMITERS = ",\t;"
# Rows whose ids are looked up together (well below SQLite's limit of query parameters).
CHUNK = 500
Progress = Callable[[int, int | None], None]


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why."""


@dataclass(frozen=True)
class Rejected:
    row: int
    record_id: str
    problems: list[tuple[str, str]]  # (column, message)


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    rows: int = 0
    created: int = 0  # in a dry run: the rows that would be registered
    existing: int = 0  # registered before (by an earlier run, or earlier in this file)
    rejected: list[Rejected] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)


@dataclass
class Table:
    columns: list[str]
    # Data rows, when the file says (XLSX keeps its dimensions; CSV is counted).
    total: int | None
    rows: Iterator[tuple[int, Record]]


def _header(cells: list[Any]) -> list[str]:
    columns = [str(cell).strip().lstrip("\ufeff") if cell is not None else "" for cell in cells]
    named = [column for column in columns if column]
    duplicates = sorted({column for column in named if named.count(column) > 1})
    if duplicates:
        raise ImportFileError(
            _("The header names these columns more than once: %(columns)s.")
            % {"columns": "、".join(duplicates)}
        )
    if not named:
        raise ImportFileError(_("The first row must name the columns; it is empty."))
    return columns


def _records(columns: list[str], rows: Iterator[Any]) -> Iterator[tuple[int, Record]]:
    for number, cells in enumerate(rows, start=2):
        values = list(cells)
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        yield (
            number,
            {column: value for column, value in zip(columns, values, strict=False) if column},
        )


def _decoded(data: bytes) -> str:
    """Excel saves CSV as UTF-8 with a BOM or, on Chinese Windows, as GB18030 (GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_csv(path: Path) -> Table:
    text = _decoded(path.read_bytes())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=CSV_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
    if not lines:
        raise ImportFileError(_("The file is empty."))
    columns = _header(lines[0])
    return Table(columns, len(lines) - 1, _records(columns, iter(lines[1:])))


def read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        first = next(rows, None)
        if first is None:
            raise ImportFileError(_("The file is empty."))
        columns = _header(list(first))
    except ImportFileError:
        workbook.close()
        raise
    total = sheet.max_row - 1 if sheet.max_row else None

    def closing_at_the_end() -> Iterator[tuple[int, Record]]:
        try:
            yield from _records(columns, rows)
        finally:
            workbook.close()

    return Table(columns, total, closing_at_the_end())


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFileError(_("There is no file %(path)s.") % {"path": path})
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    raise ImportFileError(
        _("Only .csv and .xlsx files can be imported; save the sheet in one of these formats.")
    )


def _problems(exc: ActionRefused) -> list[tuple[str, str]]:
    if isinstance(exc, InvalidInput):
        return [
            (column, str(message))
            for column, messages in exc.errors.items()
            for message in messages
        ]
    return [(exc.field, str(exc.message))]


def _chunks(rows: Iterator[tuple[int, Record]]) -> Iterator[list[tuple[int, Record]]]:
    chunk: list[tuple[int, Record]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_table(
    actor: User,
    source: Source,
    table: Table,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every row as `actor`, who sees every case (the command requires the
    dispatcher role). Which ids are registered already is asked once per chunk of rows, so
    that a second run of a file, and a dry run, cost no query per known row."""
    report = ImportReport(source=source.key, dry_run=dry_run)
    report.missing_columns = [c for c in source.columns if c not in table.columns]
    if source.id_column in report.missing_columns:
        raise ImportFileError(
            _("The file has no column “%(column)s”, the id of each %(source)s record.")
            % {"column": source.id_column, "source": source.name}
        )
    registered: set[str] = set()
    lookups = CatalogueLookups()
    for chunk in _chunks(table.rows):
        ids = {as_text(record.get(source.id_column)) for _, record in chunk}
        registered.update(
            external_records(source)
            .filter(external_id__in=ids)
            .values_list("external_id", flat=True)
        )
        for row, record in chunk:
            _import_row(actor, source, row, record, registered, lookups, report)
            if progress is not None:
                # Rows of the sheet passed, blank ones included: what the total counts.
                progress(row - 1, table.total)
    if progress is not None:
        progress(table.total or report.rows, table.total)
    return report


def _import_row(
    actor: User,
    source: Source,
    row: int,
    record: Record,
    registered: set[str],
    lookups: CatalogueLookups,
    report: ImportReport,
) -> None:
    report.rows += 1
    record_id = ""
    try:
        record_id = external_id(source, record)
        if record_id in registered:
            report.existing += 1
        elif report.dry_run:
            prepare_registration(source, record, lookups, record_id=record_id)
            report.created += 1
        elif check_intake_record(actor, source, record, lookups).created:
            report.created += 1
        else:  # registered meanwhile by someone else
            report.existing += 1
        registered.add(record_id)
    except ActionRefused as exc:
        report.rejected.append(Rejected(row, record_id, _problems(exc)))
