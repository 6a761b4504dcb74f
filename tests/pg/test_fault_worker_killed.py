"""gunicorn workers killed with SIGKILL while clients create cases (docs/operations.md,
"Faults survived"): each client sends each creation with its Idempotency-Key and, when the
connection breaks, sends it again with the same key. Whatever the moment of the kill (before
the transaction, inside it, after the commit but before the answer), every key ends with
exactly one case: 0 lost, 0 doubled, counted by key in the database."""

from __future__ import annotations

import collections
import http.client
import os
import queue
import random
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from banchengshi.api.models import IdempotencyKey
from banchengshi.cases.models import Case
from banchengshi.tokens.actions import do_create_token
from tests.cases.conftest import Org
from tests.pg.stack import (
    Stack,
    call,
    one_at_a_time,
    shared_database_url,
    stack_in,
    up,
    wait_for,
    write_results,
)

pytestmark = [pytest.mark.django_db(transaction=True), one_at_a_time]
KEYS = 150
CLIENTS = 4
KILLS = 6
WORKERS = 3


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    yield from stack_in(tmp_path, shared_database_url())


def body(n: int, matter_id: int) -> dict[str, object]:
    return {
        "channel": "window",
        "petitioner_type": "person",
        "petitioner_name": f"申请人{n}",
        "phone": "13812345678",
        "matter_id": matter_id,
        "description": f"第{n}次：办理营业执照变更登记时材料被退回，仍未办成",
        "request": "希望尽快办结",
    }


def test_workers_killed_during_keyed_creations_lose_and_double_nothing(
    org: Org, stack: Stack
) -> None:
    _, token = do_create_token(org.clerk, "window")
    server = stack.gunicorn("web", workers=WORKERS)
    up(server)
    keys: queue.Queue[int] = queue.Queue()
    for n in range(KEYS):
        keys.put(n)
    answers: dict[str, tuple[int, int]] = {}  # key → (status, case id)
    retries = collections.Counter[str]()
    unexpected: list[tuple[str, int, bytes]] = []
    lock = threading.Lock()

    def client() -> None:
        while True:
            try:
                n = keys.get_nowait()
            except queue.Empty:
                return
            key = f"kill-{n}"
            while True:
                try:
                    reply = call(
                        server.port,
                        "POST",
                        "/api/v1/cases",
                        token=token,
                        body=body(n, org.matter_a.pk),
                        headers={"Idempotency-Key": key},
                    )
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        retries[type(exc).__name__] += 1
                    time.sleep(0.2)
                    continue
                with lock:
                    if reply.status in (200, 201):
                        answers[key] = (reply.status, reply.json()["id"])
                    else:
                        unexpected.append((key, reply.status, reply.body[:300]))
                break

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    killed: list[int] = []
    # Kill a worker every so often while the clients are at work; the master starts another.
    while len(killed) < KILLS and any(thread.is_alive() for thread in threads):
        time.sleep(random.uniform(0.3, 1.0))
        victims = sorted(server.workers() - set(killed))
        if not victims:
            continue
        victim = random.choice(victims)
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
        wait_for(lambda: len(server.workers()) == WORKERS, 120, "the master to replace it")
    for thread in threads:
        thread.join(300)
    elapsed = time.monotonic() - started

    assert unexpected == []
    assert len(killed) == KILLS, f"the clients finished after {len(killed)} kills"
    assert server.process.poll() is None
    # Counted by key in the database: one key row and one case for each key.
    rows = dict(IdempotencyKey.objects.filter(user=org.clerk).values_list("key", "case_id"))
    assert len(answers) == KEYS
    lost = [key for key in answers if key not in rows]
    assert lost == []
    assert {key: case_id for key, (_, case_id) in answers.items()} == rows
    assert Case.objects.count() == KEYS
    replayed = sum(1 for status, _ in answers.values() if status == 200)
    write_results(
        "worker_killed",
        {
            "keys": KEYS,
            "clients": CLIENTS,
            "gunicorn_workers": WORKERS,
            "workers_killed": len(killed),
            "connection_errors_retried": dict(retries),
            "answered_from_key_after_retry": replayed,
            "cases": Case.objects.count(),
            "lost": len(lost),
            "doubled": Case.objects.count() - len(rows),
            "seconds": round(elapsed, 1),
        },
    )
