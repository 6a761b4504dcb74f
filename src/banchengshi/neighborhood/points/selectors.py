"""Reads of service points: the staff's list (open faults and last inspection per row, by
subqueries on indexes), one point's page, the public list of points in service by street and
its GeoJSON (RFC 7946)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from banchengshi.catalog.models import Matter
from banchengshi.errors import NotFound
from banchengshi.neighborhood.points.access import may_see, visible_points
from banchengshi.neighborhood.points.models import (
    IN_SERVICE,
    Equipment,
    Fault,
    Inspection,
    PointEvent,
    ServicePoint,
)
from banchengshi.org.models import Unit
from banchengshi.org.scope import Scope

HISTORY_SHOWN = 50
INSPECTIONS_SHOWN = 20
DOTS_SHOWN = 30


def staff_points(scope: Scope, *, status: str = "") -> QuerySet[ServicePoint]:
    """The person's points, each with its open faults and last inspection day."""
    faults = (
        Fault.objects.filter(point=OuterRef("pk"), repaired_on__isnull=True)
        .order_by()
        .values("point")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = Inspection.objects.filter(point=OuterRef("pk")).order_by("-inspected_on", "-id")
    points = visible_points(scope).select_related("unit", "center")
    if status:
        points = points.filter(status=status)
    return points.annotate(
        open_faults=Coalesce(Subquery(faults, output_field=IntegerField()), 0),
        last_inspected=Subquery(last.values("inspected_on")[:1]),
    ).order_by("center__name", "unit__name", "pk")


@dataclass
class PointView:
    point: ServicePoint
    devices: list[Equipment]
    removed: list[Equipment]
    matters: list[Matter]
    history: list[PointEvent]
    inspections: list[Inspection]
    open_faults: list[Fault]
    repaired: list[Fault]


def find_point(scope: Scope, point_id: int) -> ServicePoint:
    point = ServicePoint.objects.select_related("unit", "center").filter(pk=point_id).first()
    if point is None or not may_see(scope, point):
        raise NotFound(_("No such service point."))
    return point


def point_view(scope: Scope, point_id: int) -> PointView:
    point = find_point(scope, point_id)
    devices = list(Equipment.objects.filter(point=point).order_by("kind", "serial_number"))
    faults = (
        Fault.objects.filter(point=point).select_related("equipment").order_by("-found_on", "-id")
    )
    return PointView(
        point=point,
        devices=[d for d in devices if d.removed_at is None],
        removed=[d for d in devices if d.removed_at is not None],
        matters=list(point.matters.order_by("code")),
        history=list(
            PointEvent.objects.filter(point=point)
            .select_related("actor")
            .order_by("-id")[:HISTORY_SHOWN]
        ),
        inspections=list(
            Inspection.objects.filter(point=point)
            .select_related("inspector")
            .prefetch_related(Prefetch("checks__equipment"))
            .order_by("-inspected_on", "-id")[:INSPECTIONS_SHOWN]
        ),
        # At most one open fault per device: all of them; the latest repaired ones.
        open_faults=list(faults.filter(repaired_on__isnull=True)),
        repaired=list(faults.filter(repaired_on__isnull=False)[:INSPECTIONS_SHOWN]),
    )


# --- public -----------------------------------------------------------------------------------


def _public_matters() -> Prefetch[Any]:
    return Prefetch(
        "matters",
        queryset=Matter.objects.filter(is_active=True, is_public=True).order_by("code"),
        to_attr="public_matters",
    )


def public_points(*, center_id: int | None = None) -> QuerySet[ServicePoint]:
    """Points in service, by street (the center's name) then name, each with its public
    matters (one query per page)."""
    points = ServicePoint.objects.filter(status__in=IN_SERVICE)
    if center_id is not None:
        points = points.filter(center_id=center_id)
    return (
        points.select_related("unit", "center")
        .prefetch_related(_public_matters())
        .order_by("center__name", "unit__name", "pk")
    )


@dataclass(frozen=True)
class StreetCount:
    center: Unit
    points: int

    @property
    def dots(self) -> range:
        """The schematic's marks: one per point, up to DOTS_SHOWN."""
        return range(min(self.points, DOTS_SHOWN))


def streets(*, limit: int = 200) -> list[StreetCount]:
    """The schematic: each center with points in service and how many (one GROUP BY on the
    status-and-center index)."""
    counts = dict(
        ServicePoint.objects.filter(status__in=IN_SERVICE)
        .order_by()
        .values("center")
        .annotate(n=Count("pk"))
        .values_list("center", "n")[:limit]
    )
    centers = Unit.objects.filter(pk__in=counts).order_by("name")
    return [StreetCount(center, counts[center.pk]) for center in centers]


def public_point(point_id: int) -> ServicePoint:
    point = public_points().filter(pk=point_id).first()
    if point is None:
        raise NotFound(_("This service point is not open."))
    return point


def fingerprint() -> str:
    """Changes whenever a point is created or changed (every action sets `updated_at`): the
    GeoJSON's ETag, read without building it."""
    seen = ServicePoint.objects.aggregate(
        n=Count("pk"),
        open=Count("pk", filter=Q(status__in=IN_SERVICE)),
        last=Max("updated_at"),
    )
    last = seen["last"].timestamp() if seen["last"] else 0
    return f"{seen['n']}-{seen['open']}-{last:.6f}"


def geojson(*, center_id: int | None = None) -> dict[str, Any]:
    """A FeatureCollection (RFC 7946) of the points in service that have coordinates, in
    WGS-84 [longitude, latitude]; points without coordinates are left out. Two queries (the
    points, their public matters), read as tuples: no model is built per feature."""
    points = ServicePoint.objects.filter(
        status__in=IN_SERVICE, latitude__isnull=False, longitude__isnull=False
    )
    if center_id is not None:
        points = points.filter(center_id=center_id)
    links = ServicePoint.matters.through.objects.filter(
        servicepoint__in=points.values("pk"), matter__is_active=True, matter__is_public=True
    ).order_by("matter__code")
    matters: dict[int, list[dict[str, str]]] = {}
    for point_id, code, name in links.values_list(
        "servicepoint_id", "matter__code", "matter__name"
    ).iterator(chunk_size=2000):
        matters.setdefault(point_id, []).append({"code": code, "name": name})
    # Floats from SQL: a Decimal converter per row would cost more than the rest of a row.
    rows = (
        points.annotate(lon=Cast("longitude", FloatField()), lat=Cast("latitude", FloatField()))
        .order_by("center__name", "unit__name", "pk")
        .values_list(
            "pk",
            "unit__name",
            "kind",
            "status",
            "center_id",
            "center__name",
            "address",
            "opening_hours",
            "lon",
            "lat",
        )
    )
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "id": pk,
                "name": name,
                "kind": kind,
                "status": status,
                "street": center_name,
                "center": {"id": center, "name": center_name},
                "address": address,
                "opening_hours": hours,
                "matters": matters.get(pk, []),
            },
        }
        for pk, name, kind, status, center, center_name, address, hours, lon, lat in rows.iterator(
            chunk_size=2000
        )
    ]
    return {"type": "FeatureCollection", "features": features}
