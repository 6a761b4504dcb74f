"""The databases of the knowledge benches (bench.search, bench.proposals): demo cases at a
small size, then the same database multiplied to the large size, with knowledge entries in
proportion at each size (50,000 entries at 1,000,000 cases).

For each engine, two databases:

1. `python -m bench.generate` writes SMALL cases (the demo generator) into the small one;
2. `python -m bench.knowledge_data --entries N` adds published knowledge entries up to N;
3. the large one is a copy of it (a file copy; CREATE DATABASE … TEMPLATE), which
   `python -m bench.scale --factor FACTOR` multiplies by cloning every case in SQL (search
   rows and their full-text index included, see bench/scale.py): 10,000 × 100 = 1,000,000;
4. entries are added to it up to the large number;
5. each bench measures both (bench.search side by side, so that the load of a shared
   machine weighs on both sizes alike).

The large database holds the small one's cases FACTOR times over, so each word is as common
(the same share of all cases) at both sizes: the ratio shows what the size alone costs.

Entries are bulk-inserted as the product would have published them: the entry, its first
published version, its matters and its search row, whose tokens come from
`knowledge.search.search_fields` (the builder `index_entry` uses); the full-text index follows
the row (FTS5's triggers, PostgreSQL's generated column). Their texts are the demo
generator's (`demo.texts`: what failed, the reply's solution) and the hand-written appeals of
tests/knowledge/proposals/appeals.toml, on the demo catalogue's matters.

BENCH_KB_KEEP=1 keeps the databases (to study a query plan at the large size);
BENCH_KB_REUSE=1 measures the databases an earlier run kept, without filling them again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cases import (
    PG_SERVER,
    RESULTS,
    ROOT,
    _pg_admin_url,
    _pg_available,
    _subprocess,
)

APPEALS = ROOT / "tests" / "knowledge" / "proposals" / "appeals.toml"
SEED = 20261203
BATCH = 2_000
# Entries were published over the last three years.
PUBLISHED_OVER = dt.timedelta(days=3 * 365)
PUBLIC_SHARE = 0.4
TAG_WORDS = ("一次告知", "材料退回", "系统故障", "跨部门", "帮办代办", "网上办理", "窗口服务")


@dataclass(frozen=True)
class Sizes:
    name: str  # "full" or "quick": names the SQLite file and the results
    small: int  # cases generated
    factor: int  # the large size is small × factor (bench.scale)
    entries_large: int  # entries at the large size; in proportion at the small one
    repeat: int  # measurements per figure

    @property
    def large(self) -> int:
        return self.small * self.factor

    def entries(self, cases: int) -> int:
        return max(1, self.entries_large * cases // self.large)

    @property
    def sqlite_file(self) -> Path:
        return RESULTS / f"knowledge-bench-{self.name}.sqlite3"

    def results(self, bench: str) -> Path:
        """A bench's results file; a quick run's never replaces a full run's."""
        suffix = "" if self.name == "full" else f"_{self.name}"
        return RESULTS / f"{bench}{suffix}.json"


FULL = Sizes(name="full", small=10_000, factor=100, entries_large=50_000, repeat=200)
# A run of a minute or two that checks the benches work end to end (CI, tests/bench).
QUICK = Sizes(name="quick", small=200, factor=3, entries_large=60, repeat=5)


def sizes(*, quick: bool) -> Sizes:
    if quick:
        return QUICK
    return Sizes(
        name=FULL.name,
        small=int(os.environ.get("BENCH_KB_SMALL", FULL.small)),
        factor=int(os.environ.get("BENCH_KB_FACTOR", FULL.factor)),
        entries_large=int(os.environ.get("BENCH_KB_ENTRIES", FULL.entries_large)),
        repeat=int(os.environ.get("BENCH_REPEAT", FULL.repeat)),
    )


# --- entries (run inside the database's process) ----------------------------------------------


def _appeal_texts() -> list[str]:
    with APPEALS.open("rb") as file:
        return [appeal["text"] for appeal in tomllib.load(file)["appeal"]]


def _entry_text(
    rng: random.Random, matter: Any, places: list[str], appeals: list[str]
) -> tuple[str, str, str, str]:
    """(problem, solution, tags, cause code) of one entry about `matter`."""
    from banchengshi.demo import texts

    category = rng.choices(
        ("handling", "consultation", "complaint", "suggestion"), (65, 14, 12, 9)
    )[0]
    cause = rng.choice(tuple(texts.SOLUTIONS))
    if rng.random() < 0.3:
        problem = rng.choice(appeals)
    else:
        problem = texts.description(
            rng,
            category=category,
            domain=matter.code.split("-")[1],
            matter=matter.name,
            place=rng.choice(places),
            online=rng.random() < 0.3,
            hotline=rng.random() < 0.15,
            visits=rng.randint(1, 4),
        )
    solution = texts.reply(rng, cause, matter.name, category)
    tags = "，".join((texts.plain(matter.name), rng.choice(TAG_WORDS)))
    return problem, solution, tags, cause


