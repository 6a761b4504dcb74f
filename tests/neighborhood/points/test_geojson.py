"""GET /api/v1/service-points.geojson: an RFC 7946 FeatureCollection of the points in
service that have coordinates, public, cacheable."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from banchengshi.neighborhood.points.actions import check_change_point, check_change_status
from banchengshi.neighborhood.points.checks import clean_details
from tests.cases.conftest import FrozenTime
from tests.neighborhood.points.conftest import TODAY, Points, details

URL = "/api/v1/service-points.geojson"


def fetch(**params: Any) -> tuple[Any, dict[str, Any]]:
    response = Client().get(URL, params)
    return response, json.loads(response.content) if response.status_code == 200 else {}


def test_it_is_a_feature_collection_of_points_in_service(points: Points) -> None:
    response, body = fetch()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert set(body) == {"type", "features"}
    assert body["type"] == "FeatureCollection"
    # P2 has no coordinates, Q2 is planned: only P1.
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == points.p1.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [121.4052, 31.2451]}
    assert feature["properties"] == {
        "id": points.p1.pk,
        "name": "曹杨一村服务站",
        "kind": "residents_committee",
        "status": "open",
        "street": "曹杨新村街道社区事务受理服务中心",
        "center": {"id": points.s1.pk, "name": "曹杨新村街道社区事务受理服务中心"},
        "address": "兰溪路100号",
        "opening_hours": "周一至周五 9:00-17:00",
        "matters": [{"code": "M-H", "name": "社保卡补办"}],
    }


def test_coordinates_are_longitude_then_latitude_in_range(
    points: Points, frozen_time: FrozenTime
) -> None:
    fetch()
    frozen_time.advance(seconds=1)
    check_change_point(
        points.admin,
        points.p2.pk,
        details=clean_details(**details("桃浦新村服务点", latitude="-33.9", longitude="151.2")),
    )
    _, body = fetch()
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90
    assert [f["geometry"]["coordinates"] for f in body["features"]] == [
        [121.4052, 31.2451],
        [151.2, -33.9],
    ]


def test_it_is_public_and_cacheable_until_a_point_changes(
    points: Points, frozen_time: FrozenTime
) -> None:
    first, _ = fetch()
    assert "public" in first["Cache-Control"]
    assert "max-age=300" in first["Cache-Control"]
    again = Client().get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    frozen_time.advance(seconds=1)
    check_change_status(
        points.admin, points.p1.pk, status="closed", effective_on=TODAY, reason="搬迁"
    )
    changed = Client().get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert json.loads(changed.content)["features"] == []


def test_a_street_keeps_its_own(points: Points) -> None:
    _, body = fetch(street=points.s2.pk)
    assert body["features"] == []


def test_bad_street_is_refused_as_json(points: Points) -> None:
    for value in ("abc", "0", "99999999999999999999"):
        response = Client().get(URL, {"street": value})
        assert response.status_code == 422
        assert json.loads(response.content)["field"] == "street"
