"""gunicorn workers killed with SIGKILL while clients create cases (docs/operations.md,
"Faults survived"): each client sends each creation with its Idempotency-Key and, when the
connection breaks, sends it again with the same key. Whatever the moment of the kill (before
the transaction, inside it, after the commit but before the answer), every key ends with
exactly one case: 0 lost, 0 doubled, counted by key in the database."""

from __future__ import annotations

import collections
import http.client
import itertools
import os
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
    # Keys are handed out until the killing is over and at least KEYS were taken, so that
    # every kill falls while the clients are at work, however fast a creation is.
    taken = itertools.count()
    killing_done = threading.Event()
    answers: dict[str, tuple[int, int]] = {}  # key → (status, case id)
    retries = collections.Counter[str]()
    unexpected: list[tuple[str, int, bytes]] = []
    lock = threading.Lock()

    def client() -> None:
        while True:
            n = next(taken)
            if n >= KEYS and killing_done.is_set():
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
    while len(killed) < KILLS:
        time.sleep(random.uniform(0.3, 1.0))
        victims = sorted(server.workers() - set(killed))
        if not victims:
            continue
        victim = random.choice(victims)
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
        wait_for(lambda: len(server.workers()) == WORKERS, 120, "the master to replace it")
    killing_done.set()
    for thread in threads:
        thread.join(300)
    elapsed = time.monotonic() - started

    assert not any(thread.is_alive() for thread in threads)
    assert unexpected == []
    assert server.process.poll() is None
    # Counted by key in the database: one key row and one case for each key.
    rows = dict(IdempotencyKey.objects.filter(user=org.clerk).values_list("key", "case_id"))
    assert len(answers) >= KEYS
    lost = [key for key in answers if key not in rows]
    assert lost == []
    assert {key: case_id for key, (_, case_id) in answers.items()} == rows
    assert Case.objects.count() == len(answers)
    replayed = sum(1 for status, _ in answers.values() if status == 200)
    write_results(
        "worker_killed",
        {
            "keys": len(answers),
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