def fill_entries(total: int, *, seed: int = SEED) -> dict[str, Any]:
    """Add published entries until there are `total`, in batches of BATCH."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from banchengshi.catalog.models import Matter
    from banchengshi.knowledge.models import (
        Entry,
        EntrySearch,
        EntryStatus,
        EntryVersion,
        Visibility,
    )
    from banchengshi.knowledge.search import search_fields
    from banchengshi.org.models import Unit, UnitKind

    started = time.perf_counter()
    before = Entry.objects.count()
    rng = random.Random(seed + before)
    matters = list(Matter.objects.order_by("id"))
    places = list(Unit.objects.filter(kind=UnitKind.CENTER).values_list("name", flat=True))
    assert matters, "no catalogue: was the database generated?"
    assert places, "no centers: was the database generated?"
    author = User.objects.get(username="clerk")
    reviewer = User.objects.get(username="dispatcher")
    appeals = _appeal_texts()
    now = timezone.now()
    through = Entry.matters.through
    made = before
    while made < total:
        count = min(BATCH, total - made)
        rows: list[tuple[Entry, Matter, dt.datetime]] = []
        for _ in range(count):
            matter = rng.choice(matters)
            problem, solution, tags, cause = _entry_text(rng, matter, places, appeals)
            published = now - PUBLISHED_OVER * rng.random()
            entry = Entry(
                problem=problem,
                cause_code=cause,
                solution=solution,
                tags=tags,
                author=author,
                reviewer=reviewer,
                status=EntryStatus.PUBLISHED,
                visibility=Visibility.PUBLIC
                if rng.random() < PUBLIC_SHARE
                else Visibility.INTERNAL,
                published_version=1,
                published_at=published,
            )
            rows.append((entry, matter, published))
        with transaction.atomic():
            Entry.objects.bulk_create([entry for entry, _, _ in rows])
            EntryVersion.objects.bulk_create(
                EntryVersion(
                    entry=entry,
                    number=1,
                    problem=entry.problem,
                    cause_code=entry.cause_code,
                    solution=entry.solution,
                    tags=entry.tags,
                    author=author,
                    reviewer=reviewer,
                    published_at=published,
                )
                for entry, _, published in rows
            )
            through.objects.bulk_create(
                through(entry_id=entry.pk, matter_id=matter.pk) for entry, matter, _ in rows
            )
            EntrySearch.objects.bulk_create(
                EntrySearch(
                    entry=entry,
                    public=entry.visibility == Visibility.PUBLIC,
                    **search_fields(
                        problem=entry.problem,
                        tags=entry.tags,
                        solution=entry.solution,
                        matter_names=[matter.name],
                    ),
                )
                for entry, matter, _ in rows
            )
        made += count
    return {
        "entries": [before, Entry.objects.count()],
        "seconds": round(time.perf_counter() - started, 2),
    }


# --- the runner --------------------------------------------------------------------------------

# A bench's measurement of the two filled databases, {number of cases: database URL} →
# {str(number of cases): figures}. Given both at once, a bench may measure them side by side,
# so that the load of a shared machine weighs on both sizes alike.
Measure = Callable[[dict[int, str]], dict[str, Any]]


class Databases:
    """The small database and the large one (a copy of the small, then scaled) of an engine."""

    def __init__(self, engine: str, size: Sizes) -> None:
        self.engine, self.size = engine, size
        from bench.cases import PG_DATABASE

        self.pg_names = {size.small: PG_DATABASE, size.large: f"{PG_DATABASE}_large"}

    def url(self, cases: int) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self._file(cases)}"
        return f"{PG_SERVER.rstrip('/')}/{self.pg_names[cases]}"

    def _file(self, cases: int) -> Path:
        base = self.size.sqlite_file
        return base if cases == self.size.small else base.with_suffix(".large.sqlite3")

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(_pg_admin_url(), autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def drop(self) -> None:
        for cases in (self.size.small, self.size.large):
            if self.engine == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self._file(cases)}{suffix}").unlink(missing_ok=True)
            else:
                self._admin(f"DROP DATABASE IF EXISTS {self.pg_names[cases]} WITH (FORCE)")

    def create_small(self) -> None:
        self.drop()
        if self.engine == "postgresql":
            # UTF-8 from template0, whatever template1 holds.
            name = self.pg_names[self.size.small]
            self._admin(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")

    def copy_small_to_large(self) -> None:
        """Nobody is connected: every step runs in a process of its own that has ended."""
        small, large = self.size.small, self.size.large
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self._file(small)}{suffix}")
                if source.exists():
                    shutil.copyfile(source, f"{self._file(large)}{suffix}")
        else:
            self._admin(f"CREATE DATABASE {self.pg_names[large]} TEMPLATE {self.pg_names[small]}")


def _say(text: str) -> None:
    print(f"[knowledge_data] {text}", file=sys.stderr, flush=True)


def _add_entries(url: str, total: int) -> float:
    args = ["-m", "bench.knowledge_data", "--entries", str(total), "--database-url", url]
    seconds: float = _subprocess(args, url)["seconds"]
    return seconds


def measure_both_sizes(
    engine: str, size: Sizes, measures: Mapping[str, Measure]
) -> dict[str, dict[str, Any]]:
    """{measure name: {"fill": …, str(small): figures, str(large): figures}} for one engine;
    the databases are dropped at the end (kept with BENCH_KB_KEEP=1)."""
    databases = Databases(engine, size)
    small, large = databases.url(size.small), databases.url(size.large)
    fill: dict[str, Any] = {}
    reuse = os.environ.get("BENCH_KB_REUSE") == "1"
    try:
        if reuse:
            _say(f"{engine}: measuring the databases kept by an earlier run (BENCH_KB_REUSE=1)")
        else:
            _fill(engine, databases, fill)
        found = {}
        for name, measure in measures.items():
            _say(f"{engine}: {name}")
            found[name] = {**measure({size.small: small, size.large: large}), "fill": fill}
    finally:
        if reuse or os.environ.get("BENCH_KB_KEEP") == "1":
            _say(f"{engine}: databases kept: {small} {large}")
        else:
            databases.drop()
    return found


def _fill(engine: str, databases: Databases, fill: dict[str, Any]) -> None:
    size = databases.size
    small, large = databases.url(size.small), databases.url(size.large)
    databases.create_small()
    _say(f"{engine}: generating {size.small:,} cases")
    generated = _subprocess(
        ["-m", "bench.generate", "--cases", str(size.small), "--database-url", small], small
    )
    fill["generate_seconds"] = generated["generate_seconds"]
    fill["entries_seconds_small"] = _add_entries(small, size.entries(size.small))
    databases.copy_small_to_large()
    _say(f"{engine}: scaling a copy ×{size.factor}")
    scaled = _subprocess(
        ["-m", "bench.scale", "--factor", str(size.factor), "--database-url", large], large
    )
    fill["scale_seconds"] = scaled["scale_seconds"]
    _say(f"{engine}: entries up to {size.entries_large:,}")
    fill["entries_seconds_large"] = _add_entries(large, size.entries_large)


def run_engines(
    engines: tuple[str, ...], size: Sizes, measures: Mapping[str, Measure]
) -> dict[str, dict[str, Any]]:
    """{measure name: {engine: figures}} over the engines (PostgreSQL skipped without a
    server)."""
    found: dict[str, dict[str, Any]] = {name: {} for name in measures}
    for engine in engines:
        if engine == "postgresql" and not _pg_available():
            for name in measures:
                found[name][engine] = {"skipped": f"no PostgreSQL server at {PG_SERVER}"}
            continue
        for name, figures in measure_both_sizes(engine, size, measures).items():
            found[name][engine] = figures
    return found


def head(size: Sizes) -> dict[str, Any]:
    """What every knowledge bench's figures start with."""
    return {
        "sizes": [size.small, size.large],
        "entries": [size.entries(size.small), size.entries_large],
        "repeat": size.repeat,
        "quick": size.name == "quick",
    }


def keep(bench: str, figures: dict[str, Any], size: Sizes) -> None:
    """Print a bench's figures as one JSON line and write them to its results file."""
    line = json.dumps({"name": bench, **figures}, ensure_ascii=False)
    print(line, flush=True)
    size.results(bench).write_text(line + "\n", encoding="utf-8")


def ratio(large: float, small: float) -> float:
    return round(large / small, 2) if small else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.knowledge_data", description=__doc__)
    parser.add_argument("--entries", type=int, required=True, help="entries wanted in all")
    parser.add_argument("--database-url", required=True, help="a database bench.generate filled")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    print(json.dumps(fill_entries(args.entries)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
