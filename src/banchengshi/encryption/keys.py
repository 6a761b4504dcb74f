"""The keys of encryption at rest, read from settings once (BANCHENGSHI_FIELD_KEYS and
BANCHENGSHI_SEARCH_KEYS, newest first): the newest encrypts and hashes what is written; every
key decrypts, and a lookup asks for the hash under each search key, so a rotation can add a
key first and re-write the rows afterwards (`banchengshi encryption rotate`)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HASH_LENGTH = 32  # hex digits of the HMAC-SHA256 kept: 128 bits


class UnreadableValue(ImproperlyConfigured):
    """A stored value no configured key decrypts: the keys are not the ones it was written
    with (a database restored without its keys, or a key removed before a rotation ended)."""


@dataclass(frozen=True)
class Keys:
    cipher: MultiFernet
    newest: Fernet
    search: tuple[bytes, ...]
    field_fingerprints: tuple[str, ...]


def fingerprint(key: str) -> str:
    """A key's name in manifests and messages: it identifies the key, never reveals it."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@cache
def keys() -> Keys:
    field_keys = _split(settings.BANCHENGSHI_FIELD_KEYS)
    search_keys = _split(settings.BANCHENGSHI_SEARCH_KEYS)
    if not field_keys or not search_keys:
        raise ImproperlyConfigured(
            "BANCHENGSHI_FIELD_KEYS and BANCHENGSHI_SEARCH_KEYS must each hold a key "
            "(`banchengshi encryption new-keys` makes them)."
        )
    try:
        fernets = [Fernet(key) for key in field_keys]
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"BANCHENGSHI_FIELD_KEYS holds a value that is not a Fernet key: {exc}"
        ) from exc
    return Keys(
        cipher=MultiFernet(fernets),
        newest=fernets[0],
        search=tuple(key.encode() for key in search_keys),
        field_fingerprints=tuple(fingerprint(key) for key in field_keys),
    )


def forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting in ("BANCHENGSHI_FIELD_KEYS", "BANCHENGSHI_SEARCH_KEYS"):
        keys.cache_clear()


def encrypt(text: str) -> str:
    """The stored form of a value; the empty value stays empty (it holds nothing to hide, and
    `field=""` keeps finding the rows without one)."""
    if not text:
        return text
    return keys().newest.encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return token
    try:
        return keys().cipher.decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise UnreadableValue(
            "A stored personal datum cannot be decrypted with BANCHENGSHI_FIELD_KEYS "
            f"(keys {', '.join(keys().field_fingerprints)}): the database was written with "
            "another key. Add that key to the list (docs/security.md, key rotation)."
        ) from exc


def reencrypt(token: str) -> str:
    """The token under the newest key (the same value)."""
    if not token:
        return token
    return keys().cipher.rotate(token.encode("ascii")).decode("ascii")


def _hash(key: bytes, kind: str, value: str) -> str:
    digest = hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:HASH_LENGTH]


def search_hash(kind: str, value: str) -> str:
    """The keyed hash stored beside a value (`kind` separates phones from ID numbers, so equal
    digits of different kinds never match); the empty value hashes to empty."""
    return _hash(keys().search[0], kind, value) if value else ""


def search_hashes(kind: str, value: str) -> list[str]:
    """What a stored hash of `value` may be: one per search key, newest first."""
    return [_hash(key, kind, value) for key in keys().search] if value else [""]
