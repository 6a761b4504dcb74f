"""Evaluation intake through POST /api/v1/evaluations (好差评, R-NB-4), against the one-INSERT
baseline of bench/api_create.py, served the same way in the same run.

A fresh PostgreSQL database (banchengshi_bench_eval, dropped afterwards) is migrated and given
a small district and a window head of the hall with an API token. gunicorn serves it with 2
sync workers through bench/urls_api.py (the product's URLs plus /bench/noop and
/bench/insert); 8 client threads send BENCH_EVAL_REQUESTS (default 2000) requests to each
endpoint in turn after a warm-up: a good rating (one row and its event) and a 差评 (also its
handling task, deadline and the unit's notice). The figures that travel between machines are
the ratios to the INSERT.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from typing import Any

from bench import production_secrets
from bench.api_create import (
    PG_URL,
    ROOT,
    THREADS,
    WARMUP,
    WORKERS,
    _admin,
    _free_port,
    _load,
    _url_with_database,
    _wait_until_up,
)

NAME = "evaluations"
DATABASE = "banchengshi_bench_eval"
REQUESTS = int(os.environ.get("BENCH_EVAL_REQUESTS", "2000"))


def prepare() -> None:
    """Run in a child process on the bench database: migrate, create the baseline table, the
    district, a window head's token; print what the load needs as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from banchengshi.org.actions import do_create_unit, do_grant_role
    from banchengshi.org.models import Role, UnitKind
    from banchengshi.tokens.actions import do_create_token
    from bench.urls_api import CREATE_TABLE

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    office = do_create_unit("OFFICE", "区政务服务办", UnitKind.OFFICE)
    do_create_unit("HUB", "区行政服务中心", UnitKind.HUB, office)
    hall = do_create_unit("HALL", "区政务服务中心大厅", UnitKind.CENTER)
    head = User.objects.create_user("bench_head", first_name="窗口")
    do_grant_role(head, hall, Role.WINDOW_HEAD)
    _, secret = do_create_token(head, "bench")
    print(json.dumps({"token": secret, "unit_id": hall.pk}))


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
            [sys.executable, "-c", "import bench.evaluations as b; b.prepare()"],
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

        def rating(level: int) -> bytes:
            body = {
                "unit_id": setup["unit_id"],
                "level": level,
                "subject_kind": "window",
                "comment": "窗口服务评价",
            }
            return json.dumps(body, ensure_ascii=False).encode()

        json_headers = {"Content-Type": "application/json"}
        token = {"Authorization": f"Bearer {setup['token']}", **json_headers}
        endpoints = {
            "noop": ("GET", "/bench/noop", None, {}, 200),
            "insert": ("POST", "/bench/insert", b'{"n": 1}', json_headers, 200),
            "good": ("POST", "/api/v1/evaluations", rating(5), token, 201),
            "bad": ("POST", "/api/v1/evaluations", rating(1), token, 201),
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
        "insert_rps": insert_rps,
        "good_rps": results["good"]["rps"],
        "bad_rps": results["bad"]["rps"],
        "good_to_insert": round(results["good"]["rps"] / insert_rps, 3),
        "bad_to_insert": round(results["bad"]["rps"] / insert_rps, 3),
        "requests_per_endpoint": REQUESTS,
        "client_threads": THREADS,
        "server": f"gunicorn {WORKERS} sync workers, DEBUG=0, PostgreSQL",
        "detail": results,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


if __name__ == "__main__":
    print(json.dumps({"name": NAME, **run()}, ensure_ascii=False))
