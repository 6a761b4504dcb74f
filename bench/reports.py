"""Reports, dashboard and ledger at 10,000 and 1,000,000 cases, on SQLite and PostgreSQL
(issue 14).

For each engine two databases: SMALL cases made by `python -m bench.generate`, and a copy of
it multiplied ×FACTOR by `python -m bench.scale` (10,000 × 100 = 1,000,000). Each size is then
measured by a worker process of its own (`python -m bench.reports --worker …`):

1. report_month / report_year: the district's monthly report of last month and the annual
   report of this year as `banchengshi report … --format json` builds them
   (reports.build.build_report: the figures, the accountability list, the JSON), each
   alternated with bare_month / bare_year, the same figures by hand-written SQL
   (bench/reports_bare.py: one GROUP BY per table). The worker checks that both found the
   same counts (`same_figures`). The ratio report/bare of the medians, aim ≤ 1.5.
2. dashboard_office / dashboard_leader: what /staff/dashboard/ (and its refresh) computes,
   reports.dashboard.dashboard, for the office head (every unit) and for the leader of the
   unit with the most cases (its units). The ratio of the p95 at the large size to the small
   one, aim ≤ 1.5.

3. At the large size only, the ledger of every case (CSV and XLSX) written to a file as
   `banchengshi ledger` does, each in a fresh process that reads its resident memory before the
   export (Django set up, the export's modules imported, connected) and its peak after it
   (VmHWM, reset before the export through /proc/self/clear_refs), aim ≤ 1.2 × before.

Environment: BENCH_ENGINES (sqlite,postgresql), BENCH_PG_SERVER as for bench.cases;
BENCH_REPORTS_PG_DATABASE (banchengshi_reports_bench; the large one gets `_large`),
BENCH_REPORTS_SMALL (10000), BENCH_REPORTS_FACTOR (100), BENCH_REPORTS_REPEAT (reports, 7),
BENCH_REPEAT (dashboard, 50), BENCH_REPORTS_PARTS (reports,dashboard,ledger: the parts
measured), BENCH_REPORTS_PERIODS (month,year), BENCH_REPORTS_KEEP=1 keeps the databases,
BENCH_REPORTS_REUSE=1 measures those an earlier run kept without filling them again.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.cases import (
    ENGINES,
    PG_SERVER,
    RESULTS,
    _measure,
    _pg_admin_url,
    _pg_available,
    _read_through,
    _subprocess,
)
from bench.knowledge_data import ratio

NAME = "reports"
SMALL = int(os.environ.get("BENCH_REPORTS_SMALL", "10000"))
FACTOR = int(os.environ.get("BENCH_REPORTS_FACTOR", "100"))
REPORT_REPEAT = int(os.environ.get("BENCH_REPORTS_REPEAT", "7"))
DASHBOARD_REPEAT = int(os.environ.get("BENCH_REPEAT", "50"))
PG_DATABASE = os.environ.get("BENCH_REPORTS_PG_DATABASE", "banchengshi_reports_bench")
SQLITE_FILE = RESULTS / "reports-bench.sqlite3"
LEDGER_FORMATS = ("csv", "xlsx")
# At 1,000,000 cases on a shared machine an annual report takes minutes: these let a run
# measure part of it (the figures name what they measured).
PERIODS = tuple(os.environ.get("BENCH_REPORTS_PERIODS", "month,year").split(","))
# BENCH_REPORTS_PARTS: any of reports, dashboard, ledger (all three by default).
PARTS = tuple(os.environ.get("BENCH_REPORTS_PARTS", "reports,dashboard,ledger").split(","))
WARMUP = int(os.environ.get("BENCH_REPORTS_WARMUP", "1"))


# --- the databases -------------------------------------------------------------------------------


class Databases:
    """The small database and its scaled copy for one engine."""

    def __init__(self, engine: str) -> None:
        self.engine = engine
        self.sizes = (SMALL, SMALL * FACTOR)

    def _file(self, cases: int) -> Path:
        return SQLITE_FILE if cases == SMALL else SQLITE_FILE.with_suffix(".large.sqlite3")

    def _name(self, cases: int) -> str:
        return PG_DATABASE if cases == SMALL else f"{PG_DATABASE}_large"

    def url(self, cases: int) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self._file(cases)}"
        return f"{PG_SERVER.rstrip('/')}/{self._name(cases)}"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(_pg_admin_url(), autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def drop(self) -> None:
        for cases in self.sizes:
            if self.engine == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self._file(cases)}{suffix}").unlink(missing_ok=True)
            else:
                self._admin(f"DROP DATABASE IF EXISTS {self._name(cases)} WITH (FORCE)")

    def fill(self) -> dict[str, Any]:
        self.drop()
        small, large = self.sizes
        if self.engine == "postgresql":
            # UTF-8 from template0: what pg_trgm needs, whatever template1 holds.
            self._admin(f"CREATE DATABASE {self._name(small)} TEMPLATE template0 ENCODING 'UTF8'")
        _say(f"{self.engine}: generating {small:,} cases")
        url = self.url(small)
        generated = _subprocess(
            ["-m", "bench.generate", "--cases", str(small), "--database-url", url], url
        )
        # Nobody is connected: the generator's process has ended.
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self._file(small)}{suffix}")
                if source.exists():
                    shutil.copyfile(source, f"{self._file(large)}{suffix}")
        else:
            self._admin(f"CREATE DATABASE {self._name(large)} TEMPLATE {self._name(small)}")
        _say(f"{self.engine}: scaling a copy ×{FACTOR}")
        url = self.url(large)
        scaled = _subprocess(
            ["-m", "bench.scale", "--factor", str(FACTOR), "--database-url", url], url
        )
        return {
            "generate_seconds": generated["generate_seconds"],
            "scale_seconds": scaled["scale_seconds"],
        }


def _say(text: str) -> None:
    print(f"[reports] {text}", file=sys.stderr, flush=True)


# --- the worker (one engine, one size) ---------------------------------------------------------


def _alternated(
    report: Callable[[], Any], bare: Callable[[], Any], repeat: int
) -> tuple[list[float], list[float], Any, Any, int]:
    """Each repetition runs the report then the bare SQL, so that the load of a shared machine
    weighs on both alike; WARMUP runs of each first. Returns both series, the last results and
    the report's number of statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        report(), bare()
    reports, bares = [], []
    statements = 0
    for i in range(repeat):
        # The statements are counted in the first run only (the count costs a little).
        capture = CaptureQueriesContext(connection) if i == 0 else None
        with capture if capture is not None else contextlib.nullcontext():
            start = time.perf_counter()
            built = report()
            reports.append(time.perf_counter() - start)
        if capture is not None:
            statements = len(capture.captured_queries)
        start = time.perf_counter()
        found = bare()
        bares.append(time.perf_counter() - start)
    return reports, bares, built, found, statements


