"""A backup's manifest.json: what the backup holds and how to know it is whole (R-API-4).

The manifest names the engine, when the snapshot was taken, the release and the migrations
applied in the snapshot, the audit chain's head in it, and every file's SHA-256 and size; its
own `manifest_sha256` covers the rest of it, so a damaged manifest is refused as surely as a
damaged file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1
_CHUNK = 1 << 20


class BackupRefused(Exception):
    """A backup or restore that cannot go on, said in words for the operator."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    version: str
    migrations: dict[str, list[str]]
    audit_seq: int
    audit_hash: str
    files: dict[str, FileEntry]
    # The fingerprint of the field key the data was encrypted with (encryption.keys);
    # "" in a backup made before encryption at rest.
    field_key: str = ""

    def content(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "engine": self.engine,
            "created_at": self.created_at,
            "version": self.version,
            "migrations": self.migrations,
            "audit_head": {"seq": self.audit_seq, "hash": self.audit_hash},
            "field_key": self.field_key,
            "files": {
                path: {"sha256": entry.sha256, "size": entry.size}
                for path, entry in sorted(self.files.items())
            },
        }


def _digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def release() -> str:
    try:
        return metadata.version("banchengshi")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_entry(path: Path) -> FileEntry:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return FileEntry(digest.hexdigest(), path.stat().st_size)


def write_manifest(directory: Path, manifest: Manifest) -> None:
    """Written last, through a rename: a backup without its manifest is unfinished, and
    restore refuses it."""
    content = manifest.content()
    content["manifest_sha256"] = _digest(content)
    partial = directory / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with partial.open("rb") as stream:
        os.fsync(stream.fileno())
    partial.rename(directory / MANIFEST)


def _relative(name: str) -> str:
    """A path inside the backup: a hostile manifest must not make restore read elsewhere."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or ".." in path.parts or "\\" in name:
        raise BackupRefused(f"the manifest names a file outside the backup: {name!r}")
    return path.as_posix()


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupRefused(
            f"{directory} has no {MANIFEST}: it is not a backup, or one that did not finish"
        )
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        claimed = content.pop("manifest_sha256")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupRefused(f"{MANIFEST} is damaged: it is not the manifest of a backup") from exc
    if claimed != _digest(content):
        raise BackupRefused(f"{MANIFEST} was changed or damaged after the backup was made")
    if content.get("format") != FORMAT:
        raise BackupRefused(
            f"{MANIFEST} has format {content.get('format')!r}; this release reads format {FORMAT}"
        )
    head = content["audit_head"]
    return Manifest(
        engine=content["engine"],
        created_at=content["created_at"],
        version=content["version"],
        migrations={app: list(names) for app, names in content["migrations"].items()},
        audit_seq=int(head["seq"]),
        audit_hash=str(head["hash"]),
        files={
            _relative(name): FileEntry(str(entry["sha256"]), int(entry["size"]))
            for name, entry in content["files"].items()
        },
        field_key=str(content.get("field_key", "")),
    )


def check_files(directory: Path, manifest: Manifest) -> None:
    """Every file the manifest lists is there, whole; nothing else is."""
    for name, entry in sorted(manifest.files.items()):
        path = directory / name
        if not path.is_file():
            raise BackupRefused(f"{name} is missing from the backup")
        found = file_entry(path)
        if found.size != entry.size:
            raise BackupRefused(
                f"{name} has {found.size} bytes; the manifest says {entry.size}: it is damaged"
            )
        if found.sha256 != entry.sha256:
            raise BackupRefused(f"{name} does not match its checksum: it is damaged")
    present = {
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    extra = sorted(present - set(manifest.files))
    if extra:
        raise BackupRefused(f"the backup holds a file its manifest does not list: {extra[0]}")
