"""`banchengshi backup` while the server takes writes, then `banchengshi restore` into another
database (R-API-4, issue 15 item 3), on the engine the suite runs on."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest

from banchengshi.encryption.keys import fingerprint
from tests.backup.conftest import UPLOAD, Backup, Site, head, ok
from tests.conftest import TEST_KEYS


def test_the_manifest(backup: Backup) -> None:
    manifest = backup.manifest
    database = "database.pgdump" if manifest["engine"] == "postgresql" else "database.sqlite3"
    files = manifest["files"]
    assert isinstance(files, dict)
    assert sorted(files) == sorted([database, f"media/{UPLOAD}"])
    assert files[f"media/{UPLOAD}"]["size"] == len("营业执照复印件".encode())
    migrations = manifest["migrations"]
    assert isinstance(migrations, dict)
    assert migrations["audit"][-1] == "0004_personaldataview"
    assert len(manifest["manifest_sha256"]) == 64  # type: ignore[arg-type]
    # The key the personal data was encrypted with (the suite's, tests/conftest.TEST_KEYS).
    assert manifest["field_key"] == fingerprint(TEST_KEYS["BANCHENGSHI_FIELD_KEYS"])


def test_a_round_trip_while_the_server_writes(
    backup: Backup, make_site: Callable[[str], Site]
) -> None:
    target = make_site("target")
    # The installation restored into keeps the anchors the source wrote (the same server, or
    # the anchor file carried over): one before the backup, one after it.
    shutil.copy(backup.source.var / "audit-anchors.jsonl", target.var / "audit-anchors.jsonl")
    seq = backup.manifest["audit_head"]["seq"]  # type: ignore[index]
    out = ok(target.command("restore", str(backup.directory)))
    assert out == (
        f"restored {backup.directory} (made {backup.manifest['created_at']}, release "
        f"{backup.manifest['version']}): audit chain intact, {seq} events, head event #{seq} "
        "as the manifest says; anchors hold: 1\n"
        f"events #{seq + 1} to #{backup.final_seq}, anchored after the backup was made, "
        "are not in it\n"
    )
    # Consistent: every case has its audit events, every event its case, the head its events.
    cases = target.query("SELECT COUNT(*) FROM cases_case")[0][0]
    assert 1 <= cases < backup.registered  # type: ignore[operator]
    orphans = target.query(
        "SELECT COUNT(*) FROM cases_case c WHERE NOT EXISTS "
        "(SELECT 1 FROM audit_auditevent e WHERE e.case_id = c.id AND e.action = 'register')"
    )
    assert orphans == [(0,)]
    assert target.query("SELECT COUNT(*), MAX(seq) FROM audit_auditevent") == [(seq, seq)]
    assert head(target) == seq
    assert (target.var / "media" / UPLOAD).read_text(encoding="utf-8") == "营业执照复印件"
    assert ok(target.command("audit", "verify")) == (
        f"audit chain intact: {seq} events\n"
        f"anchors hold: 2, 1 before a restore in {target.var / 'audit-anchors.jsonl'}\n"
    )
    # A second restore over the restored database is refused without --force.
    again = target.command("restore", str(backup.directory))
    assert again.returncode == 1
    users = target.query("SELECT COUNT(*) FROM auth_user")[0][0]
    assert again.stderr == (
        f"CommandError: restore refused: the configured database is not empty ({cases} cases, "
        f"{seq} audit events, {users} users); give --force to replace it\n"
    )
    assert "audit chain intact" in ok(target.command("restore", "--force", str(backup.directory)))
    assert target.query("SELECT COUNT(*) FROM cases_case") == [(cases,)]


def test_the_database_refuses_to_change_audit_rows_after_a_restore(
    backup: Backup, make_site: Callable[[str], Site]
) -> None:
    if backup.manifest["engine"] != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (audit migration 0003)")
    target = make_site("trigger")
    ok(target.command("restore", str(backup.directory)))
    with pytest.raises(Exception, match=r"audit events are never changed or deleted"):
        target.query("UPDATE audit_auditevent SET actor_label = 'mallory' WHERE seq = 1")
