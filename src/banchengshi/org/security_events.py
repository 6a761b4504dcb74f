"""Security events (等保2.0 security audit): sign-ins and their failures, sign-outs, two-factor
steps, password changes, role grants and revokes, and configuration changes.

They are announced on `security_event`; the audit app (audit/security.py) writes each into the
same hash chain as the cases' events, with no case. A signal, because audit already reads org
(roles, scopes): org cannot import it back."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.dispatch import Signal
from django.http import HttpRequest

from banchengshi.org.names import full_name

# Sent with action (SecurityEvent), actor (User or None), label (the actor's name, or the
# typed user name of a failed sign-in) and payload (a flat dict).
security_event = Signal()


class SecurityEvent(StrEnum):
    SIGNED_IN = "auth.signed_in"
    SIGN_IN_FAILED = "auth.sign_in_failed"
    SIGN_IN_LOCKED = "auth.sign_in_locked"
    SIGNED_OUT = "auth.signed_out"
    SESSION_EXPIRED = "auth.session_expired"
    TWO_FACTOR_ENROLLED = "auth.two_factor_enrolled"
    TWO_FACTOR_PASSED = "auth.two_factor_passed"
    TWO_FACTOR_FAILED = "auth.two_factor_failed"
    PASSWORD_CHANGED = "auth.password_changed"
    ROLE_GRANTED = "org.role_granted"
    ROLE_REVOKED = "org.role_revoked"
    ADMIN_CHANGE = "config.admin_change"
    CALENDAR_LOADED = "config.calendar_loaded"


def client_address(request: HttpRequest | None) -> str:
    """The client's address as the rate limits read it (intake/ratelimit.py): behind the
    reverse proxy from the header BANCHENGSHI_CLIENT_ADDRESS_HEADER names, its last hop."""
    if request is None:
        return ""
    header = getattr(settings, "BANCHENGSHI_CLIENT_ADDRESS_HEADER", "")
    raw = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")
    return str(raw).split(",")[-1].strip()[:64]


def record(
    action: SecurityEvent,
    *,
    actor: User | AnonymousUser | None,
    label: str = "",
    request: HttpRequest | None = None,
    **details: Any,
) -> None:
    """One event, committed at once by the receiver: a refused sign-in must stay recorded even
    though nothing else of the request is written."""
    person = actor if isinstance(actor, User) else None
    payload = {key: value for key, value in details.items() if value not in (None, "")}
    address = client_address(request)
    if address:
        payload["address"] = address
    security_event.send(
        sender=SecurityEvent,
        action=action,
        actor=person,
        label=(full_name(person) if person else label)[:150],
        payload=payload,
    )


def on_admin_logged(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every addition, change and deletion made in the administration (the admin's own log
    entry, which a database writer could edit unseen) is copied into the audit chain."""
    if not created:
        return
    content_type = instance.content_type
    record(
        SecurityEvent.ADMIN_CHANGE,
        actor=instance.user,
        model=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        object=instance.object_repr,
        change={1: "added", 2: "changed", 3: "deleted"}.get(instance.action_flag, ""),
        message=instance.get_change_message(),
    )
