"""`POST /api/v1/proposals` against bare requests to the same server, in the same run, at
10,000 and at 1,000,000 cases (with 500 and 50,000 knowledge entries).

The databases are made by bench/knowledge_data.py (generated; a copy cloned ×100). At each
size a token is made for the demo window clerk (`clerk`), and a gunicorn serves the database
as in bench/api_create.py (2 sync workers, DEBUG off, the product's URLs plus /bench/noop).
From this process, client threads send, after a warm-up, the same number of requests to each
of these endpoints, to both servers at once (so that the load of a shared machine weighs on
both sizes alike):

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

from bench import production_secrets
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


def _serve(url: str) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn serving the database at `url`, and its port."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "banchengshi.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        **production_secrets(),
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
    return server, port


def serve_and_load(urls: dict[int, str], requests: int) -> dict[str, Any]:
    """Each endpoint's figures at each size, from a gunicorn per database; an endpoint is
    loaded on both servers at once, so that the load of a shared machine weighs on both
    sizes alike."""
    tokens = {
        cases: _subprocess(["-m", "bench.proposals", "--prepare", "--database-url", url], url)
        for cases, url in urls.items()
    }
    servers = {cases: _serve(url) for cases, url in urls.items()}
    found: dict[int, dict[str, Any]] = {cases: {"cases": cases} for cases in urls}
    try:
        for _, port in servers.values():
            _wait_until_up(port)
        for name in ENDPOINTS:

            def load(cases: int, total: int, name: str = name) -> None:
                auth = {"Authorization": f"Bearer {tokens[cases]['token']}"}
                json_auth = {"Content-Type": "application/json", **auth}
                requests_of: dict[str, tuple[str, str, list[bytes | None], dict[str, str]]] = {
                    "noop": ("GET", "/bench/noop", [None], {}),
                    "me": ("GET", "/api/v1/me", [None], auth),
                    "proposals": ("POST", "/api/v1/proposals", list(_bodies()), json_auth),
                }
                method, path, bodies, headers = requests_of[name]
                figures = _load(servers[cases][1], method, path, bodies, headers, total)
                if total == requests:
                    found[cases][name] = figures

            for total in (WARMUP, requests):
                threads = [threading.Thread(target=load, args=(cases, total)) for cases in urls]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
    finally:
        for server, _ in servers.values():
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    for figures in found.values():
        figures["proposals_to_me_p95"] = ratio(
            figures["proposals"]["p95_ms"], figures["me"]["p95_ms"]
        )
        figures["proposals_to_noop_p95"] = ratio(
            figures["proposals"]["p95_ms"], figures["noop"]["p95_ms"]
        )
    return {str(cases): figures for cases, figures in found.items()}


def measure(repeat: int) -> Measure:
    def load(urls: dict[int, str]) -> dict[str, Any]:
        return serve_and_load(urls, repeat * 2)

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
