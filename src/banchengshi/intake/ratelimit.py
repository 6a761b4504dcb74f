"""Rate limits per client address, shared by every worker and every server: Open311 and the
public pages (web.public) use them.

The counters live in the database (intake.RateCounter), not in Django's cache: the default
cache is per process, so each gunicorn worker would allow the whole limit; the database cache
backend's `incr` reads and then writes, so two workers can both count 7. Here one
`UPDATE … SET count = count + 1 … RETURNING count` counts and reads atomically on SQLite and
PostgreSQL, with no service beyond the database a deployment already has.

Windows are fixed (a limit of N per W seconds counts an address's requests in the current
W-second window): one row per address and window, at the price that a burst straddling two
windows may reach 2N. Rows of ended windows are deleted when a new window starts.

Limits come from `DEFAULT_LIMITS`, overridden per name by the setting
`BANCHENGSHI_RATE_LIMITS = {"open311_read": (requests, seconds), …}`. Behind a reverse proxy,
the setting `BANCHENGSHI_CLIENT_ADDRESS_HEADER` names the request header the proxy sets to
the client's address (e.g. "HTTP_X_REAL_IP"); without it REMOTE_ADDR is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from banchengshi.intake.models import RateCounter

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Reading the public Open311 lists: a client app polling, not a scraper.
    "open311_read": (120, 60),
    # Filing appeals: a person files a few; an app's server filing for many raises it.
    "open311_write": (30, 3600),
    # The public pages (web.public): reading, filing, the live checks of the form, finding
    # one's appeal (by address, and by tracking number from any address), rating.
    "public_read": (300, 300),
    "public_report": (20, 3600),
    "public_check": (600, 3600),
    "public_track": (30, 600),
    # Guesses at a tracking number's code or phone digits (intake.tracking): per address, and
    # wrong ones per number after which the number is guarded more closely.
    "public_track_guess": (10, 3600),
    "public_track_number": (10, 3600),
    "public_rate": (20, 3600),
    # A terminal in a hall (one named in BANCHENGSHI_KIOSK_ADDRESSES) is one address serving
    # everyone who comes in a day.
    "kiosk_report": (120, 3600),
    "kiosk_check": (6000, 3600),
    "kiosk_track": (300, 3600),
    "kiosk_track_guess": (100, 3600),
    "kiosk_rate": (120, 3600),
}


@dataclass(frozen=True)
class Limit:
    name: str
    requests: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # Seconds until the window ends, for the Retry-After header.
    retry_after: int


def limit_named(name: str) -> Limit:
    overrides: dict[str, tuple[int, int]] = getattr(settings, "BANCHENGSHI_RATE_LIMITS", {})
    requests, seconds = overrides.get(name) or DEFAULT_LIMITS[name]
    return Limit(name, requests, seconds)


def client_address(request: HttpRequest) -> str:
    """The client's address: an IPv6 client is counted by its /64, the block one
    subscriber usually holds, so that rotating addresses within it does not escape."""
    header = getattr(settings, "BANCHENGSHI_CLIENT_ADDRESS_HEADER", "")
    raw = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For lists every hop; the last one is what our own proxy saw.
    candidate = str(raw).split(",")[-1].strip()
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _count(key: str, window_ends: int, weight: int = 1) -> int | None:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    count, key_column, window = (
        connection.ops.quote_name(c) for c in ("count", "key", "window_ends")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {count} = {count} + %s "
            f"WHERE {key_column} = %s AND {window} = %s RETURNING {count}",
            [weight, key, window_ends],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _window(limit: Limit) -> tuple[int, int]:
    """(now, end of the current window) in Unix seconds."""
    now = int(timezone.now().timestamp())
    return now, (now // limit.seconds + 1) * limit.seconds


def peek(limit: Limit, address: str) -> Verdict:
    """Whether one more request of `address` would be allowed, counting nothing: for limits
    that count only failures (a wrong guess), checked before the attempt."""
    now, window_ends = _window(limit)
    count = (
        RateCounter.objects.filter(key=f"{limit.name}:{address}", window_ends=window_ends)
        .values_list("count", flat=True)
        .first()
    ) or 0
    return Verdict(allowed=count < limit.requests, retry_after=max(1, window_ends - now))


def hit(limit: Limit, address: str, *, weight: int = 1) -> Verdict:
    """Count one request of `address` against `limit`, as `weight` requests: allowed while
    the address had some of the limit left before it."""
    now, window_ends = _window(limit)
    key = f"{limit.name}:{address}"
    with transaction.atomic():
        count = _count(key, window_ends, weight)
        if count is None:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_ends=window_ends, count=weight)
                count = weight
            except IntegrityError:  # another worker started the window meanwhile
                count = _count(key, window_ends, weight)
            RateCounter.objects.filter(window_ends__lte=now).delete()
    before = (count or weight) - weight
    return Verdict(allowed=before < limit.requests, retry_after=max(1, window_ends - now))


def give_back(limit: Limit, address: str, *, weight: int = 1) -> None:
    """Uncount what `hit` counted, for a request that turned out not to count (a right
    answer): one UPDATE, so concurrent hits and give-backs of one address add up exactly."""
    _now, window_ends = _window(limit)
    RateCounter.objects.filter(key=f"{limit.name}:{address}", window_ends=window_ends).update(
        count=F("count") - weight
    )


def too_many_requests(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    return HttpResponse(
        _("Too many requests from your address; try again in %(seconds)d seconds.")
        % {"seconds": verdict.retry_after},
        status=429,
        content_type="text/plain; charset=utf-8",
    )


Refusal = Callable[[HttpRequest, Verdict], HttpResponse]
View = Callable[..., HttpResponse]


def rate_limited(name: str, refuse: Refusal = too_many_requests) -> Callable[[View], View]:
    """A view decorator: over the limit, `refuse` answers (429 with Retry-After) instead of
    the view."""

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            verdict = hit(limit_named(name), client_address(request))
            if not verdict.allowed:
                response = refuse(request, verdict)
                response["Retry-After"] = str(verdict.retry_after)
                return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
