"""The production processes, started for a test on 127.0.0.1: gunicorn servers, an RQ worker
and the scheduler, all on one PostgreSQL database with DEBUG off, as deploy/systemd runs them
(tests/pg/test_topology.py, tests/pg/test_faults_*.py).

Each process writes its output to a file in the test's folder; a failing test shows it.
Redis: BCS_OPS_REDIS_URL (default db 5 of the local server), emptied before a test uses it.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import Envelope
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-output" / "faults"
REDIS_URL = os.environ.get("BCS_OPS_REDIS_URL", "redis://127.0.0.1:6379/5")
SECRET_KEY = "a-test-secret-key-for-the-production-processes-0123456789"
# Generous: a process starting on a loaded machine (the suite on two cores) takes a while.
STARTUP_SECONDS = 180
# Tests that start servers share two cores with the rest of the suite: one at a time.
one_at_a_time = pytest.mark.xdist_group("processes")


def redis_answers(url: str = REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def empty_redis(url: str = REDIS_URL) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def shared_database_url() -> str:
    """The test's own database (pytest-django's), which the processes share with the test."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.1)


class Mailbox:
    """An aiosmtpd handler keeping every message an SMTP server in the test receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 accepted"


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    port: int,
    method: str,
    path: str,
    *,
    body: object = None,
    token: str = "",
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    """One request on a new connection; OSError (refused, reset) goes to the caller."""
    sent = {"Accept-Language": "zh-hans", **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        sent["Content-Type"] = "application/json"
    if token:
        sent["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return Reply(
            response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
        )
    finally:
        conn.close()


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]

    def workers(self) -> set[int]:
        """The pids of gunicorn's workers (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}


class Stack:
    def __init__(self, folder: Path, database_url: str) -> None:
        self.folder = folder
        self.database_url = database_url
        self.started: list[subprocess.Popen[bytes]] = []
        self.var = folder / "var"
        self.var.mkdir(exist_ok=True)

    def environment(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "BANCHENGSHI_TASKS": "rq",
            "REDIS_URL": REDIS_URL,
            "BANCHENGSHI_VAR_DIR": str(self.var),
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            **extra,
        }

    def start(self, name: str, argv: list[str], **env: str) -> subprocess.Popen[bytes]:
        output = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            argv, cwd=ROOT, env=self.environment(**env), stdout=output, stderr=subprocess.STDOUT
        )
        self.started.append(process)
        return process

    def output(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def banchengshi(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        command = "from banchengshi.manage import main; main()"
        return self.start(name, [sys.executable, "-c", command, *args], **env)

    def gunicorn(self, name: str, *, workers: int = 1, **env: str) -> Server:
        port = free_port()
        process = self.start(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "banchengshi.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=60",
                f"--access-logfile={self.folder / f'{name}.access.log'}",
                # Several servers on one host: the control sockets would share one path.
                "--no-control-socket",
            ],
            **env,
        )
        return Server(name, port, process)

    def access_log(self, server: Server) -> str:
        path = self.folder / f"{server.name}.access.log"
        return path.read_text() if path.exists() else ""

    def worker(self, name: str = "worker", **env: str) -> subprocess.Popen[bytes]:
        return self.banchengshi(
            name, "rqworker", "--job-class=django_tasks_rq.Job", "default", **env
        )

    def listening(self, name: str = "worker", seconds: float = STARTUP_SECONDS) -> None:
        wait_for(lambda: "Listening on" in self.output(name), seconds, f"{name} to listen")

    def stop(self, process: subprocess.Popen[bytes], timeout: float = 30) -> int:
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=timeout)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def up(server: Server, seconds: float = STARTUP_SECONDS) -> None:
    """Wait until the server answers."""

    def answers() -> bool:
        assert server.process.poll() is None, f"{server.name} ended: {server.process.returncode}"
        try:
            # Unauthenticated: answered without the database.
            return call(server.port, "GET", "/api/v1/me", timeout=30).status == 401
        except OSError:
            return False

    wait_for(answers, seconds, f"{server.name} to answer")


def stack_in(folder: Path, database_url: str) -> Iterator[Stack]:
    """A fixture's body: the stack, stopped afterwards whatever happened."""
    stack = Stack(folder, database_url)
    try:
        yield stack
    finally:
        stack.stop_all()


def write_results(name: str, figures: dict[str, Any]) -> None:
    """The figures a fault test measured: printed (pytest -s) and kept in
    test-output/faults/<name>.json for the operations notes."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(f"\n{name}: {json.dumps(figures, ensure_ascii=False)}")
