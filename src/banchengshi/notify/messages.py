"""The words of the SMS sent to petitioners, composed when a message is sent, not when it is
queued: a link signed at sending time stays valid for its whole period, and a change of
wording reaches messages still waiting.

SMS go out in Chinese, the language of the district's petitioners, whatever language the
staff member who caused them uses. Links point at BANCHENGSHI_PUBLIC_URL, the address the
public knows the portal by.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from banchengshi.intake.tracking import grouped, rating_token
from banchengshi.notify.models import OutboxMessage

SIGNATURE = "【办成事】"
# Payload entries that are secrets: blanked once the message has gone, so the outbox does
# not keep what the petitioner alone should know.
SECRETS = ("access_code",)


def _public(path: str) -> str:
    return f"{settings.BANCHENGSHI_PUBLIC_URL.rstrip('/')}{path}"


def _appeal_filed(message: OutboxMessage, payload: dict[str, Any]) -> str:
    return (
        f"您的“办不成事”反映已收到，编号{payload['tracking_no']}，"
        f"查询码{grouped(payload['access_code'])}（请勿告诉他人）。"
        f"查询进度：{_public('/track/')}"
    )


def _intake_received(message: OutboxMessage, payload: dict[str, Any]) -> str:
    return (
        f"您反映的问题已登记，编号{payload['tracking_no']}。"
        f"凭编号和手机号后四位可查询进度：{_public('/track/')}"
    )


def _extension(message: OutboxMessage, payload: dict[str, Any]) -> str:
    return f"您的反映{payload['tracking_no']}需要延长办理时间，预计{payload['due']}前答复。"


def _reply(message: OutboxMessage, payload: dict[str, Any]) -> str:
    link = ""
    if message.case_id is not None and "round" in payload:
        link = _public(f"/r/{rating_token(message.case_id, int(payload['round']))}/")
    return f"您的反映{payload['tracking_no']}已答复。查看答复并评价：{link or _public('/track/')}"


COMPOSERS: dict[str, Callable[[OutboxMessage, dict[str, Any]], str]] = {
    "appeal_filed": _appeal_filed,
    "intake_received": _intake_received,
    "extension": _extension,
    "reply": _reply,
}


def sms_text(message: OutboxMessage, payload: dict[str, Any] | None = None) -> str:
    """The text of an SMS to a petitioner, from its payload or the one given (its secrets
    blanked, for a log); a template without words here is a fault of the program, raised so
    that the message stays in the outbox and is retried after a fix."""
    compose = COMPOSERS[message.template]
    return SIGNATURE + compose(message, message.payload if payload is None else payload)


def without_secrets(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: ("***" if key in SECRETS else value) for key, value in payload.items()}
