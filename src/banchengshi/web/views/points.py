"""The public service points (R-NB-1, R-Q-2): `/points/`, the points in service by street —
a plain list that needs no JavaScript, a schematic of the streets, and a Leaflet map over the
configured tiles when there are any — and one point's page. What the map draws comes from
the public GeoJSON (`/api/v1/service-points.geojson`)."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from banchengshi.errors import NotFound
from banchengshi.ids import parse_number
from banchengshi.neighborhood.points.selectors import public_point, public_points, streets
from banchengshi.web.params import page_number
from banchengshi.web.public import PORTAL, page, public_view

PER_PAGE = 50


def map_config() -> dict[str, str] | None:
    """What the page's script needs to draw the map; None without a tile URL."""
    tiles = settings.BANCHENGSHI_MAP_TILE_URL
    if not tiles:
        return None
    return {
        "tiles": tiles,
        "attribution": settings.BANCHENGSHI_MAP_ATTRIBUTION,
        "subdomains": settings.BANCHENGSHI_MAP_SUBDOMAINS,
        "geojson": reverse("api_v1:service_points_geojson"),
    }


def tile_origin(template: str) -> str | None:
    """The tile server's origin for the page's img-src ({s} subdomains: any subdomain)."""
    parts = urlsplit(template)
    host = parts.netloc.replace("{s}.", "*.").replace("{s}", "*")
    return f"{parts.scheme}://{host}" if parts.scheme and host else None


@public_view("public_read")
@require_GET
def points(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("street", "")
    street = parse_number(raw) if raw else None
    counts = streets()
    chosen = next((row for row in counts if row.center.pk == street), None)
    found = public_points(center_id=chosen.center.pk if chosen else None)
    current = Paginator(found, PER_PAGE).get_page(page_number(request.GET))
    groups = [(center, list(rows)) for center, rows in groupby(current, key=lambda p: p.center)]
    context = {
        "streets": counts,
        "chosen": chosen,
        "page": current,
        "groups": groups,
        "map": map_config(),
    }
    response = page(request, PORTAL, "web/public_points.html", context)
    origin = tile_origin(settings.BANCHENGSHI_MAP_TILE_URL)
    if origin:
        # django-csp merges this into the policy of this response only.
        response._csp_update = {"img-src": [origin]}  # type: ignore[attr-defined]
    return response


@public_view("public_read")
@require_GET
def point(request: HttpRequest, point_id: str) -> HttpResponse:
    number = parse_number(point_id)
    if number is None:
        raise NotFound(_("This service point is not open."))
    return page(request, PORTAL, "web/public_point.html", {"point": public_point(number)})
