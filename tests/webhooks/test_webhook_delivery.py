"""Delivering webhooks to a real local receiver that verifies them with the `standardwebhooks`
package: signed, logged, retried by id, disabled after repeated failure with a notice.

The receiver checks `webhook-timestamp` against its own clock (5 minutes either way, as the
specification's libraries do), so each test moves the frozen clock to the real time before
sending; the events themselves happen at the fixture's frozen instant."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from typing import Any

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.notify.sending import send_pending
from banchengshi.webhooks.actions import do_enable_endpoint
from banchengshi.webhooks.models import WebhookDelivery, WebhookEndpoint
from banchengshi.webhooks.signing import new_secret
from tests.cases.conftest import CaseBuilder, FrozenTime, Org
from tests.webhooks.receiver import Receiver
from tests.webhooks.webhooks import add_endpoint, send_once, webhook_messages


@pytest.fixture
def hooked(receiver: Receiver, frozen_time: FrozenTime, org: Org) -> WebhookEndpoint:
    """An endpoint for every event at the receiver, which knows its secret."""
    endpoint, receiver.secret = add_endpoint(receiver.url)
    frozen_time.set(dt.datetime.now(dt.UTC))
    return endpoint


def deliveries(endpoint: WebhookEndpoint) -> list[tuple[Any, ...]]:
    rows = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    return list(rows.values_list("event_type", "attempt", "status_code", "error"))


def test_secrets_follow_the_specification() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[6:])) == 32
    assert new_secret() != secret


def test_a_delivery_carries_a_valid_signature(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint
) -> None:
    case = cases.register()
    (message,) = webhook_messages()
    assert send_once([message]) == []
    (got,) = receiver.requests
    assert got.verified
    assert got.path == "/hooks"
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-id"] == message.payload["webhook_id"]
    assert got.headers["webhook-signature"].startswith("v1,")
    assert json.loads(got.body) == message.payload["body"]
    assert json.loads(got.body)["data"]["tracking_no"] == case.tracking_no
    assert deliveries(hooked) == [("case.register", 1, 204, "")]


def test_a_tampered_body_or_another_secret_fails_verification(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint
) -> None:
    cases.register()
    send_once(webhook_messages())
    (got,) = receiver.requests
    Webhook(receiver.secret).verify(got.body, got.headers)  # as sent: valid
    tampered = got.body.replace(b'"state":"registered"', b'"state":"closed"')
    assert tampered != got.body
    with pytest.raises(WebhookVerificationError, match="No matching signature found"):
        Webhook(receiver.secret).verify(tampered, got.headers)
    with pytest.raises(WebhookVerificationError, match="No matching signature found"):
        Webhook(new_secret()).verify(got.body, got.headers)


def test_a_non_2xx_answer_is_logged_and_the_retry_keeps_the_id(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint
) -> None:
    cases.register()
    (message,) = webhook_messages()
    receiver.status = 500
    assert send_once([message]) == [f"{receiver.url}: HTTP 500 Internal Server Error"]
    assert WebhookEndpoint.objects.get(pk=hooked.pk).consecutive_failures == 1
    receiver.status = 200
    assert send_once([message]) == []
    assert deliveries(hooked) == [
        ("case.register", 1, 500, "HTTP 500 Internal Server Error"),
        ("case.register", 2, 200, ""),
    ]
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    assert WebhookEndpoint.objects.get(pk=hooked.pk).consecutive_failures == 0


def test_a_redirect_is_a_failure(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint
) -> None:
    receiver.status, receiver.location = 302, "http://127.0.0.1:9/elsewhere"
    cases.register()
    assert send_once(webhook_messages()) == [f"{receiver.url}: HTTP 302 Found"]
    assert len(receiver.requests) == 1
    assert deliveries(hooked) == [("case.register", 1, 302, "HTTP 302 Found")]


def test_no_answer_in_time_is_a_failure(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint, settings: Any
) -> None:
    settings.BANCHENGSHI_WEBHOOK_TIMEOUT = 0.2
    receiver.hold = threading.Event()
    cases.register()
    assert send_once(webhook_messages()) == [f"{receiver.url}: timed out"]
    assert deliveries(hooked) == [("case.register", 1, None, "timed out")]


def test_a_closed_port_is_a_failure(cases: CaseBuilder, frozen_time: FrozenTime) -> None:
    endpoint, _secret = add_endpoint("http://127.0.0.1:9/hooks")  # discard: nobody listens
    cases.register()
    (failure,) = send_once(webhook_messages())
    assert failure == "http://127.0.0.1:9/hooks: [Errno 111] Connection refused"
    assert deliveries(endpoint) == [("case.register", 1, None, "[Errno 111] Connection refused")]


def test_repeated_failure_disables_the_endpoint_and_tells_the_administrators(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint, org: Org, settings: Any
) -> None:
    settings.BANCHENGSHI_WEBHOOK_DISABLE_AFTER = 3
    receiver.status = 503
    cases.in_progress()  # register, screen_accept, receive
    messages = webhook_messages()
    assert len(send_once(messages)) == 3
    endpoint = WebhookEndpoint.objects.get(pk=hooked.pk)
    assert not endpoint.enabled
    assert endpoint.consecutive_failures == 3
    assert endpoint.disabled_reason == "HTTP 503 Service Unavailable"
    (notice,) = Notification.objects.filter(kind=NotificationKind.WEBHOOK_DISABLED)
    assert notice.user_id == org.sysadmin.pk
    assert notice.kind == NotificationKind.WEBHOOK_DISABLED
    assert notice.params == {
        "endpoint_id": hooked.pk,
        "url": receiver.url,
        "failures": 3,
        "error": "HTTP 503 Service Unavailable",
    }
    # Disabled: new events queue nothing for it, and what waits is dropped unsent.
    cases.register()
    assert len(webhook_messages()) == 3
    assert send_once(messages) == []
    assert len(receiver.requests) == 3
    # Enabled again (the receiver fixed): its failures are forgotten, events flow again.
    do_enable_endpoint(hooked.pk)
    receiver.status = 204
    cases.register()
    assert send_once(webhook_messages()[3:]) == []
    endpoint = WebhookEndpoint.objects.get(pk=hooked.pk)
    assert (endpoint.enabled, endpoint.consecutive_failures, endpoint.disabled_reason) == (
        True,
        0,
        "",
    )
    assert Notification.objects.filter(kind=NotificationKind.WEBHOOK_DISABLED).count() == 1


def test_a_removed_endpoint_s_messages_are_dropped(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint
) -> None:
    cases.register()
    messages = webhook_messages()
    hooked.delete()
    assert send_once(messages) == []
    assert receiver.requests == []


def test_the_outbox_sends_webhooks_with_the_other_messages(
    cases: CaseBuilder, receiver: Receiver, hooked: WebhookEndpoint
) -> None:
    cases.register()
    assert send_pending() == 1
    (got,) = receiver.requests
    assert got.verified
    (message,) = webhook_messages()
    assert message.sent_at is not None
    receiver.status = 500
    cases.register(phone="0211234567")  # a landline: no SMS, just the webhook
    assert send_pending() == 0
    failed = webhook_messages()[1]
    assert (failed.attempts, failed.last_error) == (
        1,
        f"WebhookFailed: {receiver.url}: HTTP 500 Internal Server Error",
    )
