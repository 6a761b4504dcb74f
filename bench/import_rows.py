"""Batch import (`banchengshi import FILE --source 12345`) of a 100,000-row XLSX, against two
baselines measured on the same file in the same run.

A worker process (`python -m bench.import_rows --worker`, DEBUG off) migrates a fresh SQLite
file (WAL, as `make run` uses), makes a small district, a catalogue of 20 matters and the
"intake" system account, writes the workbook (2% of its rows bad, 0.5% repeating an earlier
id) and measures, in rows per second:

- read: openpyxl reading every row of the file, registering nothing (the floor set by the
  spreadsheet library);
- read_insert: the same reading plus one plain INSERT per row, each in its own transaction
  (the floor set by the database for a row-at-a-time import);
- dry_run: `import_table(dry_run=True)`: every row mapped and validated, nothing written;
- import: the real import, each row a registration (case, unit link, work item, audit event,
  acknowledgement SMS in the outbox) in its own transaction;
- rerun: the same file again, which must create nothing.

The figures that travel between machines are the ratios import/read and import/read_insert.
Alongside, the statements each pass sent to the database per row (COMMIT, a call of the
driver's own, not counted): what a change to the import or the engine should move.
Environment: BENCH_IMPORT_ROWS (default 100000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import production_secrets

NAME = "import_rows"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
SEED = 20261120
RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
DATABASE = RESULTS / "import-bench.sqlite3"
WORKBOOK = RESULTS / "import-bench.xlsx"
COLUMNS = ["工单编号", "来电时间", "来电人", "联系电话", "来电人类型", "事项编码", "事项名称"]
COLUMNS += ["诉求类型", "诉求内容", "诉求目的"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰"]
KINDS = ["咨询", "求助", "投诉", "建议"]
COMPLAINTS = [
    "网上提交材料后一直显示审核中，窗口说系统没有收到",
    "窗口要求提供的证明材料在办事指南中没有列出，来回跑了三次",
    "预约的号被取消，现场排队两个小时仍未办理",
    "系统提示信息不一致无法提交，咨询热线也无法解决",
]


def _unlink_database() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)


def run() -> dict[str, Any]:
    """In `python -m bench`: the worker in its own process, on its own database file."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    _unlink_database()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "banchengshi.settings",
        "DEBUG": "0",
        **production_secrets(),
        "LOG_LEVEL": "WARNING",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.import_rows", "--worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
            check=True,
        )
    finally:
        _unlink_database()
        WORKBOOK.unlink(missing_ok=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


# --- the worker -------------------------------------------------------------------------------


def _district() -> tuple[Any, list[str]]:
    from django.contrib.auth.models import User

    from banchengshi.catalog.models import Matter
    from banchengshi.org.actions import do_create_unit, do_grant_role
    from banchengshi.org.models import Role, UnitKind

    office = do_create_unit("OFFICE", "区政务服务办", UnitKind.OFFICE)
    hub = do_create_unit("HUB", "区行政服务中心", UnitKind.HUB, office)
    codes = []
    for d in range(5):
        dept = do_create_unit(f"D{d}", f"区第{d}局", UnitKind.DEPARTMENT)
        for m in range(4):
            code = f"M-{d}{m}"
            Matter.objects.create(code=code, name=f"事项{d}{m}", owning_department=dept)
            codes.append(code)
    system = User.objects.create_user("intake")
    do_grant_role(system, hub, Role.DISPATCHER)
    return system, codes


def _write_workbook(codes: list[str]) -> dict[str, int]:
    """The rows and how many of them are bad or repeated, by design."""
    from django.utils import timezone
    from openpyxl import Workbook

    rng = random.Random(SEED)
    now = timezone.localtime()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(COLUMNS)
    bad = repeated = 0
    for n in range(ROWS):
        received = now - dt.timedelta(minutes=rng.randint(10, 29 * 24 * 60))
        record_id = f"GD{n:08d}"
        phone: str | int = 13800000000 + rng.randrange(10**8)
        roll = rng.random()
        if roll < 0.01:
            phone, bad = "1380000", bad + 1
        elif roll < 0.02:
            received, bad = now - dt.timedelta(days=40), bad + 1
        elif roll < 0.025 and n:
            record_id, repeated = f"GD{rng.randrange(n):08d}", repeated + 1
        sheet.append(
            [
                record_id,
                received.replace(tzinfo=None, microsecond=0),
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                phone,
                "个人",
                rng.choice(codes) if rng.random() < 0.9 else "OTHER-CATALOGUE",
                "其他事项",
                rng.choice(KINDS),
                rng.choice(COMPLAINTS),
                "希望尽快办结",
            ]
        )
    book.save(WORKBOOK)
    return {"bad": bad, "repeated": repeated}


def _rate(rows: int, seconds: float) -> float:
    return round(rows / seconds, 1) if seconds else 0.0


def _timed(label: str, call: Any) -> tuple[Any, float]:
    print(f"[import_rows] {label}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def _read_only() -> int:
    from openpyxl import load_workbook

    book = load_workbook(WORKBOOK, read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(min_row=2, values_only=True))
    book.close()
    return rows


def _read_and_insert() -> int:
    from django.db import connection, transaction
    from openpyxl import load_workbook

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_import_baseline (id INTEGER PRIMARY KEY, external_id TEXT, "
            "name TEXT, phone TEXT, description TEXT)"
        )
    book = load_workbook(WORKBOOK, read_only=True, data_only=True)
    rows = 0
    for values in book.worksheets[0].iter_rows(min_row=2, values_only=True):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_import_baseline (external_id, name, phone, description) "
                "VALUES (%s, %s, %s, %s)",
                [values[0], values[2], str(values[3]), values[8]],
            )
        rows += 1
    book.close()
    return rows


class Statements:
    """Counts what goes through the connection's cursors (`connection.execute_wrapper`): a
    function call per statement, nothing next to the statement itself."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def worker() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from banchengshi.cases.models import Case
    from banchengshi.intake.importer import import_table, read_table
    from banchengshi.intake.sources import find_source

    call_command("migrate", verbosity=0)
    system, codes = _district()
    source = find_source("12345")
    assert source is not None
    print(f"[import_rows] writing {ROWS:,} rows", file=sys.stderr, flush=True)
    made = _write_workbook(codes)

    _read_only()  # warm-up: the file in the page cache, openpyxl's code loaded
    read_rows, read_s = _timed("read", _read_only)
    insert_rows, insert_s = _timed("read + one INSERT per row", _read_and_insert)

    statements: dict[str, int] = {}

    def importing(label: str, dry_run: bool) -> Any:
        counted = Statements()
        with connection.execute_wrapper(counted):
            report = import_table(system, source, read_table(WORKBOOK), dry_run=dry_run)
        statements[label] = counted.count
        return report

    dry, dry_s = _timed("dry run", lambda: importing("dry_run", True))
    imported, import_s = _timed("import", lambda: importing("import", False))
    cases = Case.objects.count()
    rerun, rerun_s = _timed("rerun", lambda: importing("rerun", False))
    assert rerun.created == 0, "a rerun created cases"
    assert Case.objects.count() == cases, "a rerun created cases"
    assert dry.created == imported.created, "the dry run and the import disagree"

    import_rps = _rate(ROWS, import_s)
    return {
        "rows": ROWS,
        "engine": connection.vendor,
        "bad_rows": made["bad"],
        "repeated_ids": made["repeated"],
        "created": imported.created,
        "rejected": len(imported.rejected),
        "read_rps": _rate(read_rows, read_s),
        "read_insert_rps": _rate(insert_rows, insert_s),
        "dry_run_rps": _rate(ROWS, dry_s),
        "import_rps": import_rps,
        "rerun_rps": _rate(ROWS, rerun_s),
        "import_to_read": round(import_rps / _rate(read_rows, read_s), 3),
        "import_to_read_insert": round(import_rps / _rate(insert_rows, insert_s), 3),
        "import_seconds": round(import_s, 1),
        "statements_per_row": {
            label: round(count / ROWS, 3) for label, count in statements.items()
        },
        "statements_per_created_row": round(statements["import"] / imported.created, 3),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_rows")
    parser.add_argument("--worker", action="store_true", help="measure (in a child process)")
    args = parser.parse_args(argv)
    if not args.worker:
        line = json.dumps({"name": NAME, **run()}, ensure_ascii=False)
        print(line, flush=True)
        (RESULTS / f"{NAME}.json").write_text(line + "\n", encoding="utf-8")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    print(json.dumps(worker(), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
