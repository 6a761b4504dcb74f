"""Service points for the "随申办" government map and other systems (R-NB-1): the points in
service as GeoJSON. Public (no token), cacheable, rate-limited per address like the public
pages."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from ninja import P, QueryEx, Router

from banchengshi.api.errors import error_body
from banchengshi.api.schemas.base import ERRORS
from banchengshi.intake.ratelimit import client_address, hit, limit_named
from banchengshi.neighborhood.points.selectors import fingerprint, geojson

router = Router(tags=["service points"])
GEOJSON = "application/geo+json"
MAX_AGE = 300


@router.get(
    "/service-points.geojson",
    auth=None,
    response={200: None, **ERRORS},
    summary="Service points in service (GeoJSON)",
    url_name="service_points_geojson",
    openapi_extra={
        "responses": {200: {"description": "FeatureCollection", "content": {GEOJSON: {}}}}
    },
)
def service_points(
    request: HttpRequest,
    street: QueryEx[int | None, P(ge=1, le=2**31 - 1, description="the center's id")] = None,
) -> HttpResponse:
    """A FeatureCollection (RFC 7946) of the open points (open, or open with changed details):
    WGS-84 coordinates in [longitude, latitude] order; properties id, name, kind, status,
    street and center (the acceptance center the point connects to), address,
    opening_hours, matters (code, name). Points without coordinates are left out (the public
    list at /points/ has them). `street` keeps one center's points."""
    verdict = hit(limit_named("public_read"), client_address(request))
    if not verdict.allowed:
        response = HttpResponse(
            json.dumps(
                error_body("throttled", _("Too many requests; please try again in a while."))
            ),
            status=429,
            content_type="application/json",
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    etag = f'"{fingerprint()}-{street or 0}"'
    cached = get_conditional_response(request, etag=etag)
    if cached is not None:
        return _cacheable(cached, etag)
    # Kept per process under its ETag: a changed point changes the key, so nothing stale is
    # served, and the many readers of an unchanged map cost one aggregate query each.
    key = f"service-points-geojson:{etag}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(geojson(center_id=street), ensure_ascii=False, separators=(",", ":"))
        cache.set(key, body, MAX_AGE)
    return _cacheable(HttpResponse(body, content_type=GEOJSON), etag)


def _cacheable(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
