"""`banchengshi backup DIR` and `banchengshi restore DIR` (R-API-4)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from banchengshi.audit.anchors import (
    AnchorFileError,
    AnchorKind,
    anchor_head,
    binding,
    current_head,
    mismatch,
    read_anchors,
)
from banchengshi.audit.chain import verify_chain
from banchengshi.backup.engines import engine, holdings, put_back, take_snapshot
from banchengshi.backup.manifest import (
    BackupRefused,
    FileEntry,
    Manifest,
    check_files,
    file_entry,
    read_manifest,
    release,
    write_manifest,
)
from banchengshi.encryption.keys import keys

MEDIA = "media"


class RestoreUnverified(BackupRefused):
    """Restored, but what was restored does not verify: the operator must not go live on it."""


def _copy_media(directory: Path) -> dict[str, FileEntry]:
    """The uploads, copied after the database's snapshot: a file is stored before the row
    that names it commits, so every file the snapshot names is here (perhaps a few newer)."""
    source = Path(settings.MEDIA_ROOT)
    files: dict[str, FileEntry] = {}
    if not source.is_dir():
        return files
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        relative = f"{MEDIA}/{path.relative_to(source).as_posix()}"
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        files[relative] = file_entry(target)
    return files


def make_backup(directory: Path) -> Manifest:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupRefused(f"{directory} exists and is not an empty directory")
    directory.mkdir(parents=True, exist_ok=True)
    created_at = timezone.now()
    snapshot = take_snapshot(directory)
    files = {snapshot.file: file_entry(directory / snapshot.file), **_copy_media(directory)}
    manifest = Manifest(
        engine=engine(),
        created_at=created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        version=release(),
        migrations=snapshot.migrations,
        audit_seq=snapshot.audit_seq,
        audit_hash=snapshot.audit_hash,
        files=files,
        field_key=keys().field_fingerprints[0],
    )
    write_manifest(directory, manifest)
    return manifest


def _check_migrations(manifest: Manifest) -> int:
    """Refuse a backup made by a newer release; how many of the code's migrations the
    backup lacks (`banchengshi migrate` applies them after the restore)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(applied - known)
    if unknown:
        app, name = unknown[0]
        raise BackupRefused(
            f"the backup was made by a newer release ({manifest.version}): its migration "
            f"{app}.{name} is unknown to this code; install that release to restore it"
        )
    return len(known - applied)


def check_backup(directory: Path) -> Manifest:
    """Everything that can be checked before the database is touched."""
    manifest = read_manifest(directory)
    if manifest.engine != engine():
        raise BackupRefused(
            f"the backup is of a {manifest.engine} database; the configured database "
            f"(DATABASE_URL) is {engine()}"
        )
    check_files(directory, manifest)
    _check_migrations(manifest)
    _check_field_key(manifest)
    return manifest


def _check_field_key(manifest: Manifest) -> None:
    """The personal data of the backup can be read with the configured keys: restoring a
    database whose phones no key decrypts would break every case page."""
    held = keys().field_fingerprints
    if manifest.field_key and manifest.field_key not in held:
        raise BackupRefused(
            f"the backup's personal data is encrypted with field key {manifest.field_key}; "
            f"BANCHENGSHI_FIELD_KEYS holds {', '.join(held)}: add that key (docs/security.md)"
        )


def _restore_media(directory: Path) -> None:
    """The uploads replaced as a whole: the new tree is built beside the old and swapped in."""
    media = Path(settings.MEDIA_ROOT)
    fresh = media.with_name(f".{media.name}.restoring")
    old = media.with_name(f".{media.name}.replaced")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    source = directory / MEDIA
    if source.is_dir():
        shutil.copytree(source, fresh)
    else:
        fresh.mkdir(parents=True)
    if media.exists():
        media.rename(old)
    fresh.rename(media)
    shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    events: int
    anchors_held: int
    # Events anchored after the backup was made, which it cannot hold: (first, last) seq.
    lost: tuple[int, int] | None
    pending_migrations: int


def _check_restored(manifest: Manifest) -> tuple[int, int, tuple[int, int] | None]:
    """The restored chain verifies, its head is the manifest's, and it holds to the anchors
    written before the backup was made; anchors written since (the events after the backup)
    are reported, not refused: that loss is what restoring a backup means."""
    result = verify_chain()
    if not result.ok:
        raise RestoreUnverified(
            f"the audit chain does not verify: {result.problem} "
            f"(after {result.checked} good events)"
        )
    if current_head() != (manifest.audit_seq, manifest.audit_hash):
        raise RestoreUnverified(
            f"the audit chain's head is event #{current_head()[0]}, "
            f"not #{manifest.audit_seq} as the manifest says"
        )
    try:
        anchors, _ = binding(read_anchors())
    except AnchorFileError as exc:
        raise RestoreUnverified(f"the anchors cannot be checked: {exc}") from exc
    made = dt.datetime.fromisoformat(manifest.created_at)
    within = [a for a in anchors if a.seq <= manifest.audit_seq]
    beyond = [a for a in anchors if a.seq > manifest.audit_seq]
    early = [a for a in beyond if a.at <= made]
    if early:
        raise RestoreUnverified(
            f"the backup's chain ends at event #{manifest.audit_seq}, behind "
            f"{early[0].describe()}, written before the backup was made"
        )
    problem = mismatch(within)
    if problem:
        raise RestoreUnverified(f"the chain does not hold to its anchors: {problem}")
    lost = (manifest.audit_seq + 1, max(a.seq for a in beyond)) if beyond else None
    return result.checked, len(within), lost


def restore_backup(directory: Path, *, force: bool) -> Restored:
    manifest = check_backup(directory)
    pending = _check_migrations(manifest)
    held = holdings()
    if held and not force:
        what = ", ".join(f"{count} {label}" for label, count in held.items())
        raise BackupRefused(
            f"the configured database is not empty ({what}); give --force to replace it"
        )
    put_back(directory)
    _restore_media(directory)
    connections.close_all()
    events, anchors_held, lost = _check_restored(manifest)
    # From here on the chain continues from the backup's head on purpose: anchors beyond it,
    # of events the backup does not hold, stop binding (audit.anchors).
    anchor_head(kind=AnchorKind.RESTORE)
    return Restored(manifest, events, anchors_held, lost, pending)
