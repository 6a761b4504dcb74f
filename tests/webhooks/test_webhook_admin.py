"""Webhook endpoints in the admin: the secret shown once, events chosen and validated, the
delivery log read-only, endpoints enabled again."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from banchengshi.notify.models import OutboxMessage
from banchengshi.webhooks.actions import Attempt, do_record_attempt
from banchengshi.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.cases.conftest import NOW, Org


def test_an_endpoint_made_in_the_admin_shows_its_secret_once(admin_client_en: Client) -> None:
    response = admin_client_en.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"url": "https://hooks.example.com/bcs", "description": "12345", "event_types": ["reply"]},
        follow=True,
    )
    page = response.content.decode()
    secret = page.split("shown only this once: ")[1].split("<")[0].strip()
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.secret, endpoint.event_types) == (secret, ["reply"])
    again = admin_client_en.get(
        reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])
    )
    assert again.status_code == 200
    assert secret not in again.content.decode()


def test_a_bad_address_is_refused_in_words(admin_client_en: Client) -> None:
    response = admin_client_en.post(
        reverse("admin:webhooks_webhookendpoint_add"), {"url": "ftp://example.com/x"}
    )
    assert response.status_code == 200
    assert (
        "Give a full http:// or https:// address, e.g. https://example.com/hooks."
        in response.content.decode()
    )
    assert not WebhookEndpoint.objects.exists()


def test_the_change_page_shows_the_deliveries_and_keeps_the_url(
    admin_client_en: Client, org: Org
) -> None:
    endpoint = WebhookEndpoint.objects.create(url="https://a.example.com/h", secret="whsec_AAAA")
    message = OutboxMessage.objects.create(channel="webhook", recipient=str(endpoint.pk))
    do_record_attempt(
        endpoint.pk,
        message_id=message.pk,
        webhook_id="msg_abc",
        event_type="case.reply",
        attempt=Attempt(502, "HTTP 502 Bad Gateway", 31),
        at=NOW,
    )
    change = reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])
    page = admin_client_en.get(change).content.decode()
    assert (
        "<tr><td>2026-11-20 10:00:00</td><td>case.reply</td><td>msg_abc</td><td>1</td>"
        "<td>502</td><td>31 ms</td><td>HTTP 502 Bad Gateway</td></tr>"
    ) in page
    response = admin_client_en.post(
        change,
        {"url": "https://evil.example.com/", "description": "hotline", "event_types": ["close"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description, endpoint.event_types) == (
        "https://a.example.com/h",
        "hotline",
        ["close"],
    )
    delivery = WebhookDelivery.objects.get()
    url = reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk])
    assert admin_client_en.post(url, {"status_code": 200}).status_code == 403


def test_endpoints_are_enabled_again(admin_client_en: Client) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://a.example.com/h", secret="whsec_AAAA", enabled=False, consecutive_failures=20
    )
    response = admin_client_en.post(
        reverse("admin:webhooks_webhookendpoint_changelist"),
        {"action": "enable", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "1 endpoint enabled." in response.content.decode()
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.consecutive_failures) == (True, 0)
