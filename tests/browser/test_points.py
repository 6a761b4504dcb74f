"""The public service points in a real browser (R-NB-1, R-Q-2): without a tile URL the page
is the list and the schematic by street, and asks nobody for tiles; with one (a local test
tile server here) Leaflet, served from our static files, draws the map, its tiles come from
that server and its markers from the public GeoJSON; the elderly-friendly mode on a phone
keeps the list readable."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, ViewportSize, expect

from tests.browser.conftest import new_context, screenshot, watch
from tests.cases.conftest import Org
from tests.neighborhood.points.conftest import Points, build_points

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SIZE: ViewportSize = {"width": 390, "height": 844}
# A 1×1 transparent PNG: every tile the test server sends.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class TileServer:
    """A local tile server that records the paths asked of it."""

    def __init__(self) -> None:
        asked: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PIXEL)))
                self.end_headers()
                self.wfile.write(PIXEL)

            def log_message(self, *args: Any) -> None:
                pass

        self.asked = asked
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/tiles/{{z}}/{{x}}/{{y}}.png"


@pytest.fixture
def tiles() -> Iterator[TileServer]:
    server = TileServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def points(district: Org) -> Points:
    return build_points(district)


def requests_of(page: Page) -> list[str]:
    seen: list[str] = []

    def record(request: Request) -> None:
        seen.append(request.url)

    page.on("request", record)
    return seen


def test_without_tiles_the_list_and_the_schematic(
    page: Page, live_server: Any, points: Points
) -> None:
    seen = requests_of(page)
    page.goto(f"{live_server.url}/points/")
    expect(page.locator("#points-map")).to_have_count(0)
    expect(page.locator(".street-box")).to_have_count(3)  # all streets + two streets
    expect(page.locator("#points-list")).to_contain_text("曹杨一村服务站")
    expect(page.locator("#points-list")).to_contain_text("桃浦新村服务点")
    expect(page.locator("#points-list")).not_to_contain_text("桃浦园区服务点")
    page.locator(".street-box a", has_text="桃浦镇").click()
    expect(page.locator("#list-title")).to_have_text("桃浦镇社区事务受理服务中心")
    expect(page.locator("#points-list")).not_to_contain_text("曹杨一村服务站")
    page.locator("#points-list a", has_text="桃浦新村服务点").click()
    expect(page.locator("h1")).to_have_text("桃浦新村服务点")
    assert not [url for url in seen if "leaflet" in url or "/tiles/" in url]
    screenshot(page, "points-no-tiles")


def test_with_tiles_the_map_draws_from_the_tile_server(
    page: Page, live_server: Any, points: Points, tiles: TileServer, settings: Any
) -> None:
    settings.BANCHENGSHI_MAP_TILE_URL = tiles.url
    settings.BANCHENGSHI_MAP_ATTRIBUTION = "测试底图"
    seen = requests_of(page)
    page.goto(f"{live_server.url}/points/")
    box = page.locator("#points-map")
    expect(box.locator(".leaflet-tile-loaded").first).to_be_visible()
    # One marker: the second open point has no coordinates, the planned one is not shown.
    expect(box).to_have_attribute("data-points", "1")
    expect(box.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(box.locator(".leaflet-control-attribution")).to_contain_text("测试底图")
    assert tiles.asked
    assert all(re.fullmatch(r"/tiles/\d+/\d+/\d+\.png", path) for path in tiles.asked)
    leaflet = [urlsplit(url).path for url in seen if "leaflet" in url]
    assert "/static/web/vendor/leaflet-1.9.4/leaflet.js" in leaflet
    box.locator(".leaflet-marker-icon").click()
    expect(box.locator(".leaflet-popup")).to_contain_text("曹杨一村服务站")
    expect(page.locator("#points-list")).to_contain_text("桃浦新村服务点")  # the list stays
    screenshot(page, "points-map")


def test_elderly_mode_on_a_phone(browser: Browser, live_server: Any, points: Points) -> None:
    context = new_context(browser, PHONE_SIZE)
    phone = context.new_page()
    problems: list[str] = []
    watch(phone, problems)
    phone.goto(f"{live_server.url}/points/")
    small = phone.locator(".point-card h4").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    phone.locator("#elder-switch").click()
    expect(phone.locator("body")).to_have_class(re.compile(r"\belder\b"))
    large = phone.locator(".point-card h4").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert large > small
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_SIZE["width"]
    expect(phone.locator("#points-list")).to_contain_text("兰溪路100号")
    screenshot(phone, "points-elder-phone")
    context.close()
    assert not problems, problems
