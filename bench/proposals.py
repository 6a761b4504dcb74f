"""`POST /api/v1/proposals` against bare requests to the same server, in the same run, at
10,000 and at 1,000,000 cases (with 500 and 50,000 knowledge entries).

The databases are made by bench/knowledge_data.py (generated, then cloned ×100). At each size
a token is made for the demo window clerk (`clerk`), and gunicorn serves the database as in
bench/api_create.py (2 sync workers, DEBUG off, the product's URLs plus /bench/noop). From
this process, client threads send, after a warm-up, the same number of requests to each of:

- noop: GET /bench/noop, the middleware stack and no database;
- me: GET /api/v1/me with the token, the least an authenticated API request does (the
  token's lookup, the person's roles);
- proposals: POST /api/v1/proposals with the clerk's token, the appeals of
  tests/knowledge/proposals/appeals.toml in turn (category, complexity, matter, unit, the
  knowledge entries and the similar cases the clerk may see).

The figures to watch are proposals / me (p95) at each size and the ratio of that ratio at
the large size to the small one: the proposal reads bounded sets of rows (the newest
candidates of an index), so the cases kept should not enter its cost.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from collections import Counter
from typing import Any

from bench.api_create import WORKERS, _free_port, _wait_until_up
from bench.cases import ENGINES, RESULTS, ROOT, _subprocess
from bench.knowledge_data import APPEALS, Measure, head, keep, ratio, run_engines, sizes

NAME = "proposals"
THREADS = 4
WARMUP = 20
APPEALS_USED = 40
ENDPOINTS = ("noop", "me", "proposals")


def prepare() -> dict[str, Any]:
    """In the database's process: a token for the demo clerk."""
    from django.contrib.auth.models import User

    from banchengshi.tokens.actions import do_create_token

    _, secret = do_create_token(User.objects.get(username="clerk"), "bench proposals")
    return {"token": secret}


def _bodies() -> list[bytes]:
    with APPEALS.open("rb") as file:
        appeals = tomllib.load(file)["appeal"]
    # Every seventh appeal: the four categories and many matters, not the first matter's.
    chosen = appeals[:: max(1, len(appeals) // APPEALS_USED)][:APPEALS_USED]
    return [
        json.dumps({"description": appeal["text"]}, ensure_ascii=False).encode()
        for appeal in chosen
    ]


def _load(
    port: int,
    method: str,
    path: str,
    bodies: list[bytes | None],
    headers: dict[str, str],
    total: int,
) -> dict[str, Any]:
    """`total` requests from THREADS threads, the bodies in turn; latencies of 200 answers."""
    counter = itertools.count()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        seen: Counter[int] = Counter()
        while (i := next(counter)) < total:
            start = time.perf_counter()
            conn.request(method, path, body=bodies[i % len(bodies)], headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            seen[response.status] += 1
            if response.will_close:
                conn.close()
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(cut[94] * 1000, 2),
        "failed": sum(n for status, n in statuses.items() if status != 200),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def serve_and_load(url: str, requests: int) -> dict[str, Any]:
    """Each endpoint's figures from one gunicorn serving the database at `url`."""
    token = _subprocess(["-m", "bench.proposals", "--prepare", "--database-url", url], url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "banchengshi.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.api_create:wsgi_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_until_up(port)
        auth = {"Authorization": f"Bearer {token['token']}"}
        json_auth = {"Content-Type": "application/json", **auth}
        endpoints: dict[str, tuple[str, str, list[bytes | None], dict[str, str]]] = {
            "noop": ("GET", "/bench/noop", [None], {}),
            "me": ("GET", "/api/v1/me", [None], auth),
            "proposals": ("POST", "/api/v1/proposals", list(_bodies()), json_auth),
        }
        found: dict[str, Any] = {}
        for name, (method, path, bodies, headers) in endpoints.items():
            _load(port, method, path, bodies, headers, WARMUP)
            found[name] = _load(port, method, path, bodies, headers, requests)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    found["proposals_to_me_p95"] = ratio(found["proposals"]["p95_ms"], found["me"]["p95_ms"])
    found["proposals_to_noop_p95"] = ratio(found["proposals"]["p95_ms"], found["noop"]["p95_ms"])
    return found


def measure(repeat: int) -> Measure:
    def load(urls: dict[int, str]) -> dict[str, Any]:
        return {
            str(cases): {"cases": cases, **serve_and_load(url, repeat * 2)}
            for cases, url in urls.items()
        }

    return load


def report(by_size: dict[str, Any], *, small: int, large: int) -> dict[str, Any]:
    """One engine's figures with the ratios large/small of each endpoint's p95 and of the
    proposals' p95 to the bare request's."""
    low, high = by_size[str(small)], by_size[str(large)]
    by_size["ratio_large_to_small"] = {
        **{name: ratio(high[name]["p95_ms"], low[name]["p95_ms"]) for name in ENDPOINTS},
        "proposals_to_me_p95": ratio(high["proposals_to_me_p95"], low["proposals_to_me_p95"]),
    }
    return by_size


def run(*, quick: bool = False, engines: tuple[str, ...] = ENGINES) -> dict[str, Any]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    size = sizes(quick=quick)
    found = run_engines(engines, size, {NAME: measure(size.repeat)})[NAME]
    return {
        **head(size),
        "requests": size.repeat * 2,
        "engines": {
            engine: by_size
            if "skipped" in by_size
            else report(by_size, small=size.small, large=size.large)
            for engine, by_size in found.items()
        },
        "total_seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proposals", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: that it runs")
    parser.add_argument("--prepare", action="store_true", help="make the clerk's token")
    parser.add_argument("--database-url", help="the database (with --prepare)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    if args.prepare:
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        import django

        django.setup()
        print(json.dumps(prepare()), flush=True)
        return 0
    keep(NAME, run(quick=args.quick), sizes(quick=args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
