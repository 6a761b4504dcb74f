"""Adding, removing and enabling webhook endpoints (the `webhook` command and the admin), and
the bookkeeping of a delivery attempt, which disables an endpoint that keeps failing."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.events import CaseEvent
from banchengshi.errors import InvalidInput, NotFound
from banchengshi.ids import MAX_ID
from banchengshi.notify.inbox import notify, people_with
from banchengshi.notify.models import NotificationKind
from banchengshi.org.models import Role
from banchengshi.webhooks.models import MAX_URL, WebhookDelivery, WebhookEndpoint
from banchengshi.webhooks.signing import new_secret

MAX_DESCRIPTION = 200
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class NewEndpoint:
    url: str
    event_types: list[str]
    description: str


@dataclass(frozen=True)
class Attempt:
    """What one POST came to: a status code, or an error before any answer."""

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


def _url(value: str) -> str:
    url = value.strip()
    if not url:
        raise InvalidInput({"url": [_("Give the address the events are to be sent to.")]})
    if _has_control(url):
        raise InvalidInput({"url": [_("The address contains a control character.")]})
    uri = iri_to_uri(url)
    if len(uri) > MAX_URL:
        raise InvalidInput(
            {
                "url": [
                    _("The address is too long (at most %(limit)d characters).")
                    % {"limit": MAX_URL}
                ]
            }
        )
    try:
        _url_validator(uri)
    except ValidationError:
        raise InvalidInput(
            {"url": [_("Give a full http:// or https:// address, e.g. https://example.com/hooks.")]}
        ) from None
    return uri


def event_types_value(names: list[str]) -> list[str]:
    """Known case events, sorted without repeats; none: every event."""
    wanted = sorted({name.strip() for name in names if name.strip()})
    known = {event.value for event in CaseEvent}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InvalidInput(
            {
                "events": [
                    _("Unknown event type: %(names)s. Known: %(known)s.")
                    % {"names": ", ".join(unknown), "known": ", ".join(e.value for e in CaseEvent)}
                ]
            }
        )
    return wanted


def check_new_endpoint(*, url: str, events: list[str], description: str = "") -> NewEndpoint:
    description = description.strip()
    if _has_control(description):
        raise InvalidInput({"description": [_("The text contains a control character.")]})
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            {
                "description": [
                    _("The text is too long (at most %(limit)d characters).")
                    % {"limit": MAX_DESCRIPTION}
                ]
            }
        )
    return NewEndpoint(_url(url), event_types_value(events), description)


def do_add_endpoint(new: NewEndpoint) -> tuple[WebhookEndpoint, str]:
    """Trusts `new` (check_new_endpoint). Returns the endpoint and its secret, which the
    caller shows once: nothing else ever shows it."""
    secret = new_secret()
    endpoint = WebhookEndpoint.objects.create(
        url=new.url, event_types=new.event_types, description=new.description, secret=secret
    )
    return endpoint, secret


def endpoint_not_found(number: object) -> NotFound:
    return NotFound(_("No webhook endpoint has the number %(id)s.") % {"id": number})


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    found = (
        WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
        if 1 <= endpoint_id <= MAX_ID
        else None
    )
    if found is None:
        raise endpoint_not_found(endpoint_id)
    return found


@transaction.atomic
def do_remove_endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Its deliveries go with it; messages still queued for it are dropped when sent."""
    endpoint = _endpoint(endpoint_id)
    endpoint.delete()
    return endpoint


@transaction.atomic
def do_change_endpoint(endpoint_id: int, *, event_types: list[str], description: str) -> None:
    """Trusts its values (check_new_endpoint); the URL stays: a new receiver is a new
    endpoint, with a secret of its own."""
    endpoint = _endpoint(endpoint_id)
    endpoint.event_types = event_types
    endpoint.description = description
    endpoint.save(update_fields=["event_types", "description"])


@transaction.atomic
def do_enable_endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Enabled again with its failures forgotten (the administrator fixed the receiver)."""
    endpoint = _endpoint(endpoint_id)
    endpoint.enabled = True
    endpoint.consecutive_failures = 0
    endpoint.disabled_reason = ""
    endpoint.disabled_at = None
    endpoint.save()
    return endpoint


@transaction.atomic
def do_record_attempt(
    endpoint_id: int,
    *,
    message_id: int,
    webhook_id: str,
    event_type: str,
    attempt: Attempt,
    at: dt.datetime,
) -> WebhookDelivery | None:
    """Log one attempt and count the endpoint's failures under its row lock (several senders
    may finish at once); the failure that reaches BANCHENGSHI_WEBHOOK_DISABLE_AFTER disables
    the endpoint and tells the system administrators. Trusts the attempt's figures. None:
    the endpoint was removed meanwhile."""
    endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
    if endpoint is None:
        return None
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        message_id=message_id,
        webhook_id=webhook_id,
        event_type=event_type,
        attempt=WebhookDelivery.objects.filter(message_id=message_id).count() + 1,
        status_code=attempt.status_code,
        duration_ms=attempt.duration_ms,
        error=attempt.error[:300],
        at=at,
    )
    if attempt.ok:
        if endpoint.consecutive_failures:
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures"])
        return delivery
    endpoint.consecutive_failures += 1
    limit = settings.BANCHENGSHI_WEBHOOK_DISABLE_AFTER
    if endpoint.enabled and endpoint.consecutive_failures >= limit:
        endpoint.enabled = False
        endpoint.disabled_at = at
        endpoint.disabled_reason = attempt.error[:300]
        notify(
            kind=NotificationKind.WEBHOOK_DISABLED,
            user_ids=people_with([Role.SYSADMIN]),
            params={
                "endpoint_id": endpoint.pk,
                "url": endpoint.url,
                "failures": endpoint.consecutive_failures,
                "error": attempt.error[:300],
            },
        )
    endpoint.save()
    return delivery
