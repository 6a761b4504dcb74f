"""Security headers on every page (the URL walk of tests/web/test_no_server_error.py): a
Content-Security-Policy with no inline script and no framing, nosniff, a referrer policy."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from tests.cases.conftest import CaseBuilder, Org
from tests.web.test_no_server_error import ROUTES, paths

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "banchengshi"


def _assert_headers(response: object, path: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = headers.get("Content-Security-Policy", "")
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert directives.get("script-src") == "'self'", (path, policy)
    assert directives.get("frame-ancestors") == "'none'", (path, policy)
    assert directives.get("object-src") == "'none'", (path, policy)
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("Referrer-Policy") == "same-origin", path
    assert headers.get("X-Frame-Options") == "DENY", path


def test_every_page_sends_the_security_headers(org: Org, cases: CaseBuilder) -> None:
    case = cases.awaiting()
    everyone = User.objects.create_user("everyone", is_staff=True, is_superuser=True)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(everyone)
    anonymous = Client(raise_request_exception=False)
    asked = 0
    for route in ROUTES:
        path = next(paths(route, case.pk))
        for client in (anonymous, signed_in):
            _assert_headers(client.get(path), path)
            asked += 1
    assert asked > 200


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    """What the policy would block in the browser, caught before: a <script> without src, or
    an on…= attribute, in any template of the project."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = [
        str(template.relative_to(TEMPLATES))
        for template in TEMPLATES.rglob("templates/**/*.html")
        if inline_script.search(text := template.read_text(encoding="utf-8"))
        or handler.search(text)
    ]
    assert found == []


def _img_src(response: object) -> str:
    policy = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    return next(part.strip() for part in policy.split(";") if "img-src" in part)


def test_only_the_map_page_may_load_images_from_the_tile_server(
    db: None, client: Client, settings: object
) -> None:
    """The tile server is read when the page is asked for, so a changed setting is followed
    without a restart; every other page keeps images to this site."""
    settings.BANCHENGSHI_MAP_TILE_URL = "https://{s}.tiles.example.cn/{z}/{x}/{y}.png"  # type: ignore[attr-defined]
    assert _img_src(client.get("/points/")) == "img-src 'self' data: https://*.tiles.example.cn"
    assert _img_src(client.get("/faq/")) == "img-src 'self' data:"
    settings.BANCHENGSHI_MAP_TILE_URL = ""  # type: ignore[attr-defined]
    assert _img_src(client.get("/points/")) == "img-src 'self' data:"
