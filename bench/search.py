"""Knowledge-entry search and the staff case search at 10,000 cases (500 entries) and at
1,000,000 cases (50,000 entries), on SQLite and on PostgreSQL.

The databases are made by bench/knowledge_data.py (generated; a copy cloned ×100). A worker
process per size (`python -m bench.search --worker --lockstep …`) measures, REPEAT times each
after a warm-up, both workers starting each measurement together (so that the load of a
shared machine weighs on both sizes alike), for each kind of query (a rotating list each):

- chars_2: two-character words (社保, 医保, 户口 …), the commonest Chinese search;
- chars_3: three-character words (社保卡, 公积金 …);
- longer: four characters and more (营业执照, 信息核验不通过 …);
- mixed: Chinese with Latin letters or digits (12345转来 …);

two searches:

- entries: what `GET /api/v1/knowledge?q=` reads for a member of staff (knowledge.selectors.
  listed_entries: the first 25 with their authors, matters, units and source cases, their
  published texts, the count capped at 10,000);
- cases: the inspector's case search over every case (cases.selectors.search_cases, the first
  25 and the capped count, as /staff/inspect/ shows them).

Figures are p50/p95/max in milliseconds and, per search and kind, the ratio of the p95 at the
large size to the small one (aim: below 2; a word is as common at both sizes, so a search
whose cost grows with the matches shows it). The plans of a two-character query are kept in
bench/results/search_explain_<engine>_<size>.txt.

`--quick`: 200 cases ×3 and a few entries, 5 repeats: that the bench runs, not figures.
`--with-proposals`: bench.proposals measured on the same databases (one fill for both).
Environment: BENCH_ENGINES, BENCH_PG_SERVER, BENCH_PG_DATABASE as for bench.cases;
BENCH_KB_SMALL (10000), BENCH_KB_FACTOR (100), BENCH_KB_ENTRIES (50000), BENCH_REPEAT (200).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.cases import (
    ENGINES,
    RESULTS,
    ROOT,
    _explain,
    _measure,
    _read_through,
    start_workers,
)
from bench.knowledge_data import Measure, head, keep, ratio, run_engines, sizes

NAME = "search"
QUERIES: dict[str, tuple[str, ...]] = {
    "chars_2": ("社保", "医保", "户口", "材料", "退回", "预约", "窗口", "补贴"),
    "chars_3": ("社保卡", "公积金", "居住证", "审核中", "办不了", "营业执"),
    "longer": ("营业执照", "人脸识别", "异地就医", "材料清单", "信息核验不通过"),
    "mixed": ("12345转来", "12345 申请", "12345 材料"),
}
SEARCHES = ("entries", "cases")
PAGE = 25


# --- the worker (one engine, one size) --------------------------------------------------------


def _searches() -> dict[str, Callable[[str], object]]:
    from django.contrib.auth.models import User

    from banchengshi.cases.selectors import search_cases
    from banchengshi.knowledge.selectors import listed_entries, published_texts
    from banchengshi.org.scope import scope_for

    inspector = scope_for(User.objects.get(username="inspector"))

    def entries(text: str) -> object:
        # As GET /api/v1/knowledge?q= reads them for staff (api/routers/knowledge.py).
        found = listed_entries(text=text, internal=True)
        page = found[:PAGE]
        return [entry.pk for entry in page], published_texts(page), found.count()

    def cases(text: str) -> object:
        found = search_cases(inspector, text=text)
        return [case.tracking_no for case in found[:PAGE]], found.count()

    return {"entries": entries, "cases": cases}


def worker(size: int, repeat: int, *, lockstep: bool = False) -> dict[str, Any]:
    """With `lockstep`, each measurement waits for a line on stdin after printing "ready",
    so that the runner starts it in this process and in the other size's together."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from banchengshi.cases.models import Case
    from banchengshi.knowledge.models import Entry

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    else:
        _read_through(Path(connection.settings_dict["NAME"]))
    searches = _searches()
    figures: dict[str, Any] = {
        "engine": connection.vendor,
        "case_rows": Case.objects.count(),
        "entry_rows": Entry.objects.count(),
    }
    for search_name, search in searches.items():
        by_kind: dict[str, Any] = {}
        for kind, words in QUERIES.items():

            def call(
                i: int,
                words: tuple[str, ...] = words,
                search: Callable[[str], object] = search,
            ) -> object:
                return search(words[i % len(words)])

            if lockstep:
                print("ready", flush=True)
                sys.stdin.readline()
            by_kind[kind] = _measure(call, repeat)
        figures[search_name] = by_kind
    figures["matches"] = {
        search_name: {
            word: _count(search_name, word) for words in QUERIES.values() for word in words
        }
        for search_name in searches
    }
    plans = []
    word = QUERIES["chars_2"][0]
    for search_name, search in searches.items():
        with CaptureQueriesContext(connection) as queries:
            search(word)
        for query in queries.captured_queries:
            plans.append(f"-- {search_name}: {word}\n{query['sql']}\n\n{_explain(query['sql'])}\n")
    out = RESULTS / f"search_explain_{connection.vendor}_{size}.txt"
    out.write_text("\n".join(plans), encoding="utf-8")
    figures["explain"] = str(out.relative_to(ROOT))
    return figures