def _ms(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "min_ms": round(min(samples) * 1000, 1),
    }


def _reports(repeat: int) -> dict[str, Any]:
    from django.utils import timezone

    from banchengshi.reports.build import build_report
    from banchengshi.reports.periods import PeriodKind, containing
    from banchengshi.reports.scopes import ReportScope
    from banchengshi.workdays.calendar import local_date
    from bench.reports_bare import bare_figures, differences

    today = local_date(timezone.now())
    periods = {
        "month": ("monthly", containing(PeriodKind.MONTH, today).previous()),
        "year": ("annual", containing(PeriodKind.YEAR, today)),
    }
    figures: dict[str, Any] = {}
    for name, (kind, period) in periods.items():
        if name not in PERIODS:
            continue

        def report(kind: str = kind, label: str = period.label) -> Any:
            return json.loads(build_report(kind, label, ReportScope(), "json").content)

        def bare(
            start: Any = period.start_at, end: Any = period.end_at, label: str = period.label
        ) -> Any:
            return bare_figures(start, end, timezone.now(), label)

        reports, bares, built, found, statements = _alternated(report, bare, repeat)
        figures[name] = {
            "period": period.label,
            "received": built["received"],
            "report": {**_ms(reports), "queries": statements},
            "bare": _ms(bares),
            "ratio": ratio(statistics.median(reports), statistics.median(bares)),
            "same_figures": differences(built, found) or True,
        }
    return figures


