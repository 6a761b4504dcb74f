"""Creating a case through POST /api/v1/cases, against baselines served the same way.

A fresh PostgreSQL database (banchengshi_bench_api unless renamed, dropped afterwards) is
migrated and given a small district, a window clerk with an API token and a catalogue matter.
gunicorn serves it with 2 sync workers on 127.0.0.1, DEBUG off, through bench/urls_api.py: the
product's URLs plus /bench/noop (no database), /bench/insert (one INSERT in one transaction)
and /bench/insert/16 (sixteen INSERTs in one transaction: as many statements as a creation
sends, so what that many round trips cost in themselves). From
this process, 8 client threads with http.client send REQUESTS requests to each endpoint in
turn, after a warm-up. The figures that travel between machines are the ratios: create / insert
(DESIGN.md: django-helpdesk's API creation runs at 1/15 of a one-INSERT view).

PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server
and the maintenance database used to create and drop the bench database; BENCH_PG_API_DATABASE
renames the bench database (two runs on one server), BENCH_API_REQUESTS sets the requests per
endpoint (2000), BENCH_API_MATTERS the matters of the catalogue (1: the one the appeal names;
a district's catalogue holds hundreds, and each creation's proposal matches the appeal's text
against all of them).
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import production_secrets

NAME = "api_create"
DATABASE = os.environ.get("BENCH_PG_API_DATABASE", "banchengshi_bench_api")
REQUESTS = int(os.environ.get("BENCH_API_REQUESTS", "2000"))
MATTERS = int(os.environ.get("BENCH_API_MATTERS", "1"))
# Words of matter names, drawn three at a time (fixed seed) for the catalogue's other matters.
NAME_WORDS = [
    "营业执照",
    "食品经营",
    "许可",
    "登记",
    "变更",
    "注销",
    "社保",
    "医保",
    "公积金",
    "户籍",
    "居住证",
    "不动产",
    "税务",
    "发票",
    "残疾",
    "养老",
    "补贴",
    "申领",
    "备案",
    "审批",
    "出入境",
    "驾驶证",
    "行驶证",
    "卫生",
    "消防",
    "建设",
    "规划",
    "施工",
    "排污",
    "广告",
]
WARMUP = 100
THREADS = 8
# The statements a creation sends: four reads (token, scope, the form's units and matter), then
# twelve in the registration's transaction. tests/api/test_queries.py counts two more, the
# savepoint and its release that a test's own transaction puts in place of BEGIN and COMMIT.
CREATION_STATEMENTS = 16
WORKERS = 2
ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


# --- the server side ---------------------------------------------------------------------------


def wsgi_app() -> Any:
    """gunicorn's application factory ("bench.api_create:wsgi_app()"): the product's settings
    with the bench URLs."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django
    from django.test.utils import override_settings

    django.setup()
    override_settings(ROOT_URLCONF="bench.urls_api").enable()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def prepare() -> None:
    """Run in a child process on the bench database: migrate, create the baseline table, the
    district, a clerk's token; print what the load needs as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from banchengshi.catalog.models import Matter
    from banchengshi.org.actions import do_create_unit, do_grant_role
    from banchengshi.org.models import Role, UnitKind
    from banchengshi.tokens.actions import do_create_token
    from bench.urls_api import CREATE_TABLE

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    office = do_create_unit("OFFICE", "区政务服务办", UnitKind.OFFICE)
    do_create_unit("HUB", "区行政服务中心", UnitKind.HUB, office)
    dept = do_create_unit("SCJG", "区市场监管局", UnitKind.DEPARTMENT)
    hall = do_create_unit("HALL", "区政务服务中心大厅", UnitKind.CENTER)
    matter = Matter.objects.create(code="SC-001", name="食品经营许可", owning_department=dept)
    draw = random.Random(0)
    Matter.objects.bulk_create(
        Matter(code=f"SC-{n:03d}", name="".join(draw.sample(NAME_WORDS, 3)), owning_department=dept)
        for n in range(2, MATTERS + 1)
    )
    clerk = User.objects.create_user("bench_clerk", first_name="窗口")
    do_grant_role(clerk, hall, Role.WINDOW_CLERK)
    _, secret = do_create_token(clerk, "bench")
    print(json.dumps({"token": secret, "matter_id": matter.pk}))


# --- the client side ---------------------------------------------------------------------------


def _url_with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/noop")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def _load(
    port: int,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    expected: int,
    total: int,
) -> dict[str, Any]:
    """`total` requests from THREADS threads, each on its own keep-alive connection (gunicorn's
    sync workers close it after every response; http.client then reconnects)."""
    counter = itertools.count()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        seen: Counter[int] = Counter()
        while next(counter) < total:
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
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
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    failed = sum(n for status, n in statuses.items() if status != expected)
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "failed": failed,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def run() -> dict[str, Any]:
    database_url = _url_with_database(PG_URL, DATABASE)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "banchengshi.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        **production_secrets(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _admin(f"CREATE DATABASE \"{DATABASE}\" TEMPLATE template0 ENCODING 'UTF8'")
    server: subprocess.Popen[bytes] | None = None
    try:
        prepared = subprocess.run(
            [sys.executable, "-c", "import bench.api_create as b; b.prepare()"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        setup = json.loads(prepared.stdout.decode().strip().splitlines()[-1])
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
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "bench.api_create:wsgi_app()",
            ],
            env=env,
            cwd=ROOT,
        )
        _wait_until_up(port)

        case = json.dumps(
            {
                "channel": "window",
                "petitioner_type": "person",
                "petitioner_name": "张三",
                "phone": "13812345678",
                "matter_id": setup["matter_id"],
                "description": "营业执照变更后食品经营许可无法办理",
                "request": "尽快办结",
            },
            ensure_ascii=False,
        ).encode()
        json_headers = {"Content-Type": "application/json"}
        token = {"Authorization": f"Bearer {setup['token']}", **json_headers}
        endpoints = {
            "noop": ("GET", "/bench/noop", None, {}, 200),
            "insert": ("POST", "/bench/insert", b'{"n": 1}', json_headers, 200),
            "inserts": (
                "POST",
                f"/bench/insert/{CREATION_STATEMENTS}",
                b'{"n": 1}',
                json_headers,
                200,
            ),
            "create": ("POST", "/api/v1/cases", case, token, 201),
        }
        results: dict[str, Any] = {}
        for name, (method, path, body, headers, expected) in endpoints.items():
            _load(port, method, path, body, headers, expected, WARMUP)
            results[name] = _load(port, method, path, body, headers, expected, REQUESTS)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')

    insert_rps = results["insert"]["rps"]
    return {
        "noop_rps": results["noop"]["rps"],
        "insert_rps": insert_rps,
        "create_rps": results["create"]["rps"],
        "create_to_insert": round(results["create"]["rps"] / insert_rps, 3),
        f"insert_{CREATION_STATEMENTS}_rps": results["inserts"]["rps"],
        f"insert_{CREATION_STATEMENTS}_to_insert": round(results["inserts"]["rps"] / insert_rps, 3),
        f"create_to_insert_{CREATION_STATEMENTS}": round(
            results["create"]["rps"] / results["inserts"]["rps"], 3
        ),
        "insert_to_noop": round(insert_rps / results["noop"]["rps"], 3),
        "requests_per_endpoint": REQUESTS,
        "catalogue_matters": MATTERS,
        "client_threads": THREADS,
        "server": f"gunicorn {WORKERS} sync workers, DEBUG=0, PostgreSQL",
        "detail": results,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


if __name__ == "__main__":
    print(json.dumps({"name": NAME, **run()}, ensure_ascii=False))
