"""Case events become webhook messages: for each event, one outbox message per enabled
endpoint subscribed to it, written in the transaction of the change (a change that rolls
back sends nothing).

It listens on `audit.chain.events_appended`, connected by this app's AppConfig: every case
event of every app is written there, and the import graph stays one-way (webhooks reads audit,
cases and notify; none of them imports webhooks).

The body is what any API token sees of any case it may see, and less: numbers, codes and
times, never a name, phone or ID number, nor the texts people wrote. Receivers fetch more
with `GET /api/v1/cases/{case_id}` under their own token's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case
from banchengshi.notify.models import OutboxMessage
from banchengshi.webhooks.models import WebhookEndpoint
from banchengshi.webhooks.signing import new_webhook_id

CASE_FIELDS = (
    "tracking_no",
    "state",
    "round",
    "version",
    "category",
    "complexity",
    "owner_unit_id",
    "handling_unit_id",
    "cause_code",
    "cause_side",
    "satisfaction",
    "solved",
    "suspended_at",
    "closed_at",
)


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def event_type(action: str) -> str:
    return f"case.{action}"


def event_body(event: AuditEvent, case: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of one event; its keys stay as they are (receivers parse them)."""
    data = {
        key: utc_text(value) if isinstance(value, dt.datetime) else value
        for key, value in case.items()
        if key != "id"
    }
    data.update(
        case_id=event.case_id,
        event=event.action,
        audit_seq=event.seq,
        changed=sorted(key for key in (event.after or {}) if key in CASE_FIELDS),
    )
    return {"type": event_type(event.action), "timestamp": utc_text(event.at), "data": data}


def on_events_appended(sender: object, *, events: list[AuditEvent], **kwargs: Any) -> None:
    """Queue the messages of the events just written (one query when no endpoint listens)."""
    case_events = [event for event in events if event.case_id is not None]
    if not case_events:
        return
    endpoints = list(WebhookEndpoint.objects.filter(enabled=True).only("id", "event_types"))
    wanted = [
        (e, endpoint) for e in case_events for endpoint in endpoints if endpoint.wants(e.action)
    ]
    if not wanted:
        return
    ids = {event.case_id for event, _ in wanted if event.case_id is not None}
    cases = {row["id"]: row for row in Case.objects.filter(pk__in=ids).values("id", *CASE_FIELDS)}
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=OutboxMessage.Channel.WEBHOOK,
            recipient=str(endpoint.pk),
            template=event_type(event.action),
            payload={
                "webhook_id": new_webhook_id(),
                "body": event_body(event, cases[event.case_id]),
            },
            case_id=event.case_id,
        )
        for event, endpoint in wanted
    )
