"""Which channels a notice goes out on besides the inbox: each person's choice per kind
(NotificationPreference), else the defaults of preferences.toml, validated when loaded."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from banchengshi.notify.models import NotificationKind, NotificationPreference, OutboxMessage

Channel = OutboxMessage.Channel
# The outbox's channels a person may add to the inbox.
COPY_CHANNELS = (Channel.SMS, Channel.EMAIL)
Channels = frozenset[Channel]
DEFAULTS_FILE = Path(__file__).resolve().parent / "preferences.toml"


def load_defaults(text: str, name: str) -> dict[NotificationKind, Channels]:
    """Every kind's default channels; a kind or channel the program does not know is refused
    with its name, so that a typo in the file never silently sends nothing."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None
    defaults: dict[NotificationKind, Channels] = {kind: frozenset() for kind in NotificationKind}
    for key, channels in raw.items():
        if key not in NotificationKind.values:
            raise ImproperlyConfigured(f"{name}: {key!r} is no kind of notice")
        if not isinstance(channels, list) or not all(c in COPY_CHANNELS for c in channels):
            raise ImproperlyConfigured(
                f"{name}: {key!r} must list channels among {', '.join(COPY_CHANNELS)}"
            )
        defaults[NotificationKind(key)] = frozenset(Channel(c) for c in channels)
    return defaults


DEFAULTS = load_defaults(DEFAULTS_FILE.read_text(encoding="utf-8"), DEFAULTS_FILE.name)


def chosen(row: NotificationPreference) -> Channels:
    return frozenset(
        channel for channel, on in ((Channel.SMS, row.sms), (Channel.EMAIL, row.email)) if on
    )


def channels_for(user_ids: Iterable[int], kind: NotificationKind) -> dict[int, Channels]:
    """Each person's channels for one kind (one query)."""
    ids = list(user_ids)
    rows = NotificationPreference.objects.filter(user_id__in=ids, kind=kind)
    own = {row.user_id: chosen(row) for row in rows}
    return {user_id: own.get(user_id, DEFAULTS[kind]) for user_id in ids}


def preferences_of(user_id: int) -> Mapping[NotificationKind, Channels]:
    """One person's channels for every kind (one query): what the settings page shows."""
    own = {
        NotificationKind(row.kind): chosen(row)
        for row in NotificationPreference.objects.filter(user_id=user_id)
    }
    return {kind: own.get(kind, DEFAULTS[kind]) for kind in NotificationKind}