def _leader_scope() -> Any:
    """The scope of the leader of the unit responsible for the most cases."""
    from django.db.models import Count

    from banchengshi.cases.models import Case
    from banchengshi.org.models import Membership, Role
    from banchengshi.org.scope import scope_for

    leaders = Membership.objects.filter(role=Role.UNIT_LEADER)
    busiest = (
        Case.objects.filter(owner_unit__in=leaders.values("unit"))
        .order_by()
        .values("owner_unit")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "no unit leader responsible for cases: was the database generated?"
    membership = leaders.filter(unit=busiest["owner_unit"]).first()
    assert membership is not None
    return scope_for(membership.user)


def _dashboards(repeat: int) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from banchengshi.org.scope import scope_for
    from banchengshi.reports.dashboard import dashboard

    scopes = {
        "dashboard_office": scope_for(User.objects.get(username="officeadmin")),
        "dashboard_leader": _leader_scope(),
    }

    def call(scope: Any) -> Callable[[int], object]:
        def board(_i: int) -> object:
            found = dashboard(scope)
            return found.work, [item.case.tracking_no for item in found.overdue], found.league

        return board

    return {name: _measure(call(scope), repeat) for name, scope in scopes.items()}


def worker(size: int) -> dict[str, Any]:
    from django.db import connection

    from banchengshi.cases import open_work
    from banchengshi.cases.models import Case

    # The open work's kept counts as the scheduler's job leaves them (cases.open_work): the
    # generator's and the actions' rows added up by unit and day.
    open_work.compact()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    else:
        _read_through(Path(connection.settings_dict["NAME"]))
    return {
        "engine": connection.vendor,
        "cases": Case.objects.count(),
        **({"reports": _reports(REPORT_REPEAT)} if "reports" in PARTS else {}),
        **(_dashboards(DASHBOARD_REPEAT) if "dashboard" in PARTS else {}),
    }


def _memory(field: str) -> int:
    """A figure of /proc/self/status in kB (VmRSS: resident now; VmHWM: the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def ledger_worker(fmt: str) -> dict[str, Any]:
    """Every case's ledger row written as `banchengshi ledger --format FMT -o FILE` does, with
    the process's resident memory before and its peak during the export."""
    from django.core.management import call_command
    from django.utils import timezone

    # What the export imports, loaded before the figure "before" is read.
    import banchengshi.reports.exports.ledger_files  # noqa: F401
    from banchengshi.cases.models import Case
    from banchengshi.workdays.calendar import local_date

    cases = Case.objects.count()
    first = Case.objects.order_by("received_at").values_list("received_at", flat=True)[0]
    period = f"{local_date(first).isoformat()}..{local_date(timezone.now()).isoformat()}"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"ledger.{fmt}"
        before = _memory("VmRSS")
        # Resets VmHWM to the resident memory now (Linux ≥ 4.0).
        Path("/proc/self/clear_refs").write_text("5")
        start = time.perf_counter()
        call_command("ledger", period=period, format=fmt, output=str(out), stderr=sys.stderr)
        seconds = time.perf_counter() - start
        peak = _memory("VmHWM")
        size = out.stat().st_size
    return {
        "format": fmt,
        "cases": cases,
        "period": period,
        "rss_before_kb": before,
        "peak_kb": peak,
        "peak_ratio": ratio(peak, before),
        "seconds": round(seconds, 1),
        "file_bytes": size,
    }


# --- the runner ---------------------------------------------------------------------------------


def measure_engine(engine: str) -> dict[str, Any]:
    databases = Databases(engine)
    small, large = databases.sizes
    reuse = os.environ.get("BENCH_REPORTS_REUSE") == "1"
    figures: dict[str, Any] = {}
    try:
        if reuse:
            _say(f"{engine}: measuring the databases kept by an earlier run")
        else:
            figures["fill"] = databases.fill()
        for cases in (small, large):
            _say(f"{engine}: measuring at {cases:,}")
            url = databases.url(cases)
            args = ["-m", "bench.reports", "--worker", "--database-url", url, "--size", str(cases)]
            figures[str(cases)] = _subprocess(args, url)
        for fmt in LEDGER_FORMATS if "ledger" in PARTS else ():
            _say(f"{engine}: the {fmt} ledger at {large:,}")
            url = databases.url(large)
            args = ["-m", "bench.reports", "--ledger", fmt, "--database-url", url]
            figures[f"ledger_{fmt}"] = _subprocess(args, url)
    finally:
        if reuse or os.environ.get("BENCH_REPORTS_KEEP") == "1":
            _say(f"{engine}: databases kept: {databases.url(small)} {databases.url(large)}")
        else:
            databases.drop()
    low, high = figures[str(small)], figures[str(large)]
    # The ratios of the parts measured (a run may measure one part, or one period).
    figures["ratios"] = {
        **{
            f"report_{name}_to_bare_{size}": by_size["reports"][name]["ratio"]
            for size, by_size in ((small, low), (large, high))
            for name in ("month", "year")
            if name in by_size.get("reports", {})
        },
        **{
            f"{name}_p95_large_to_small": ratio(high[name]["p95_ms"], low[name]["p95_ms"])
            for name in ("dashboard_office", "dashboard_leader")
            if name in high and name in low
        },
        **{
            f"ledger_{fmt}_peak": figures[f"ledger_{fmt}"]["peak_ratio"]
            for fmt in LEDGER_FORMATS
            if f"ledger_{fmt}" in figures
        },
    }
    return figures


def run() -> dict[str, Any]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "sizes": [SMALL, SMALL * FACTOR],
        "repeat": {"reports": REPORT_REPEAT, "dashboard": DASHBOARD_REPEAT},
        "engines": {},
    }
    for engine in ENGINES:
        if engine == "postgresql" and not _pg_available():
            figures["engines"][engine] = {"skipped": f"no PostgreSQL server at {PG_SERVER}"}
            continue
        figures["engines"][engine] = measure_engine(engine)
    figures["total_seconds"] = round(time.perf_counter() - started, 1)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--worker", action="store_true", help="measure one database")
    parser.add_argument("--ledger", choices=LEDGER_FORMATS, help="measure one ledger export")
    parser.add_argument("--database-url", help="the database to measure (worker)")
    parser.add_argument("--size", type=int, default=0, help="its number of cases (worker)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    if args.worker or args.ledger:
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        import django

        django.setup()
        figures = ledger_worker(args.ledger) if args.ledger else worker(args.size)
        print(json.dumps(figures, ensure_ascii=False, default=str), flush=True)
        return 0
    line = json.dumps({"name": NAME, **run()}, ensure_ascii=False)
    print(line, flush=True)
    (RESULTS / f"{NAME}.json").write_text(line + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
