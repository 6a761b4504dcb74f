"""PostgreSQL restarted under load (docs/operations.md, "Faults survived"). The test runs its
own PostgreSQL server (initdb in a temporary folder, another port; never the shared one),
given a copy of the test's database, and a gunicorn server on it. Client threads create cases
with Idempotency-Keys, read them, and open a public page that queries the database, while the
server is stopped (fast shutdown: the open connections are cut), kept down for a few seconds
and started again.

Every answer is a success or a clean refusal: 503 with Retry-After and the words in the
person's language (JSON under /api/, a page elsewhere), never a 500 or a traceback. After the
restart the same gunicorn processes serve again at once (the kept connections are checked
before reuse: CONN_HEALTH_CHECKS), and every key retried after a refusal ends with exactly one
case."""

from __future__ import annotations

import collections
import http.client
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from banchengshi.tokens.actions import do_create_token
from tests.cases.conftest import Org
from tests.pg.stack import (
    Reply,
    Stack,
    call,
    free_port,
    one_at_a_time,
    shared_database_url,
    stack_in,
    up,
    wait_for,
    write_results,
)

pytestmark = [pytest.mark.django_db(transaction=True), one_at_a_time]
PG_BIN = Path(os.environ.get("BCS_PG_BIN", "/usr/lib/postgresql/15/bin"))
CLIENTS = 3
DOWN_SECONDS = 4.0
MESSAGE_ZH = "服务暂时不可用（无法连接数据库）。请一分钟后再试。"


class OwnServer:
    """A PostgreSQL server in a temporary folder, run as the `postgres` user when the test
    runs as root (PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bcs-ops-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *argv: str) -> None:
        subprocess.run([*self.as_user, *argv], check=True, capture_output=True, cwd="/")

    def pg_ctl(self, *args: str) -> None:
        self.run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), *args
        )

    def init(self) -> None:
        self.run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c max_connections=50"
        )
        self.pg_ctl("-o", options, "-w", "start")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def own_server() -> Iterator[OwnServer]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server programs in {PG_BIN} (BCS_PG_BIN)")
    server = OwnServer()
    try:
        server.init()
        yield server
    finally:
        server.remove()


@pytest.fixture
def stack(tmp_path: Path, own_server: OwnServer) -> Iterator[Stack]:
    yield from stack_in(tmp_path, own_server.url("banchengshi"))


def copy_test_database(server: OwnServer) -> None:
    """The test's database (migrated, with the organisation) into the own server."""
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE banchengshi TEMPLATE template0 ENCODING 'UTF8'")
    dump = subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", shared_database_url()], check=True, capture_output=True
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", server.url("banchengshi")],
        input=dump.stdout,
        check=True,
        capture_output=True,
    )


def appeal(n: int, matter_id: int) -> dict[str, object]:
    return {
        "channel": "window",
        "petitioner_type": "person",
        "petitioner_name": f"申请人{n}",
        "phone": "13812345678",
        "matter_id": matter_id,
        "description": f"第{n}次：办理营业执照变更登记时材料被退回，仍未办成",
        "request": "希望尽快办结",
    }


def test_a_database_restart_under_load_is_refused_cleanly_and_survived_without_restart(
    org: Org, own_server: OwnServer, stack: Stack
) -> None:
    _, token = do_create_token(org.clerk, "window")
    copy_test_database(own_server)
    server = stack.gunicorn("web", workers=2)
    up(server)
    workers_before = server.workers()

    statuses: collections.Counter[str] = collections.Counter()
    bad: list[tuple[str, int, str]] = []
    created: dict[str, int] = {}
    phase = {"name": "before"}
    first_ok_after: list[float] = []
    restarted_at: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()
    counter = iter(range(1_000_000))

    def judge(what: str, reply: Reply) -> bool:
        """True when done; a refusal must be clean."""
        status, body, headers = reply.status, reply.body.decode(), reply.headers
        with lock:
            statuses[f"{phase['name']} {status}"] += 1
        if status < 400:
            if restarted_at and not first_ok_after:
                first_ok_after.append(time.monotonic() - restarted_at[0])
            return True
        if headers.get("content-type", "").startswith("application/json"):
            error = reply.json()
            words = (error["code"], error["message"]) == ("unavailable", MESSAGE_ZH)
        else:
            words = MESSAGE_ZH in body
        clean = (
            status == 503
            and headers.get("retry-after") == "30"
            and words
            and "Traceback" not in body
        )
        if not clean:
            with lock:
                bad.append((what, status, body[:300]))
        return False

    def client() -> None:
        # The public page is read at most once a second by each client: its limit per address
        # (public_read, 300 in 5 minutes) would otherwise answer 429 on a fast machine.
        public_due = 0.0
        while not stop.is_set():
            n = next(counter)
            key = f"restart-{n}"
            # A creation is sent again with its key until it is done (as a client would).
            while not stop.is_set() or key not in created:
                try:
                    reply = call(
                        server.port,
                        "POST",
                        "/api/v1/cases",
                        token=token,
                        body=appeal(n, org.matter_a.pk),
                        headers={"Idempotency-Key": key},
                    )
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        bad.append((key, 0, repr(exc)))
                    time.sleep(0.2)
                    continue
                if judge("create", reply):
                    with lock:
                        created[key] = reply.json()["id"]
                    break
                time.sleep(0.2)
            if key in created:
                paths = [f"/api/v1/cases/{created[key]}"]
                if time.monotonic() >= public_due:
                    public_due = time.monotonic() + 1.0
                    paths.append(f"/guide/?q={quote('营业执照')}")
                for path in paths:
                    try:
                        judge(path, call(server.port, "GET", path, token=token))
                    except (OSError, http.client.HTTPException) as exc:
                        with lock:
                            bad.append((path, 0, repr(exc)))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    phase["name"] = "down"
    own_server.pg_ctl("-m", "fast", "-w", "stop")
    time.sleep(DOWN_SECONDS)
    own_server.start()
    phase["name"] = "after"
    restarted_at.append(time.monotonic())
    wait_for(lambda: first_ok_after, 60, "a success after the restart")
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(120)

    assert bad == []
    assert statuses["down 503"] > 0, statuses
    assert statuses["after 500"] == 0
    assert statuses["down 500"] == 0
    # The same processes serve again: no worker was restarted.
    assert server.process.poll() is None
    assert server.workers() == workers_before
    assert first_ok_after
    assert first_ok_after[0] < 5
    # Every key retried until done has exactly one case.
    with psycopg.connect(own_server.url("banchengshi")) as conn:
        keys = dict(
            conn.execute(
                "SELECT key, case_id FROM api_idempotencykey WHERE key LIKE 'restart-%%'"
            ).fetchall()
        )
        cases = conn.execute("SELECT count(*) FROM cases_case").fetchone()
    assert keys == created
    assert cases == (len(created),)
    write_results(
        "database_restart",
        {
            "clients": CLIENTS,
            "down_seconds": DOWN_SECONDS,
            "answers": dict(sorted(statuses.items())),
            "server_errors": statuses["down 500"] + statuses["after 500"],
            "cases_created": len(created),
            "lost": 0,
            "doubled": 0,
            "seconds_to_first_success_after_restart": round(first_ok_after[0], 2),
            "web_processes_restarted": 0,
        },
    )
