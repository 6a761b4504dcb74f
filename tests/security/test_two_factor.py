"""TOTP two-factor sign-in for system and office administrators (org.two_factor), with real
codes computed for the frozen clock."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from banchengshi.audit.models import AuditEvent
from banchengshi.org.login_guard import MAX_FAILURES
from banchengshi.org.models import LoginLock, TwoFactorDevice
from tests.cases.conftest import FrozenTime, Org
from tests.security.conftest import PASSWORD, with_password

WORKLIST = reverse("web:worklist")
CODE_PAGE = reverse("web:two_factor")
ENROL = reverse("web:two_factor_enrol")


@pytest.fixture(autouse=True)
def _required(settings: Any) -> None:
    settings.BANCHENGSHI_TWO_FACTOR_REQUIRED = True


def _sign_in(name: str, password: str = PASSWORD) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("web:login"), {"username": name, "password": password})
    assert response.status_code == 302
    return client


def _code(secret: str, at: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def _enrolled(org: Org, frozen_time: FrozenTime) -> str:
    """The office administrator with a confirmed authenticator; its secret."""
    with_password(org.officeadmin)
    client = _sign_in("officeadmin")
    page = client.get(ENROL).content.decode()
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7]+)</code>', page)[1]  # type: ignore[index]
    assert client.post(ENROL, {"code": _code(secret, frozen_time())}).status_code == 200
    client.post(reverse("web:logout"))
    frozen_time.advance(seconds=30)
    return secret


def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(
    org: Org, frozen_time: FrozenTime
) -> None:
    with_password(org.officeadmin)
    client = _sign_in("officeadmin")
    response = client.get(WORKLIST)
    assert response["Location"] == f"{ENROL}?next=%2Fstaff%2F"
    # Nor does the API know the session yet.
    assert client.get("/api/v1/worklist").status_code == 401
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7]{32})</code>', page)[1]  # type: ignore[index]
    wrong = client.post(ENROL, {"code": "000000", "next": "/staff/"})
    assert wrong.status_code == 422
    assert "The code is wrong." in wrong.content.decode()
    # The secret on the screen stays the one to confirm after a wrong code.
    assert TwoFactorDevice.objects.get(user=org.officeadmin).secret == secret
    done = client.post(ENROL, {"code": _code(secret, frozen_time()), "next": "/staff/"})
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get(WORKLIST).status_code == 200
    assert AuditEvent.objects.filter(
        action="auth.two_factor_enrolled", actor=org.officeadmin
    ).exists()


def test_an_enrolled_administrator_needs_the_current_code(
    org: Org, frozen_time: FrozenTime
) -> None:
    secret = _enrolled(org, frozen_time)
    client = _sign_in("officeadmin")
    assert client.get(WORKLIST)["Location"] == f"{CODE_PAGE}?next=%2Fstaff%2F"
    # A code of ten minutes ago is no good.
    old = client.post(CODE_PAGE, {"code": _code(secret, frozen_time() - dt.timedelta(minutes=10))})
    assert old.status_code == 401
    assert "The code is wrong or was already used." in old.content.decode()
    right = client.post(CODE_PAGE, {"code": _code(secret, frozen_time()), "next": "/staff/"})
    assert right.status_code == 302
    assert right["Location"] == "/staff/"
    assert client.get(WORKLIST).status_code == 200
    assert client.get("/api/v1/worklist").status_code == 200


def test_a_code_works_once(org: Org, frozen_time: FrozenTime) -> None:
    secret = _enrolled(org, frozen_time)
    code = _code(secret, frozen_time())
    first = _sign_in("officeadmin")
    assert first.post(CODE_PAGE, {"code": code}).status_code == 302
    second = _sign_in("officeadmin")
    assert second.post(CODE_PAGE, {"code": code}).status_code == 401


def test_a_phone_thirty_seconds_off_is_accepted(org: Org, frozen_time: FrozenTime) -> None:
    secret = _enrolled(org, frozen_time)
    client = _sign_in("officeadmin")
    late = _code(secret, frozen_time() + dt.timedelta(seconds=30))
    assert client.post(CODE_PAGE, {"code": late}).status_code == 302


def test_a_recovery_code_signs_in_once(org: Org, frozen_time: FrozenTime) -> None:
    with_password(org.officeadmin)
    client = _sign_in("officeadmin")
    secret = re.search(
        r'<code id="two-factor-secret">([A-Z2-7]+)</code>', client.get(ENROL).content.decode()
    )[1]  # type: ignore[index]
    done = client.post(ENROL, {"code": _code(secret, frozen_time())})
    recovery = re.findall(r"<li><code>([0-9a-f-]+)</code></li>", done.content.decode())[0]
    again = _sign_in("officeadmin")
    assert again.post(CODE_PAGE, {"code": recovery.upper()}).status_code == 302
    event = AuditEvent.objects.filter(action="auth.two_factor_passed").latest("seq")
    assert event.payload == {"method": "recovery_code", "left": 9, "address": "127.0.0.1"}
    third = _sign_in("officeadmin")
    assert third.post(CODE_PAGE, {"code": recovery}).status_code == 401


def test_wrong_codes_lock_the_name_like_wrong_passwords(org: Org, frozen_time: FrozenTime) -> None:
    _enrolled(org, frozen_time)
    client = _sign_in("officeadmin")
    for _ in range(MAX_FAILURES - 1):
        assert client.post(CODE_PAGE, {"code": "123456"}).status_code == 401
    locked = client.post(CODE_PAGE, {"code": "123456"})
    assert locked["Location"] == reverse("web:login")
    assert "_auth_user_id" not in client.session
    assert LoginLock.objects.get(username="officeadmin").locked_until is not None
    refused = Client().post(reverse("web:login"), {"username": "officeadmin", "password": PASSWORD})
    assert refused.status_code == 401


def test_a_clerk_is_not_asked(org: Org) -> None:
    with_password(org.clerk)
    assert _sign_in("clerk").get(WORKLIST).status_code == 200


def test_the_admin_site_holds_an_administrator_at_the_second_step(
    org: Org, frozen_time: FrozenTime
) -> None:
    secret = _enrolled(org, frozen_time)
    org.officeadmin.is_staff = True
    org.officeadmin.save()
    client = Client()
    signed = client.post(
        reverse("admin:login"), {"username": "officeadmin", "password": PASSWORD, "next": "/admin/"}
    )
    assert signed.status_code == 302
    held = client.get("/admin/")
    assert held["Location"] == f"{CODE_PAGE}?next=%2Fadmin%2F"
    client.post(CODE_PAGE, {"code": _code(secret, frozen_time())})
    assert client.get("/admin/").status_code == 200


def test_not_required_an_administrator_signs_in_with_the_password(org: Org, settings: Any) -> None:
    settings.BANCHENGSHI_TWO_FACTOR_REQUIRED = False
    with_password(org.sysadmin)
    assert _sign_in("sysadmin").get(WORKLIST).status_code == 200
