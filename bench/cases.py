"""Case reads at 10,000 and at a larger number of cases, on SQLite and on PostgreSQL.

For each engine a fresh database of each size is filled by `python -m bench.generate` (the demo
generator), then a worker process per size (`python -m bench.cases --worker …`) measures,
REPEAT times each after a warm-up:

- worklist_handler: the first worklist page (selectors.worklist, 25 rows, plus its counts) of
  the handler of the unit with the most open handling work;
- worklist_dispatcher: the same for the dispatcher (the hub's queue);
- case_detail: selectors.case_detail of a random generated case (one with its audit events),
  seen by the dispatcher;
- search_*: the inspector's case search (selectors.search_cases: the first 25 rows and the
  count capped at 10,000, as /staff/inspect/ shows them) by the last 6 digits of a random
  case's tracking number, the last 4 of its phone, the first 2 characters of its petitioner's
  name, a 2-character word and a 4-character word of the demo texts (each a rotating list).
  A word found in a fixed share of all cases has that many more matches to rank in a larger
  database, so the word searches measure what a common word costs, not only the index.

Before measuring, PostgreSQL is vacuumed and analysed and the SQLite file is read through once,
so that both engines start from what a running server has in memory.

Both sizes' databases exist together and their two workers take turns: each measurement is
cut into ROUNDS runs of its calls, the small database's run then the large one's, one at a
time (a worker says "ready" and waits for a line on stdin). A machine whose speed drifts during
the minutes of a run (another process, a checkpoint, the CPU's clock) then weighs on both sizes
alike; measured one size after the other, two runs of the same code on the same kind of
databases gave the PostgreSQL worklist ratios of 1.05 and 1.42.

Each measurement runs in its own process with its own DATABASE_URL (settings are read once per
process). Figures are p50/p95 in milliseconds (time.perf_counter) and the ratio large/small
per measurement: a per-request query served by an index should cost about the same at any
size (aim: below 1.5). The query plans of the worklist's queries are kept in
bench/results/cases_explain_<engine>_<size>.txt.

Environment: BENCH_LARGE (default 100000; 1000000 for the 1M run), BENCH_REPEAT (200),
BENCH_PG_SERVER (postgres://postgres@127.0.0.1:5432; the bench creates and drops the database
BENCH_PG_DATABASE, default banchengshi_bench, there), BENCH_ENGINES (sqlite,postgresql),
BENCH_SCALE (1: the large size by bench.scale, see SCALE), BENCH_ROUNDS (10).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import production_secrets

NAME = "cases"
SMALL = 10_000
LARGE = int(os.environ.get("BENCH_LARGE", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
WARMUP = 10
SEED = 20240101
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "banchengshi_bench")
ENGINES = tuple(os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(","))
# BENCH_SCALE=1: the large size is the small one multiplied by bench.scale (minutes instead of
# hours on a busy machine). The worklists keep their shape (work items, cases and clocks are
# cloned with their instants, so each queue holds F times the work of each colour), but a
# clone has no audit events and its case page no history, so the worker draws the cases of
# case_detail (and of the searches) from the generated ones, which keep theirs.
SCALE = os.environ.get("BENCH_SCALE", "") == "1"
RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = RESULTS / "cases-bench.sqlite3"
MEASUREMENTS = (
    "worklist_handler",
    "worklist_dispatcher",
    "case_detail",
    "search_tracking_end",
    "search_phone_last4",
    "search_name_start",
    "search_word_2",
    "search_word_4",
)
WORDS_2 = ("社保", "医保", "户口", "退回", "公章", "预约", "名称", "补贴")
WORDS_4 = ("营业执照", "人脸识别", "材料清单", "异地就医", "信息核验", "办理进度", "原单位")


# --- the runner (inside `python -m bench`) ----------------------------------------------------


def _pg_admin_url() -> str:
    return PG_SERVER.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"


def _pg_available() -> bool:
    import psycopg

    try:
        psycopg.connect(_pg_admin_url(), connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def worker_env(url: str) -> dict[str, str]:
    """The environment of a process working on the database at `url`."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "banchengshi.settings",
        # Measured as in production: no query log kept by DEBUG.
        "DEBUG": "0",
        **production_secrets(),
    }


