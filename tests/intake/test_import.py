"""`banchengshi import FILE --source …` (R-IN-3): CSV and XLSX, a dry run, every rejected row
reported with its reason, and a second run of the same file creating nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case, Channel
from banchengshi.intake.actions import check_intake_record
from banchengshi.intake.importer import Table, import_table
from banchengshi.intake.sources import find_source
from banchengshi.notify.models import OutboxMessage
from tests.cases.conftest import Org
from tests.intake.conftest import System, hotline_record

COLUMNS = list(hotline_record())
ROWS = 300
BLANK_AFTER = 150  # a blank line in the middle of the sheet, as people leave them


def hotline_rows() -> list[dict[str, Any]]:
    """300 work orders, 21 of them bad and 6 repeating the one before."""
    rows = []
    for i in range(ROWS):
        row = hotline_record(
            工单编号=f"GD{i:05d}",
            来电时间=f"2026-11-{17 + i % 3} {8 + i % 9:02d}:{i % 60:02d}",
            来电人=f"市民{i}",
            # A spreadsheet keeps a phone number typed in a cell as a number.
            联系电话=13800000000 + i,
            事项编码="M-A" if i % 2 else "M-H",
            事项名称="",
        )
        if i % 50 == 7:
            row["联系电话"] = "1234"
        if i % 50 == 13:
            row["工单编号"] = ""
        if i % 50 == 21:
            row["来电时间"] = "2026-01-01 10:00"
        if i % 50 == 33:
            row["工单编号"] = f"GD{i - 1:05d}"
        if i % 100 == 42:
            row["诉求类型"] = "闲聊"
        rows.append(row)
    return rows


REJECTED = 6 + 6 + 6 + 3
REPEATED = 6
CREATED = ROWS - REJECTED - REPEATED


def sheet_row(index: int) -> int:
    """The spreadsheet row of data row `index` (the header is row 1)."""
    return index + 2 + (index >= BLANK_AFTER)


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(COLUMNS)
    for i, row in enumerate(rows):
        if i == BLANK_AFTER:
            sheet.append([None] * len(COLUMNS))
        sheet.append([row[column] for column in COLUMNS])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[dict[str, Any]], encoding: str, delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args: str, expect: int = 0) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if expect:
        with pytest.raises(CommandError) as raised:
            call_command("import", *args, "--language", "en", stdout=out, stderr=err)
        assert raised.value.returncode == expect, raised.value
        err.write(str(raised.value))
    else:
        call_command("import", *args, "--language", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "12345工单.xlsx", hotline_rows())


def test_a_dry_run_validates_every_row_and_writes_nothing(system: System, workbook: Path) -> None:
    out, _ = run(str(workbook), "--source", "12345", "--dry-run", expect=2)
    assert out.splitlines()[-1] == (
        f"Dry run, nothing written: {ROWS} rows; {CREATED} would be registered, "
        f"{REPEATED} are registered already, {REJECTED} rejected."
    )
    assert not Case.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_import_registers_reports_and_a_rerun_creates_nothing(
    org: Org, system: System, workbook: Path, tmp_path: Path
) -> None:
    report = tmp_path / "rejected.csv"
    out, err = run(str(workbook), "--source", "12345", "--report", str(report), expect=2)
    lines = out.splitlines()
    assert lines[-1] == (
        f"{ROWS} rows: {CREATED} registered, {REPEATED} registered already, {REJECTED} rejected."
    )
    assert Case.objects.count() == CREATED
    assert set(Case.objects.values_list("channel", flat=True)) == {Channel.HOTLINE_12345}
    # Registered by the engine at the hub, each with its audit event.
    assert set(Case.objects.values_list("registered_unit", flat=True)) == {org.hub.pk}
    assert AuditEvent.objects.filter(action="register").count() == CREATED
    assert Case.objects.filter(matter=org.matter_a).exists()
    assert Case.objects.get(external_id="GD00001").phone == "13800000001"
    assert OutboxMessage.objects.count() == CREATED
    assert "21 rows were rejected." in err

    # Every rejected row, with its row number, its id and the reason.
    assert (
        f"Row {sheet_row(7)} (GD00007): 联系电话: Enter an 11-digit mobile number, or a "
        "landline number with its area code such as 021-12345678."
    ) in lines
    assert f"Row {sheet_row(13)} (-): 工单编号: The record's id is required." in lines
    assert (
        f"Row {sheet_row(171)} (GD00171): 来电时间: The time received cannot be more than "
        "30 days ago."
    ) in lines
    assert any(
        line.startswith(f"Row {sheet_row(142)} (GD00142): 诉求类型: Unknown value “闲聊”")
        for line in lines
    )
    assert sum(line.startswith("Row ") for line in lines) == REJECTED
    with report.open(encoding="utf-8-sig") as saved:
        written = list(csv.reader(saved))
    assert written[0] == ["row", "record id", "column", "problem"]
    assert len(written) == 1 + REJECTED

    again, _ = run(str(workbook), "--source", "12345", expect=2)
    assert again.splitlines()[-1] == (
        f"{ROWS} rows: 0 registered, {CREATED + REPEATED} registered already, {REJECTED} rejected."
    )
    assert Case.objects.count() == CREATED
    assert OutboxMessage.objects.count() == CREATED


def test_progress_goes_to_stderr(system: System, workbook: Path) -> None:
    out, err = run(str(workbook), "--source", "12345", "--dry-run", expect=2)
    progress = [line for line in err.splitlines() if line.startswith("[")]
    assert len(progress) == 10
    # Rows of the sheet: the blank one counts.
    assert progress[-1].startswith(f"[{'#' * 30}] {ROWS + 1}/{ROWS + 1} rows")
    assert "rows/s" not in out


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("gb18030", ","), ("utf-8", "\t")]
)
def test_csv_from_excel_in_either_encoding(
    system: System, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    rows = [hotline_record(工单编号=f"C-{n}", 来电人=f"市民{n}") for n in range(3)]
    path = write_csv(tmp_path / "orders.csv", rows, encoding, delimiter)
    out, _ = run(str(path), "--source", "12345")
    assert out.splitlines()[-1] == "3 rows: 3 registered, 0 registered already, 0 rejected."
    assert sorted(Case.objects.values_list("petitioner_name", flat=True)) == [
        "市民0",
        "市民1",
        "市民2",
    ]


def test_columns_the_file_lacks_are_named(system: System, tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text(
        "工单编号,来电人,联系电话,事项名称,诉求内容\nA-1,张三,13812345678,社保卡补办,补办社保卡被告知系统故障\n",
        "utf-8",
    )
    out, _ = run(str(path), "--source", "12345")
    assert out.splitlines()[0].startswith("Columns not in the file (left empty): 来电时间、")
    assert Case.objects.get().matter_text == "社保卡补办"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("orders.xls", b"\xd0\xcf\x11\xe0", "Only .csv and .xlsx files can be imported"),
        ("orders.xlsx", b"not a zip", "The file is not a readable XLSX workbook."),
        ("orders.csv", b"", "The file is empty."),
        (
            "orders.csv",
            "来电人,来电人\n张三,李四\n".encode(),
            "The header names these columns more than once: 来电人.",
        ),
        (
            "orders.csv",
            "来电人,联系电话\n张三,13812345678\n".encode(),
            "The file has no column “工单编号”",
        ),
        ("orders.csv", b"\xff\xfe\x00\xd8\x00", "The CSV file is neither UTF-8 nor GB18030 text."),
    ],
)
def test_a_file_that_cannot_be_imported(
    system: System, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    _, err = run(str(path), "--source", "12345", expect=1)
    assert message in err


def test_the_account_must_be_the_system_account(org: Org, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "orders.csv", [hotline_record()], "utf-8")
    _, err = run(str(path), "--source", "12345", expect=1)
    assert "There is no active account “intake”, the source's intake account" in err
    User.objects.create_user("intake")
    _, err = run(str(path), "--source", "12345", expect=1)
    assert "“intake” does not hold the dispatcher role" in err
    _, err = run(str(path), "--source", "carrier_pigeon", expect=1)
    assert "Unknown source “carrier_pigeon”" in err
    assert not Case.objects.exists()


def table_of(records: list[dict[str, Any]]) -> Table:
    return Table(COLUMNS, len(records), iter(enumerate(records, start=2)))


def test_a_record_registered_meanwhile_is_not_registered_twice(org: Org, system: System) -> None:
    """The ids of a chunk are looked up before its rows are registered; a copy that arrives
    through the API in between collides on the unique index and counts as registered."""
    source = find_source("12345")
    assert source is not None
    records = [hotline_record(工单编号=f"M-{n}", 来电人=f"市民{n}") for n in range(3)]

    def meanwhile(done: int, total: int | None) -> None:
        if done == 1:  # row 2 (the first record) is done; the second arrives by the API
            assert check_intake_record(system.user, source, records[1]).created

    report = import_table(system.user, source, table_of(records), progress=meanwhile)
    assert (report.created, report.existing, report.rejected) == (2, 1, [])
    assert Case.objects.count() == 3
    assert AuditEvent.objects.filter(action="register").count() == 3


def test_only_the_sources_own_account_imports_its_records(org: Org) -> None:
    """Issue 15 item 5: a window clerk (or any other account) takes no id of the source."""
    source = find_source("12345")
    assert source is not None
    # In the site's language, whatever an earlier test of this process left active.
    with translation.override("zh-hans"):
        report = import_table(org.clerk, source, table_of([hotline_record()]))
    assert report.created == 0
    (rejected,) = report.rejected
    assert [message for _column, message in rejected.problems] == [
        "只有外部来源“12345”自己的接入账号可以以该来源的编号登记记录。"
    ]
    assert not Case.objects.exists()
