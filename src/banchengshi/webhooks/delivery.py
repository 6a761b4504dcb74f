"""Delivering one webhook message: `deliver_webhook(message)`, the outbox's sender for the
`webhook` channel. It POSTs outside any transaction, logs the attempt, and raises when the
receiver did not answer 2xx, so that the outbox retries the message with its backoff (the
one retry system); the same webhook-id and body go out each time, newly signed."""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.utils import timezone

from banchengshi.notify.models import OutboxMessage
from banchengshi.webhooks.actions import Attempt, do_record_attempt
from banchengshi.webhooks.models import WebhookEndpoint
from banchengshi.webhooks.signing import signed_headers

log = logging.getLogger("banchengshi.webhooks")
# What is read of a receiver's answer: its body means nothing to us.
MAX_RESPONSE = 4096


class WebhookFailed(Exception):
    pass


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure (as the specification says): a POST is not replayed elsewhere,
    and the administrator corrects the address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def body_bytes(body: dict[str, Any]) -> bytes:
    """The same bytes for the same body on every attempt (the JSON column may reorder keys)."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Attempt:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    status: int | None = None
    error = ""
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(MAX_RESPONSE)
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code} {exc.reason}"
        exc.close()
    except urllib.error.URLError as exc:
        error = str(exc.reason)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error = str(exc) or type(exc).__name__
    duration_ms = round((time.monotonic() - started) * 1000)
    return Attempt(status, error, duration_ms)


def deliver_webhook(message: OutboxMessage) -> None:
    """Send one message of the `webhook` channel; raises WebhookFailed unless answered 2xx.
    A message for an endpoint removed or disabled since it was queued is dropped."""
    endpoint = WebhookEndpoint.objects.filter(pk=int(message.recipient)).first()
    if endpoint is None or not endpoint.enabled:
        log.info(
            "webhook %s dropped: endpoint %s removed or disabled", message.pk, message.recipient
        )
        return
    webhook_id = message.payload["webhook_id"]
    body = body_bytes(message.payload["body"])
    headers = signed_headers(
        endpoint.secret, webhook_id=webhook_id, timestamp=int(timezone.now().timestamp()), body=body
    )
    attempt = post(endpoint.url, body, headers, timeout=settings.BANCHENGSHI_WEBHOOK_TIMEOUT)
    do_record_attempt(
        endpoint.pk,
        message_id=message.pk,
        webhook_id=webhook_id,
        event_type=message.template,
        attempt=attempt,
        at=timezone.now(),
    )
    if not attempt.ok:
        raise WebhookFailed(f"{endpoint.url}: {attempt.error}")
