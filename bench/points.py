"""The public service points at 50 and at 5,000 points, in the same run (R-NB-1).

In the bench's database (an in-memory SQLite unless DATABASE_URL names another; migrated
here), a district of STREETS acceptance centers gets SMALL points in service, each with
coordinates and three matters, spread over the streets; the pages are measured through the
full middleware stack (Django's test client, DEBUG off), REPEAT times each after a warm-up;
then the points are brought to LARGE and measured again:

- page: /points/, the first page of the list (50 points by street) and the schematic;
- page_street: /points/?street=…, one street's first page (at SMALL the street has
  SMALL/STREETS points, less than a page; at LARGE a full page of 50: its ratio is that of
  the page's size, see `bytes`);
- geojson: /api/v1/service-points.geojson, every point with coordinates, as most readers
  get it: the body kept in the cache under its ETag (one aggregate query, then the bytes);
- geojson_cold: the same with the cache emptied before each request: the collection built
  (two queries) and serialised; it grows with the points, its time per feature is the figure
  to compare;
- geojson_street: one street's (cached).

Figures: p50/p95 in ms, query counts, and the ratio large/small per measurement. The list
pages read one page through indexes and should cost about the same at any size (aim: below
1.5, the schematic's GROUP BY over the points in service is the part that grows); the
GeoJSON grows with what it returns, so its ratio is compared with LARGE/SMALL and its cost
per feature is reported. The rate limit is lifted for the bench (one counter UPDATE still
runs per request, at both sizes).

Environment: BENCH_POINTS_SMALL (50), BENCH_POINTS_LARGE (5000), BENCH_POINTS_REPEAT (50).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

NAME = "points"
SMALL = int(os.environ.get("BENCH_POINTS_SMALL", "50"))
LARGE = int(os.environ.get("BENCH_POINTS_LARGE", "5000"))
REPEAT = int(os.environ.get("BENCH_POINTS_REPEAT", "50"))
WARMUP = 5
STREETS = 10
MEASUREMENTS = ("page", "page_street", "geojson", "geojson_cold", "geojson_street")


def _district() -> list[Any]:
    from banchengshi.catalog.models import Matter
    from banchengshi.org.actions import do_create_unit
    from banchengshi.org.models import UnitKind

    centers = [
        do_create_unit(f"BENCH-SQ-{i}", f"第{i}街道社区事务受理服务中心", UnitKind.CENTER)
        for i in range(STREETS)
    ]
    Matter.objects.bulk_create(
        [Matter(code=f"BENCH-M-{i}", name=f"远程事项{i}", remote=True) for i in range(12)]
    )
    return centers


def _add_points(centers: list[Any], start: int, stop: int) -> None:
    """Points start..stop-1, in bulk: the units under their centers, their rows, matters."""
    from django.utils import timezone

    from banchengshi.catalog.models import Matter
    from banchengshi.neighborhood.points.models import PointKind, PointStatus, ServicePoint
    from banchengshi.org.models import Unit, UnitKind

    matters = list(Matter.objects.filter(code__startswith="BENCH-M-").values_list("pk", flat=True))
    now = timezone.now()
    for first in range(start, stop, 1000):
        numbers = range(first, min(first + 1000, stop))
        units = Unit.objects.bulk_create(
            [
                Unit(
                    code=f"BENCH-SP-{n}",
                    name=f"第{n}服务点",
                    kind=UnitKind.SERVICE_POINT,
                    parent=centers[n % STREETS],
                    path="",
                )
                for n in numbers
            ]
        )
        if any(unit.pk is None for unit in units):  # a backend without RETURNING
            by_code = dict(
                Unit.objects.filter(code__in=[u.code for u in units]).values_list("code", "pk")
            )
            for unit in units:
                unit.pk = by_code[unit.code]
        for unit, n in zip(units, numbers, strict=True):
            unit.path = f"{centers[n % STREETS].path}{unit.pk}/"
        Unit.objects.bulk_update(units, ["path"])
        points = ServicePoint.objects.bulk_create(
            [
                ServicePoint(
                    unit=unit,
                    center=centers[n % STREETS],
                    kind=PointKind.RESIDENTS_COMMITTEE,
                    address=f"某路{n}号",
                    latitude=Decimal("31.2") + Decimal(n % 997) / 10000,
                    longitude=Decimal("121.4") + Decimal(n % 991) / 10000,
                    opening_hours="周一至周五 9:00-17:00",
                    status=PointStatus.OPEN,
                    updated_at=now,
                )
                for unit, n in zip(units, numbers, strict=True)
            ]
        )
        if any(point.pk is None for point in points):
            by_unit = dict(ServicePoint.objects.filter(unit__in=units).values_list("unit_id", "pk"))
            for point in points:
                point.pk = by_unit[point.unit_id]
        through = ServicePoint.matters.through
        through.objects.bulk_create(
            [
                through(servicepoint_id=point.pk, matter_id=matters[(point.pk + k) % len(matters)])
                for point in points
                for k in range(3)
            ]
        )


def _measure(client: Any, url: str, *, cold: bool = False) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    samples = []
    size = 0
    for _ in range(REPEAT):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "queries": len(queries.captured_queries),
        "bytes": size,
    }


def _measure_all(centers: list[Any], count: int) -> dict[str, Any]:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    street = centers[0].pk
    figures = {
        "page": _measure(client, "/points/"),
        "page_street": _measure(client, f"/points/?street={street}"),
        "geojson": _measure(client, "/api/v1/service-points.geojson"),
        "geojson_cold": _measure(client, "/api/v1/service-points.geojson", cold=True),
        "geojson_street": _measure(client, f"/api/v1/service-points.geojson?street={street}"),
    }
    for name in ("geojson", "geojson_cold", "geojson_street"):
        features = count if name != "geojson_street" else (count + STREETS - 1) // STREETS
        figures[name]["features"] = features
        figures[name]["us_per_feature_p50"] = round(figures[name]["p50_ms"] * 1000 / features, 1)
    return figures


def run() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        BANCHENGSHI_RATE_LIMITS={"public_read": (10**9, 300)},
        BANCHENGSHI_MAP_TILE_URL="",
    ):
        centers = _district()
        _add_points(centers, 0, SMALL)
        small = _measure_all(centers, SMALL)
        _add_points(centers, SMALL, LARGE)
        large = _measure_all(centers, LARGE)
    ratios = {
        f"{name}.{stat[:3]}": round(large[name][stat] / small[name][stat], 2)
        if small[name][stat]
        else 0.0
        for name in MEASUREMENTS
        for stat in ("p50_ms", "p95_ms")
    }
    return {
        "engine": connection.vendor,
        "sizes": [SMALL, LARGE],
        "repeat": REPEAT,
        str(SMALL): small,
        str(LARGE): large,
        "ratio_large_to_small": ratios,
        "points_ratio": round(LARGE / SMALL, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    import json

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    print(json.dumps({"name": NAME, **run()}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
