"""`banchengshi restore` refuses a damaged or mismatched backup in words, with a non-zero exit,
before it touches the database (R-API-4)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from banchengshi.cases.models import Case
from tests.backup.conftest import UPLOAD, Backup
from tests.cases.conftest import CaseBuilder, Org


@pytest.fixture
def copy(backup: Backup, tmp_path: Path) -> Path:
    """A copy of the backup to damage."""
    return Path(shutil.copytree(backup.directory, tmp_path / "backup"))


def database_file() -> str:
    return "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"


def refusal(directory: Path, *args: str) -> str:
    with pytest.raises(CommandError) as info:
        call_command("restore", str(directory), *args)
    return str(info.value)


def rewrite_manifest(directory: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """As a backup made elsewhere would have it: the manifest's own checksum made again."""
    path = directory / "manifest.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    del content["manifest_sha256"]
    change(content)
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    content["manifest_sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    path.write_text(json.dumps(content), encoding="utf-8")


def test_a_changed_byte(db: None, copy: Path) -> None:
    path = copy / database_file()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert refusal(copy) == (
        f"restore refused: {database_file()} does not match its checksum: it is damaged"
    )


def test_a_shortened_file(db: None, copy: Path) -> None:
    path = copy / "media" / UPLOAD
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[:-1])
    assert refusal(copy) == (
        f"restore refused: media/{UPLOAD} has {size - 1} bytes; the manifest says {size}: "
        "it is damaged"
    )


def test_a_missing_file(db: None, copy: Path) -> None:
    (copy / "media" / UPLOAD).unlink()
    assert refusal(copy) == f"restore refused: media/{UPLOAD} is missing from the backup"


def test_a_file_the_manifest_does_not_list(db: None, copy: Path) -> None:
    (copy / "media" / "extra.txt").write_text("?")
    assert refusal(copy) == (
        "restore refused: the backup holds a file its manifest does not list: media/extra.txt"
    )


def test_no_manifest(db: None, copy: Path) -> None:
    (copy / "manifest.json").unlink()
    assert refusal(copy) == (
        f"restore refused: {copy} has no manifest.json: it is not a backup, or one that did "
        "not finish"
    )


def test_a_damaged_manifest(db: None, copy: Path) -> None:
    path = copy / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"seq": ', '"seq": 1'))
    assert refusal(copy) == (
        "restore refused: manifest.json was changed or damaged after the backup was made"
    )
    path.write_text("{not json")
    assert refusal(copy) == (
        "restore refused: manifest.json is damaged: it is not the manifest of a backup"
    )


def test_another_engine(db: None, copy: Path) -> None:
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def change(content: dict[str, Any]) -> None:
        content["engine"] = other

    rewrite_manifest(copy, change)
    mine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    assert refusal(copy) == (
        f"restore refused: the backup is of a {other} database; the configured database "
        f"(DATABASE_URL) is {mine}"
    )


def test_newer_migrations_than_the_code(db: None, copy: Path) -> None:
    def change(content: dict[str, Any]) -> None:
        content["version"] = "9.0"
        content["migrations"]["cases"].append("9999_from_the_future")

    rewrite_manifest(copy, change)
    assert refusal(copy) == (
        "restore refused: the backup was made by a newer release (9.0): its migration "
        "cases.9999_from_the_future is unknown to this code; install that release to restore it"
    )


def test_a_path_outside_the_backup(db: None, copy: Path) -> None:
    def change(content: dict[str, Any]) -> None:
        content["files"]["../../etc/passwd"] = {"sha256": "0" * 64, "size": 1}

    rewrite_manifest(copy, change)
    assert refusal(copy) == (
        "restore refused: the manifest names a file outside the backup: '../../etc/passwd'"
    )


def test_a_database_in_use(org: Org, cases: CaseBuilder, copy: Path) -> None:
    cases.register()
    users = org.clerk.__class__.objects.count()
    assert refusal(copy) == (
        f"restore refused: the configured database is not empty (1 cases, 1 audit events, "
        f"{users} users); give --force to replace it"
    )
    assert Case.objects.count() == 1


def test_check_only(db: None, backup: Backup, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("restore", "--check", str(backup.directory))
    engine = backup.manifest["engine"]
    assert capsys.readouterr().out == (
        f"backup {backup.directory} is whole: 2 files, {engine}, made "
        f"{backup.manifest['created_at']}\n"
    )


def test_backup_into_a_directory_in_use(db: None, copy: Path) -> None:
    with pytest.raises(CommandError) as info:
        call_command("backup", str(copy))
    assert str(info.value) == f"backup refused: {copy} exists and is not an empty directory"
