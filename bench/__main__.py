"""`python -m bench`: run every benchmark module, print its figures, keep them in bench/results/.

Each module in BENCHMARKS exposes `NAME` and `run() -> dict`; the figures are printed as one
JSON line per module and written to bench/results/<NAME>.json. Timings are only meaningful as
ratios against the baselines each module measures in the same run.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

BENCHMARKS = (
    "bench.deadlines",
    "bench.cases",
    "bench.api_create",
    "bench.evaluations",
    "bench.import_rows",
    "bench.outbox",
    "bench.reminders",
    "bench.points",
    "bench.search",
    "bench.proposals",
    "bench.reports",
)
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    # A throwaway in-memory database unless the caller chose one; each benchmark migrates it.
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for module_name in BENCHMARKS:
        module = importlib.import_module(module_name)
        figures = {"name": module.NAME, **module.run()}
        line = json.dumps(figures, ensure_ascii=False)
        print(line, flush=True)
        (RESULTS / f"{module.NAME}.json").write_text(line + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
