"""Behind the HTTPS proxy (deploy/nginx/banchengshi.conf): with the environment of
deploy/systemd/banchengshi.env, a request the proxy marks X-Forwarded-Proto: https gets HSTS
and Secure cookies; one without the header is plain HTTP to Django and gets no HSTS.

The settings are read from the environment when settings.py runs, so the file is run here
with the production variables and what it sets is applied to the test's settings."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import banchengshi.settings
from tests.cases.conftest import Org

PROXY_ENVIRONMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "test-secret-key-for-the-proxy-settings",
    "ALLOWED_HOSTS": "bcs.example.gov.cn",
    "BANCHENGSHI_TRUST_PROXY_PROTO": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
}
APPLIED = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "ALLOWED_HOSTS",
)
PASSWORD = "right-password-123"


def production_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **environment: str
) -> dict[str, Any]:
    monkeypatch.setenv("BANCHENGSHI_VAR_DIR", str(tmp_path))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(banchengshi.settings.__file__)))


@pytest.fixture
def behind_proxy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any) -> None:
    values = production_settings(monkeypatch, tmp_path, **PROXY_ENVIRONMENT)
    for name in APPLIED:
        setattr(settings, name, values[name])


def sign_in(org: Org, headers: dict[str, str] | None = None) -> Any:
    org.clerk.set_password(PASSWORD)
    org.clerk.save()
    client = Client(headers={"Host": "bcs.example.gov.cn", **(headers or {})})
    page = client.get(reverse("web:login"))
    response = client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return page, response


def test_the_environment_sets_the_proxy_header_hsts_and_secure_cookies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = production_settings(monkeypatch, tmp_path, **PROXY_ENVIRONMENT)
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert (values["SECURE_HSTS_SECONDS"], values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (
        31536000,
        True,
    )
    assert (values["SESSION_COOKIE_SECURE"], values["CSRF_COOKIE_SECURE"]) == (True, True)
    # Without the variable the header is not trusted: a client could send it itself.
    plain = production_settings(
        monkeypatch, tmp_path, BANCHENGSHI_TRUST_PROXY_PROTO="0", SECURE_HSTS_SECONDS="0"
    )
    assert "SECURE_PROXY_SSL_HEADER" not in plain
    assert plain["SECURE_HSTS_SECONDS"] == 0


def test_https_through_the_proxy_gets_hsts_and_secure_cookies(org: Org, behind_proxy: None) -> None:
    page, signed_in = sign_in(org, {"X-Forwarded-Proto": "https"})
    for response in (page, signed_in):
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.cookies["csrftoken"]["secure"] is True
    assert signed_in.cookies["sessionid"]["secure"] is True
    assert signed_in.cookies["sessionid"]["httponly"] is True


def test_without_the_proxy_header_the_request_is_plain_http_and_gets_no_hsts(
    org: Org, behind_proxy: None
) -> None:
    page, signed_in = sign_in(org)
    for response in (page, signed_in):
        assert "Strict-Transport-Security" not in response
    # The cookies stay Secure (DEBUG=0): a browser keeps them off plain HTTP altogether.
    assert signed_in.cookies["sessionid"]["secure"] is True


def test_a_forged_header_is_not_trusted_without_the_setting(
    org: Org, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = production_settings(
        monkeypatch, tmp_path, **{**PROXY_ENVIRONMENT, "BANCHENGSHI_TRUST_PROXY_PROTO": "0"}
    )
    for name in APPLIED:
        if name in values:
            setattr(settings, name, values[name])
    settings.SECURE_PROXY_SSL_HEADER = None
    page, _ = sign_in(org, {"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in page
