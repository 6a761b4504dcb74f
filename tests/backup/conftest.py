"""Backups made and restored by the `banchengshi` command in processes of their own, against
databases of their own (a file for SQLite, `<test database>_bk_*` on the PostgreSQL server),
with the engine the suite runs on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.cases.conftest import (  # noqa: F401
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)

ROOT = Path(__file__).resolve().parents[2]
# A migrate under a loaded machine takes minutes; a hung command must still end the test.
TIMEOUT = 900


@dataclass(frozen=True)
class Site:
    """One installation: its database and its var/ directory (uploads, anchors)."""

    url: str
    var: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "BANCHENGSHI_VAR_DIR": str(self.var),
            "BANCHENGSHI_TASKS": "immediate",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "banchengshi.settings",
        }

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "banchengshi.manage", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def query(self, sql: str) -> list[tuple[object, ...]]:
        if self.url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchall()  # type: ignore[arg-type]


def _pg_admin_url(name: str) -> str:
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


def _recreate_pg(name: str) -> None:
    with psycopg.connect(_pg_admin_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        admin.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"  # type: ignore[arg-type]
        )


@pytest.fixture(scope="session")
def make_site(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None
) -> Iterator[Callable[[str], Site]]:
    made: list[str] = []

    def make(label: str) -> Site:
        var = tmp_path_factory.mktemp(label)
        if connection.vendor == "postgresql":
            name = f"{settings.DATABASES['default']['NAME']}_bk_{label}"
            _recreate_pg(name)
            made.append(name)
            return Site(_pg_admin_url(name), var)
        return Site(f"sqlite:///{var / 'db.sqlite3'}", var)

    yield make
    if made:
        with psycopg.connect(_pg_admin_url("postgres"), autocommit=True) as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


UPLOAD = "attachments/2026/12/证明材料.txt"


@dataclass(frozen=True)
class Backup:
    source: Site
    directory: Path
    manifest: dict[str, object]
    # The chain's head before the backup began and once the writer stopped.
    anchored_before: int
    final_seq: int
    registered: int


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def head(site: Site) -> int:
    return int(site.query("SELECT last_seq FROM audit_audithead WHERE id = 1")[0][0])  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def backup(make_site: Callable[[str], Site], tmp_path_factory: pytest.TempPathFactory) -> Backup:
    source = make_site("source")
    ok(source.command("migrate", "--noinput", "-v0"))
    media = source.var / "media" / UPLOAD
    media.parent.mkdir(parents=True)
    media.write_text("营业执照复印件", encoding="utf-8")
    stop = source.var / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.backup.writer", str(stop)],
        env=source.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n", writer.stderr.read() if writer.stderr else ""
        ok(source.command("audit", "anchor"))
        anchored_before = json.loads((source.var / "audit-anchors.jsonl").read_text())["seq"]
        directory = tmp_path_factory.mktemp("backups") / "2026-12-03"
        made = ok(source.command("backup", str(directory)))
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == 0, err
    registered = int(out.strip())
    final_seq = head(source)
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    seq = manifest["audit_head"]["seq"]
    assert made.startswith(f"backup of the {manifest['engine']} database written to {directory}")
    assert made.endswith(f"audit chain head event #{seq}\n")
    # The writer was at work on both sides of the snapshot.
    assert anchored_before <= seq < final_seq, (anchored_before, seq, final_seq)
    ok(source.command("audit", "anchor"))
    return Backup(source, directory, manifest, anchored_before, final_seq, registered)
