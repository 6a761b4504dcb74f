"""Reading webhook endpoints for the `webhook list` command and the admin."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from banchengshi.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_with_last_attempt() -> QuerySet[WebhookEndpoint]:
    """Every endpoint with `last_status` and `last_error` of its latest attempt (None when
    never tried), each read through the (endpoint, -id) index."""
    latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-id")
    return WebhookEndpoint.objects.order_by("id").annotate(
        last_status=Subquery(latest.values("status_code")[:1]),
        last_error=Subquery(latest.values("error")[:1]),
        last_at=Subquery(latest.values("at")[:1]),
    )


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = 20) -> list[WebhookDelivery]:
    return list(endpoint.deliveries.order_by("-id")[:limit])
