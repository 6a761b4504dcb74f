"""Taking and putting back the database, per engine: SQLite through its online backup API,
PostgreSQL through pg_dump (custom format) and pg_restore.

Both snapshots are consistent while the server goes on writing: SQLite's backup copies every
page under one read transaction (WAL: writers are not held up), pg_dump reads in one
repeatable-read transaction, here the very one in which the chain's head and the migrations
are read (an exported snapshot), so the manifest describes exactly what was dumped.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, connections, transaction

from banchengshi.audit.models import AuditEvent
from banchengshi.backup.manifest import BackupRefused
from banchengshi.cases.models import Case

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"

_STATE_SQL = (
    "SELECT last_seq, last_hash FROM audit_audithead WHERE id = 1",
    "SELECT app, name FROM django_migrations ORDER BY id",
)


@dataclass(frozen=True)
class Snapshot:
    file: str
    audit_seq: int
    audit_hash: str
    migrations: dict[str, list[str]]


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _state(cursor: Any) -> tuple[int, str, dict[str, list[str]]]:
    cursor.execute(_STATE_SQL[0])
    head = cursor.fetchone()
    seq, digest = head if head is not None else (0, "0" * 64)
    cursor.execute(_STATE_SQL[1])
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return int(seq), str(digest), migrations


def _database() -> dict[str, Any]:
    return settings.DATABASES["default"]


# SQLite --------------------------------------------------------------------------------


def _sqlite_snapshot(directory: Path) -> Snapshot:
    target = directory / SQLITE_FILE
    source = sqlite3.connect(str(_database()["NAME"]), timeout=20)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # all pages in one step: one read transaction, one instant
        # The copy is one self-contained file (the live database is in WAL mode).
        copy.execute("PRAGMA journal_mode=DELETE")
        seq, digest, migrations = _state(copy.cursor())
    finally:
        copy.close()
        source.close()
    return Snapshot(SQLITE_FILE, seq, digest, migrations)


def _sqlite_restore(directory: Path) -> None:
    connections.close_all()
    name = str(_database()["NAME"])
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    # Read-only: opening the backup must not leave a journal file beside it.
    source = sqlite3.connect(f"file:{directory / SQLITE_FILE}?mode=ro", uri=True)
    target = sqlite3.connect(name, timeout=20)
    try:
        source.backup(target)  # replaces every page of the target under its write lock
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


# PostgreSQL ----------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """On PATH, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parents[1].name),
    )
    if not candidates:
        raise BackupRefused(f"{name} is not installed (the PostgreSQL client tools are needed)")
    return candidates[-1]


def _pg_env() -> dict[str, str]:
    """The connection through libpq's environment, so the password never appears on a
    command line (where `ps` shows it to every user of the machine)."""
    database = _database()
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    options = database.get("OPTIONS", {})
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(command[0]).name
        detail = result.stderr.strip().splitlines()
        raise BackupRefused(f"{tool} failed: {detail[-1] if detail else result.returncode}")


def _pg_snapshot(directory: Path) -> Snapshot:
    target = directory / PG_FILE
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        seq, digest, migrations = _state(cursor)
        # pg_dump reads under the exported snapshot while this transaction stays open.
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={_database()['NAME']}",
            ]
        )
    return Snapshot(PG_FILE, seq, digest, migrations)


def _pg_restore(directory: Path) -> None:
    # Whatever the target holds goes, including tables of releases newer than the backup.
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connections.close_all()
    _run(
        [
            _pg_tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={_database()['NAME']}",
            str(directory / PG_FILE),
        ]
    )


def take_snapshot(directory: Path) -> Snapshot:
    return _pg_snapshot(directory) if engine() == "postgresql" else _sqlite_snapshot(directory)


def put_back(directory: Path) -> None:
    if engine() == "postgresql":
        _pg_restore(directory)
    else:
        _sqlite_restore(directory)


def holdings() -> dict[str, int]:
    """What the configured database holds that a restore would replace (empty: nothing)."""
    tables = set(connection.introspection.table_names())
    counted = {"cases": Case, "audit events": AuditEvent, "users": User}
    found = {}
    for label, model in counted.items():
        if model._meta.db_table in tables:
            count = model._default_manager.count()
            if count:
                found[label] = count
    return found
