"""`python -m bench.generate --cases N --database-url URL`: fill a database for the benches.

Migrates the database, then loads the demo district and N demo cases with the demo generator
(`banchengshi.demo`), the same data `banchengshi demo --cases N` makes. Prints one JSON line
with the figures; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--cases", type=int, required=True, help="how many cases")
    parser.add_argument("--database-url", required=True, help="sqlite:///path or postgres://…")
    parser.add_argument("--seed", type=int, default=None, help="random seed")
    parser.add_argument("--batch-size", type=int, default=None, help="cases per transaction")
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from banchengshi.demo.district import ensure_district
    from banchengshi.demo.generator import BATCH_SIZE, generate_cases
    from banchengshi.demo.plans import DEFAULT_SEED

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    seed = DEFAULT_SEED if args.seed is None else args.seed
    district = ensure_district(seed)

    def progress(result: object) -> None:
        cases, seconds = getattr(result, "cases", 0), getattr(result, "seconds", 0.0)
        print(f"  {cases:,} cases, {seconds:.0f} s", file=sys.stderr, flush=True)

    result = generate_cases(
        district,
        args.cases,
        seed=seed,
        batch_size=args.batch_size or BATCH_SIZE,
        progress=progress if args.cases >= 50_000 else None,
    )
    figures = {
        "engine": connection.vendor,
        "cases": result.cases,
        "events": result.events,
        "by_state": dict(sorted(result.by_state.items())),
        "migrate_seconds": round(migrated - started, 2),
        "generate_seconds": round(result.seconds, 2),
        "cases_per_second": round(result.cases / result.seconds) if result.seconds else None,
    }
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