def _subprocess(args: list[str], url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=worker_env(url),
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _ratios(small: dict[str, Any], large: dict[str, Any]) -> dict[str, float]:
    ratios = {}
    for name in MEASUREMENTS:
        for stat in ("p50_ms", "p95_ms"):
            base = small[name][stat]
            ratios[f"{name}.{stat[:3]}"] = round(large[name][stat] / base, 2) if base else 0.0
    return ratios


def fill_and_measure(
    name: str, engine: str, sizes: tuple[int, ...], *, scale_above: int | None = None
) -> dict[str, Any]:
    """For each size in turn: a fresh database of `engine` filled (`_fill`), measured by
    `python -m bench.<name> --worker`, then dropped."""
    by_size: dict[str, Any] = {}
    for size in sizes:
        url = _database_url(engine, size)
        try:
            filled = _fill(engine, size, url, bench=name, scale_above=scale_above)
            print(f"[{name}] {engine}: measuring at {size:,}", file=sys.stderr, flush=True)
            measured = _subprocess(
                ["-m", f"bench.{name}", "--worker", "--database-url", url, "--size", str(size)],
                url,
            )
        finally:
            _drop(url)
        by_size[str(size)] = {**filled, **measured}
    return by_size


def _database_url(engine: str, size: int) -> str:
    """A fresh, empty database for `size` (any size but SMALL named apart from it)."""
    if engine == "sqlite":
        path = SQLITE_FILE if size == SMALL else SQLITE_FILE.with_suffix(".large.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = PG_DATABASE if size == SMALL else f"{PG_DATABASE}_large"
    with psycopg.connect(_pg_admin_url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    return f"{PG_SERVER.rstrip('/')}/{name}"


def _drop(url: str) -> None:
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(_pg_admin_url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


def _fill(
    engine: str, size: int, url: str, *, bench: str, scale_above: int | None
) -> dict[str, Any]:
    """`size` cases by bench.generate; a size above `scale_above` is generated at
    `scale_above` cases and multiplied by bench.scale (it must be a multiple of it)."""
    generate, factor = size, 1
    if scale_above is not None and size > scale_above:
        if size % scale_above:
            raise ValueError(f"{size} is not a multiple of {scale_above}")
        generate, factor = scale_above, size // scale_above
    print(f"[{bench}] {engine}: generating {generate:,} cases", file=sys.stderr, flush=True)
    generated = _subprocess(
        ["-m", "bench.generate", "--cases", str(generate), "--database-url", url], url
    )
    filled = {"generate_seconds": generated["generate_seconds"], "events": generated["events"]}
    if factor > 1:
        print(f"[{bench}] {engine}: scaling ×{factor}", file=sys.stderr, flush=True)
        scaled = _subprocess(
            ["-m", "bench.scale", "--factor", str(factor), "--database-url", url], url
        )
        filled |= {"generated_cases": generate, **scaled}
    return filled


def start_workers(
    module: str, urls: dict[int, str], *args: str
) -> dict[int, subprocess.Popen[str]]:
    """A `python -m <module> --worker` process per size, spoken to on stdin and stdout."""
    command = [sys.executable, "-m", module, "--worker", *args]
    return {
        size: subprocess.Popen(
            [*command, "--database-url", url, "--size", str(size)],
            cwd=ROOT,
            env=worker_env(url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
        )
        for size, url in urls.items()
    }


def _in_turns(urls: dict[int, str]) -> dict[int, dict[str, Any]]:
    """A lockstep worker per size; each run of calls in one, then in the other."""
    workers = start_workers("bench.cases", urls)
    found: dict[int, dict[str, Any]] = {}
    try:
        said = {size: _line(worker) for size, worker in workers.items()}
        while all(line == "ready" for line in said.values()):
            for size, worker in workers.items():
                assert worker.stdin is not None
                worker.stdin.write("go\n")
                worker.stdin.flush()
                said[size] = _line(worker)
        for size, worker in workers.items():
            if worker.wait() or said[size] == "ready":
                raise RuntimeError(f"the worker at {size:,} cases failed or lost its step")
            found[size] = json.loads(said[size])
    finally:
        for worker in workers.values():
            if worker.poll() is None:
                worker.kill()
    return found


def _line(worker: subprocess.Popen[str]) -> str:
    assert worker.stdout is not None
    return worker.stdout.readline().strip()


def run() -> dict[str, Any]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "sizes": [SMALL, LARGE],
        "repeat": REPEAT,
        "rounds": ROUNDS,
        "engines": {},
    }
    for engine in ENGINES:
        if engine == "postgresql" and not _pg_available():
            figures["engines"][engine] = {"skipped": f"no PostgreSQL server at {PG_SERVER}"}
            continue
        urls: dict[int, str] = {}
        try:
            filled = {}
            for size in (SMALL, LARGE):
                urls[size] = _database_url(engine, size)
                scale_above = SMALL if SCALE else None
                filled[size] = _fill(engine, size, urls[size], bench=NAME, scale_above=scale_above)
            print(f"[{NAME}] {engine}: measuring both sizes in turns", file=sys.stderr, flush=True)
            measured = _in_turns(urls)
        finally:
            for url in urls.values():
                _drop(url)
        by_size: dict[str, Any] = {
            str(size): {**filled[size], **measured[size]} for size in (SMALL, LARGE)
        }
        by_size["ratio_large_to_small"] = _ratios(measured[SMALL], measured[LARGE])
        figures["engines"][engine] = by_size
    figures["total_seconds"] = round(time.perf_counter() - started, 1)
    return figures


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(cut[94] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


def _measure(call: Callable[[int], object], repeat: int, *, turns: int = 0) -> dict[str, Any]:
    """`repeat` timed calls after a warm-up. With `turns`, cut into that many runs, each
    started by the runner (`_in_turns`): the worker says "ready" and waits for a line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(WARMUP):
        call(i)
    with CaptureQueriesContext(connection) as queries:
        call(WARMUP)
    samples = []
    runs = max(turns, 1)
    for turn in range(runs):
        if turns:
            print("ready", flush=True)
            sys.stdin.readline()
        for i in range(turn * repeat // runs, (turn + 1) * repeat // runs):
            start = time.perf_counter()
            call(i)
            samples.append(time.perf_counter() - start)
    return {**_percentiles(samples), "queries": len(queries.captured_queries)}


def _read_through(path: Path) -> None:
    with path.open("rb") as database:
        while database.read(1 << 20):
            pass


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(f"{row[0]:>3} {row[1]:>3}  {row[-1]}" for row in cursor.fetchall())


def worker(size: int) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.db.models import Count, Max
    from django.test.utils import CaptureQueriesContext

    from banchengshi.audit.models import AuditEvent
    from banchengshi.cases.models import Case, WorkItem, WorkKind
    from banchengshi.cases.selectors import case_detail, search_cases, worklist
    from banchengshi.org.models import Membership, Role
    from banchengshi.org.scope import scope_for

    if connection.vendor == "postgresql":
        # As after autovacuum caught up with the bulk load (visibility map, statistics), so
        # that the figures measure the queries, not a vacuum running alongside.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
            # The vacuum dirties every page of a large database; without a checkpoint their
            # writing overlaps the measurement (seen: the 1M worklist 40-70 % slower in one of
            # two runs with the same plans).
            cursor.execute("CHECKPOINT")
    else:
        # As on a server that has been running: its database file in the operating system's
        # cache. Without it the 200 random cases of case_detail are first reads from the
        # disk at 1M (seen: p50 3.6 ms cold, 2.8 ms warm) and the figure measures the disk.
        _read_through(Path(connection.settings_dict["NAME"]))
    handler_kinds = [WorkKind.RECEIVE, WorkKind.HANDLE, WorkKind.COHANDLE]
    busiest = (
        WorkItem.objects.filter(
            kind__in=handler_kinds,
            unit__memberships__role=Role.UNIT_HANDLER,
        )
        .values("unit_id")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "no open handling work: was the database generated?"
    membership = Membership.objects.filter(
        unit_id=busiest["unit_id"], role=Role.UNIT_HANDLER
    ).first()
    assert membership is not None
    handler = membership.user
    dispatcher = User.objects.get(username="dispatcher")
    handler_scope, dispatcher_scope = scope_for(handler), scope_for(dispatcher)

    def page_of(scope: Any) -> Callable[[int], object]:
        def call(_i: int) -> object:
            page = worklist(scope)
            return [(item.case.tracking_no, item.unit.name) for item in page.items], page.total

        return call

    first = Case.objects.order_by("id").values_list("id", flat=True)[0]
    # The generated cases, not bench.scale's clones (ids above them), which have no history:
    # the case page is measured on cases with their audit events at every size.
    last = AuditEvent.objects.aggregate(last=Max("case_id"))["last"]
    rng = random.Random(SEED)
    case_ids = [rng.randint(first, last) for _ in range(REPEAT + WARMUP + 1)]

    def detail(i: int) -> object:
        found = case_detail(dispatcher_scope, case_ids[i])
        return len(found.events), len(found.clocks)

    inspector_scope = scope_for(User.objects.get(username="inspector"))
    sampled = Case.objects.in_bulk(case_ids)
    known = [sampled[pk] for pk in case_ids if pk in sampled]

    def search(texts: list[str]) -> Callable[[int], object]:
        def call(i: int) -> object:
            found = search_cases(inspector_scope, text=texts[i % len(texts)])
            return [case.tracking_no for case in found[:25]], found.count()

        return call

    searches = {
        "search_tracking_end": [case.tracking_no[-6:] for case in known],
        "search_phone_last4": [case.phone[-4:] for case in known],
        "search_name_start": [case.petitioner_name[:2] for case in known],
        "search_word_2": list(WORDS_2),
        "search_word_4": list(WORDS_4),
    }
    figures: dict[str, Any] = {
        "engine": connection.vendor,
        "cases": Case.objects.count(),
        "open_work_items": WorkItem.objects.count(),
        "handler": {
            "username": handler.username,
            "unit": membership.unit.name,
            "open_items": worklist(handler_scope).total,
        },
        "dispatcher_open_items": worklist(dispatcher_scope).total,
        "worklist_handler": _measure(page_of(handler_scope), REPEAT, turns=ROUNDS),
        "worklist_dispatcher": _measure(page_of(dispatcher_scope), REPEAT, turns=ROUNDS),
        "case_detail": _measure(detail, REPEAT, turns=ROUNDS),
        **{name: _measure(search(texts), REPEAT, turns=ROUNDS) for name, texts in searches.items()},
        "search_matches": {
            word: search_cases(inspector_scope, text=word).count() for word in WORDS_2 + WORDS_4
        },
    }
    plans = []
    for who, scope in (("handler", handler_scope), ("dispatcher", dispatcher_scope)):
        with CaptureQueriesContext(connection) as queries:
            page_of(scope)(0)
        for query in queries.captured_queries:
            plans.append(f"-- worklist of the {who}\n{query['sql']}\n\n{_explain(query['sql'])}\n")
    for name, texts in searches.items():
        with CaptureQueriesContext(connection) as queries:
            search(texts)(0)
        for query in queries.captured_queries:
            plans.append(f"-- {name}: {texts[0]}\n{query['sql']}\n\n{_explain(query['sql'])}\n")
    out = RESULTS / f"cases_explain_{connection.vendor}_{size}.txt"
    out.write_text("\n".join(plans), encoding="utf-8")
    figures["explain"] = str(out.relative_to(ROOT))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cases")
    parser.add_argument(
        "--worker", action="store_true", help="measure one database in turns with another"
    )
    parser.add_argument("--database-url", help="the database to measure (worker)")
    parser.add_argument("--size", type=int, default=0, help="its number of cases (worker)")
    args = parser.parse_args(argv)
    if not args.worker:
        # Standalone: what `python -m bench` does for this module.
        line = json.dumps({"name": NAME, **run()}, ensure_ascii=False)
        print(line, flush=True)
        (RESULTS / f"{NAME}.json").write_text(line + "\n", encoding="utf-8")
        return 0
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    print(json.dumps(worker(args.size), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
