"""Anchors of the audit chain outside the database (R-REP-5).

A database writer can rewrite an event and re-hash every later one, or drop the tail and move
the head back: the chain still verifies. An anchor is the head (sequence, hash, time) written
to a file the application only ever opens for appending, which the database role cannot
reach; `audit verify` checks that every anchored event still has its hash and that the head
is not behind the last anchor.

One anchor a line, JSON, self-checking: `check` is the SHA-256 of the line's content, so a
damaged or hand-edited line is named; with BANCHENGSHI_AUDIT_ANCHOR_KEY set, `mac` is its
HMAC-SHA256 under that key, so whoever lacks the key cannot forge one.

A restore (`banchengshi restore`) writes an anchor of kind `restore`: the chain was put back
to that event on purpose, so earlier anchors beyond it no longer bind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from banchengshi.audit.chain import GENESIS
from banchengshi.audit.models import AuditEvent, AuditHead

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Anchors accumulate one a day; their events are fetched this many at a time.
_FETCH = 1000


class AnchorKind(StrEnum):
    HEAD = "head"
    RESTORE = "restore"


class AnchorFileError(ValueError):
    """A line of the anchor file that cannot be trusted (damaged, edited, unsigned)."""


@dataclass(frozen=True)
class Anchor:
    kind: AnchorKind
    seq: int
    hash: str
    at: dt.datetime
    line: int = 0

    def _body(self) -> bytes:
        at = self.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return json.dumps([self.kind.value, self.seq, self.hash, at]).encode()

    def describe(self) -> str:
        local = self.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S %z")
        return f"the anchor on line {self.line} ({local}, event #{self.seq})"


def anchor_path() -> Path:
    return Path(settings.BANCHENGSHI_AUDIT_ANCHOR_FILE)


def _key() -> bytes:
    return str(settings.BANCHENGSHI_AUDIT_ANCHOR_KEY).encode()


def _mac(body: bytes) -> str:
    return hmac.new(_key(), body, hashlib.sha256).hexdigest()


def encode(anchor: Anchor) -> str:
    body = anchor._body()
    fields: dict[str, object] = {
        "kind": anchor.kind.value,
        "seq": anchor.seq,
        "hash": anchor.hash,
        "at": anchor.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "check": hashlib.sha256(body).hexdigest(),
    }
    if _key():
        fields["mac"] = _mac(body)
    return json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n"


def _decode(text: str, line: int) -> Anchor:
    try:
        fields = json.loads(text)
        anchor = Anchor(
            kind=AnchorKind(fields["kind"]),
            seq=int(fields["seq"]),
            hash=str(fields["hash"]),
            at=dt.datetime.fromisoformat(fields["at"]),
            line=line,
        )
        check = str(fields["check"])
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorFileError(f"line {line} of the anchor file is not an anchor") from exc
    body = anchor._body()
    if not hmac.compare_digest(check, hashlib.sha256(body).hexdigest()):
        raise AnchorFileError(f"line {line} of the anchor file was changed after it was written")
    if _key():
        mac = fields.get("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(body)):
            raise AnchorFileError(
                f"line {line} of the anchor file is not signed with the anchor key"
            )
    return anchor


def read_anchors(path: Path | None = None) -> list[Anchor]:
    """Every anchor of the file in order; none when it does not exist yet."""
    path = path or anchor_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [
        _decode(line, number)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def append_anchor(anchor: Anchor, path: Path | None = None) -> None:
    """Append one line; the file is never opened otherwise, so nothing written is rewritten
    (with `chattr +a` on it even the application's own user cannot)."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, encode(anchor).encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def current_head() -> tuple[int, str]:
    head = AuditHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    return head if head is not None else (0, GENESIS)


def anchor_head(*, kind: AnchorKind = AnchorKind.HEAD, path: Path | None = None) -> Anchor:
    """Anchor the chain's present head (the scheduler's daily `audit.anchor`, `banchengshi
    audit anchor`, a restore)."""
    seq, digest = current_head()
    anchor = Anchor(kind=kind, seq=seq, hash=digest, at=timezone.now())
    append_anchor(anchor, path)
    return anchor


@dataclass(frozen=True)
class AnchorCheck:
    checked: int
    # Anchors beyond a later restore's event: the chain was put back on purpose.
    superseded: int
    problem: str

    @property
    def ok(self) -> bool:
        return not self.problem


def binding(anchors: Iterable[Anchor]) -> tuple[list[Anchor], int]:
    """The anchors that still bind, and how many a restore superseded."""
    kept: list[Anchor] = []
    superseded = 0
    for anchor in anchors:
        if anchor.kind is AnchorKind.RESTORE:
            before = len(kept)
            kept = [earlier for earlier in kept if earlier.seq <= anchor.seq]
            superseded += before - len(kept)
        kept.append(anchor)
    return kept, superseded


def mismatch(anchors: list[Anchor]) -> str:
    """The first anchor whose event is gone or has another hash, in words; "" when none."""
    for start in range(0, len(anchors), _FETCH):
        chunk = anchors[start : start + _FETCH]
        stored = dict(
            AuditEvent.objects.filter(seq__in={a.seq for a in chunk}).values_list("seq", "hash")
        )
        stored[0] = GENESIS
        for anchor in chunk:
            found = stored.get(anchor.seq)
            if found is None:
                return f"event #{anchor.seq} of {anchor.describe()} is missing"
            if found != anchor.hash:
                return (
                    f"event #{anchor.seq} no longer has the hash {anchor.describe()} recorded: "
                    "the chain was rewritten"
                )
    return ""


def check_anchors(path: Path | None = None) -> AnchorCheck:
    """Every binding anchor against the stored chain and its head."""
    try:
        anchors, superseded = binding(read_anchors(path))
    except AnchorFileError as exc:
        return AnchorCheck(0, 0, str(exc))
    head_seq, _ = current_head()
    for anchor in anchors:
        if anchor.seq > head_seq:
            return AnchorCheck(
                0,
                superseded,
                f"the chain ends at event #{head_seq}, behind {anchor.describe()}: "
                "events were removed",
            )
    return AnchorCheck(len(anchors), superseded, mismatch(anchors))
