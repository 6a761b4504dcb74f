"""Batch import of external records (R-IN-3) from CSV or XLSX.

Each row is registered as the intake API registers a record (`prepare_registration`, then
`do_intake_record` and through it the engine's `check_register_case`), in its own
transaction: a bad row is reported and skipped, never stops the others, and a second run of
the same file finds every registered row by its id and creates nothing new. A dry run maps
and validates every row as the real run would, and writes nothing.

What `check_intake_record` asks per record is asked here once per chunk of rows (which ids are
registered) or once per import (the catalogue codes, the registering hub), so that a row
costs only the statements of its registration.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from banchengshi.errors import ActionRefused, InvalidInput
from banchengshi.evaluation.selectors import kept_external_ids
from banchengshi.intake.actions import do_intake_record, external_records
from banchengshi.intake.evaluations import keep_evaluation
from banchengshi.intake.mapping import (
    CatalogueLookups,
    Record,
    as_text,
    external_id,
    prepare_registration,
)
from banchengshi.intake.sources import Source, require_source_account
from banchengshi.org.models import Role
from banchengshi.org.scope import scope_for

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
    that a second run of a file and a dry run cost no query per row, and a new row only the
    statements of its registration (tests/intake/test_queries.py counts them)."""
    report = ImportReport(source=source.key, dry_run=dry_run)
    report.missing_columns = [c for c in source.columns if c not in table.columns]
    if source.id_column in report.missing_columns:
        raise ImportFileError(
            _("The file has no column “%(column)s”, the id of each %(source)s record.")
            % {"column": source.id_column, "source": source.name}
        )
    registered: set[str] = set()
    rated: set[str] = set()
    importing = _Importing(actor, source, registered, rated, CatalogueLookups(), _hub_of(actor))
    for chunk in _chunks(table.rows):
        ids = {as_text(record.get(source.id_column)) for _, record in chunk}
        registered.update(
            external_records(source)
            .filter(external_id__in=ids)
            .values_list("external_id", flat=True)
        )
        if source.evaluation is not None:
            rated.update(kept_external_ids(source.key, ids))
        for row, record in chunk:
            _import_row(importing, row, record, report)
            if progress is not None:
                # Rows of the sheet passed, blank ones included: what the total counts.
                progress(row - 1, table.total)
    if progress is not None:
        progress(table.total or report.rows, table.total)
    return report


def _hub_of(actor: User) -> int | None:
    """Where the engine registers a dispatcher's record that names no unit: the hub, which
    the actor's scope has already found (`Scope.hub_unit_id`, the same query as
    `cases.actions.common.hub_unit`). Naming it on every row spares the engine asking for it once a
    row; None leaves the choice, and its refusal when there is no hub, to the engine."""
    scope = scope_for(actor)
    return scope.hub_unit_id if scope.has_role({Role.DISPATCHER}) else None


@dataclass(frozen=True)
class _Importing:
    """What every row of one import shares."""

    actor: User
    source: Source
    registered: set[str]  # ids known to be registered: asked per chunk, added to per row
    rated: set[str]  # ids whose rating is kept (sources with [evaluation]): the same way
    lookups: CatalogueLookups
    hub_id: int | None


def _import_row(importing: _Importing, row: int, record: Record, report: ImportReport) -> None:
    source = importing.source
    report.rows += 1
    record_id = ""
    try:
        record_id = external_id(source, record)
        require_source_account(importing.actor, source.key)
        rating = None
        if not report.dry_run and record_id not in importing.rated:
            rating = keep_evaluation(importing.actor, source, record, record_id, importing.lookups)
            importing.rated.add(record_id)
        if record_id in importing.registered:
            report.existing += 1
            return
        # The chunk's look-up has found no case of this id, so `check_intake_record`'s own
        # look-up would find none either: validate and register straight away. A copy
        # registered meanwhile by someone else collides on the unique index, and
        # `do_intake_record` answers with that case (created False).
        registration = prepare_registration(source, record, importing.lookups, record_id=record_id)
        if report.dry_run:
            report.created += 1
        else:
            if importing.hub_id is not None and registration.registered_unit_id is None:
                registration = replace(registration, registered_unit_id=importing.hub_id)
            linked = rating.pk if rating is not None else None
            if do_intake_record(
                importing.actor, source, registration, evaluation_id=linked
            ).created:
                report.created += 1
            else:
                report.existing += 1
        importing.registered.add(record_id)
    except ActionRefused as exc:
        report.rejected.append(Rejected(row, record_id, _problems(exc)))