def _count(search_name: str, word: str) -> int:
    from django.contrib.auth.models import User

    from banchengshi.cases.selectors import search_cases
    from banchengshi.knowledge.selectors import listed_entries
    from banchengshi.org.scope import scope_for

    if search_name == "entries":
        return listed_entries(text=word, internal=True).count()
    inspector = scope_for(User.objects.get(username="inspector"))
    return search_cases(inspector, text=word).count()


# --- the runner ---------------------------------------------------------------------------------


def measure(repeat: int) -> Measure:
    def side_by_side(urls: dict[int, str]) -> dict[str, Any]:
        """A worker per size, each measurement started in both at once."""
        workers = start_workers("bench.search", urls, "--lockstep", "--repeat", str(repeat))
        found: dict[str, Any] = {}
        try:
            for _ in range(len(SEARCHES) * len(QUERIES)):
                for worker in workers.values():
                    assert worker.stdout is not None
                    line = worker.stdout.readline().strip()
                    assert line == "ready", f"a search worker said {line!r}"
                for worker in workers.values():
                    assert worker.stdin is not None
                    worker.stdin.write("go\n")
                    worker.stdin.flush()
            for cases, worker in workers.items():
                out, _ = worker.communicate()
                if worker.returncode:
                    raise RuntimeError(f"the search worker at {cases} cases failed")
                found[str(cases)] = json.loads(out.strip().splitlines()[-1])
        finally:
            for worker in workers.values():
                if worker.poll() is None:
                    worker.kill()
        return found

    return side_by_side


def report(by_size: dict[str, Any], *, small: int, large: int) -> dict[str, Any]:
    """The figures of one engine with the p95 ratios large/small per search and kind."""
    low, high = by_size[str(small)], by_size[str(large)]
    by_size["ratio_p95"] = {
        search_name: {
            kind: ratio(high[search_name][kind]["p95_ms"], low[search_name][kind]["p95_ms"])
            for kind in QUERIES
        }
        for search_name in SEARCHES
    }
    return by_size


def run(
    *, quick: bool = False, with_proposals: bool = False, engines: tuple[str, ...] = ENGINES
) -> dict[str, Any]:
    """The search figures; with `with_proposals` also bench.proposals' (same databases),
    printed and written to its own results file."""
    from bench import proposals

    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    size = sizes(quick=quick)
    measures = {NAME: measure(size.repeat)}
    if with_proposals:
        measures[proposals.NAME] = proposals.measure(size.repeat)
    found = run_engines(engines, size, measures)
    figures = {
        **head(size),
        "engines": {
            engine: by_size
            if "skipped" in by_size
            else report(by_size, small=size.small, large=size.large)
            for engine, by_size in found[NAME].items()
        },
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    if with_proposals:
        proposal_figures = {
            **head(size),
            "requests": size.repeat * 2,
            "engines": {
                engine: by_size
                if "skipped" in by_size
                else proposals.report(by_size, small=size.small, large=size.large)
                for engine, by_size in found[proposals.NAME].items()
            },
        }
        keep(proposals.NAME, proposal_figures, size)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: that it runs")
    parser.add_argument("--with-proposals", action="store_true", help="bench.proposals too")
    parser.add_argument("--worker", action="store_true", help="measure one database")
    parser.add_argument("--database-url", help="the database to measure (worker)")
    parser.add_argument("--size", type=int, default=0, help="its number of cases (worker)")
    parser.add_argument("--repeat", type=int, default=200, help="measurements (worker)")
    parser.add_argument("--lockstep", action="store_true", help="wait for stdin (worker)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    if args.worker:
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        import django

        django.setup()
        figures = worker(args.size, args.repeat, lockstep=args.lockstep)
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        return 0
    figures = run(quick=args.quick, with_proposals=args.with_proposals)
    keep(NAME, figures, sizes(quick=args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
