"""The public points: /points/ lists the points in service by street (no JavaScript needed,
elderly mode too), the map only with a tile URL, a point's page; never a planned or closed
point; bad input gets a page, never a server error."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from banchengshi.neighborhood.points.actions import check_change_point, check_change_status
from banchengshi.neighborhood.points.checks import clean_details
from banchengshi.neighborhood.points.models import ServicePoint
from tests.neighborhood.points.conftest import TODAY, Points, details

TILES = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"


def get(path: str, **params: str) -> tuple[int, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(path, params)
    return response.status_code, response.content.decode()


def test_it_lists_points_in_service_by_street(points: Points) -> None:
    status, page = get("/points/")
    assert status == 200
    assert "曹杨一村服务站" in page
    assert "桃浦新村服务点" in page
    assert "桃浦园区服务点" not in page  # planned
    assert page.index("曹杨新村街道社区事务受理服务中心") < page.index("曹杨一村服务站")
    assert "社保卡补办" in page  # the matter it serves by video
    assert "points-map" not in page
    assert "leaflet" not in page
    assert "Points by street (schematic)" in page


def test_a_street_keeps_its_own_points(points: Points) -> None:
    _, page = get("/points/", street=str(points.s2.pk))
    assert "桃浦新村服务点" in page
    assert "曹杨一村服务站" not in page


def test_a_closed_point_leaves_the_public_pages(points: Points) -> None:
    check_change_status(
        points.admin, points.p1.pk, status="closed", effective_on=TODAY, reason="搬迁"
    )
    _, page = get("/points/")
    assert "曹杨一村服务站" not in page
    assert get(f"/points/{points.p1.pk}/")[0] == 404


def test_a_changed_point_stays_with_a_note(points: Points) -> None:
    check_change_status(
        points.admin, points.p1.pk, status="changed", effective_on=TODAY, reason="开放时间调整"
    )
    _, page = get("/points/")
    assert "曹杨一村服务站" in page
    assert "details changed recently" in page


def test_a_points_page(points: Points) -> None:
    status, page = get(f"/points/{points.p1.pk}/")
    assert status == 200
    assert "兰溪路100号" in page
    assert "31.245100, 121.405200" in page
    assert get(f"/points/{points.q2.pk}/")[0] == 404


@override_settings(BANCHENGSHI_MAP_TILE_URL=TILES, BANCHENGSHI_MAP_ATTRIBUTION="© 区规划资源局")
def test_the_map_comes_with_a_tile_url(points: Points) -> None:
    _, page = get("/points/")
    assert 'data-tiles="http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"' in page
    assert "/static/web/vendor/leaflet-1.9.4/leaflet.js" in page
    assert 'data-geojson="/api/v1/service-points.geojson"' in page
    assert "曹杨一村服务站" in page  # the list stays


def test_the_elderly_mode(points: Points) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.cookies["bcs_elder"] = "1"
    page = client.get("/points/").content.decode()
    assert 'class="public elder"' in page
    assert "曹杨一村服务站" in page


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/points/", {"street": "abc"}, 200),
        ("/points/", {"street": "99999999999999999999"}, 200),
        ("/points/", {"page": "-1"}, 200),
        ("/points/", {"street": "１２"}, 200),
        ("/points/x/", {}, 404),
        ("/points/99999999999999999999/", {}, 404),
        ("/points/%00/", {}, 400),
        ("/points/", {"street": "1\x00"}, 400),
    ],
)
def test_bad_input_gets_a_page(
    points: Points, path: str, params: dict[str, str], status: int
) -> None:
    assert get(path, **params)[0] == status


def test_it_costs_the_same_queries_for_more_points(points: Points) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            assert get("/points/")[0] == 200
        return len(done)

    queries()  # the first request of an address creates its rate counter
    before = queries()
    ServicePoint.objects.filter(pk=points.q2.pk).update(status="open")
    check_change_point(
        points.admin,
        points.q2.pk,
        details=clean_details(
            **details("桃浦园区服务点", matter_ids=[points.org.matter_h.pk, points.org.matter_a.pk])
        ),
    )
    assert queries() == before
