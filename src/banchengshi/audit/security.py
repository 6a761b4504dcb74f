"""The security events org announces (org.security_events), written into the hash chain."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from banchengshi.audit.chain import PendingEvent, append_events


def on_security_event(
    sender: Any, action: str, actor: User | None, label: str, payload: dict[str, Any], **_: Any
) -> None:
    with transaction.atomic():
        append_events(
            [
                PendingEvent(
                    case_id=None,
                    actor_id=actor.pk if actor else None,
                    actor_label=label,
                    action=str(action),
                    at=timezone.now(),
                    before={},
                    after={},
                    payload=payload,
                )
            ]
        )
