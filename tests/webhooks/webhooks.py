"""What the webhook tests share: an endpoint made through the actions, and the sending loop
(one pass over the waiting webhook messages; retries with backoff are the outbox's)."""

from __future__ import annotations

from banchengshi.notify.models import OutboxMessage
from banchengshi.webhooks.actions import check_new_endpoint, do_add_endpoint
from banchengshi.webhooks.delivery import WebhookFailed, deliver_webhook
from banchengshi.webhooks.models import WebhookEndpoint


def add_endpoint(
    url: str = "https://hooks.example.com/bcs", events: tuple[str, ...] = ()
) -> tuple[WebhookEndpoint, str]:
    return do_add_endpoint(check_new_endpoint(url=url, events=list(events)))


def webhook_messages(endpoint: WebhookEndpoint | None = None) -> list[OutboxMessage]:
    messages = OutboxMessage.objects.filter(channel="webhook").order_by("id")
    # The recipient is encrypted at rest: compared after reading, not in the query.
    return [m for m in messages if endpoint is None or m.recipient == str(endpoint.pk)]


def send_once(messages: list[OutboxMessage]) -> list[str]:
    """Deliver each message once; the failures' texts, in order."""
    failures = []
    for message in messages:
        try:
            deliver_webhook(message)
        except WebhookFailed as exc:
            failures.append(str(exc))
    return failures
