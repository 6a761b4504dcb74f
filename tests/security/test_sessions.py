"""Session idle timeout and absolute lifetime (web.session_guard), with a frozen clock."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from banchengshi.audit.models import AuditEvent
from tests.cases.conftest import FrozenTime, Org
from tests.security.conftest import PASSWORD, with_password

WORKLIST = reverse("web:worklist")


def _signed_in(org: Org) -> Client:
    with_password(org.clerk)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert (
        client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_thirty_idle_minutes_sign_the_session_out(org: Org, frozen_time: FrozenTime) -> None:
    client = _signed_in(org)
    frozen_time.advance(minutes=29, seconds=59)
    assert client.get(WORKLIST).status_code == 200
    # Activity moves the idle clock: another 29 minutes are fine.
    frozen_time.advance(minutes=29)
    assert client.get(WORKLIST).status_code == 200
    frozen_time.advance(minutes=30, seconds=1)
    response = client.get(WORKLIST)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next=%2Fstaff%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert (event.actor_id, event.payload) == (
        org.clerk.pk,
        {"reason": "idle", "address": "127.0.0.1"},
    )


def test_the_idle_timeout_is_a_setting(org: Org, frozen_time: FrozenTime, settings: Any) -> None:
    settings.BANCHENGSHI_SESSION_IDLE_MINUTES = 5
    client = _signed_in(org)
    frozen_time.advance(minutes=5, seconds=1)
    assert client.get(WORKLIST).status_code == 302


def test_a_session_ends_twelve_hours_after_sign_in_however_active(
    org: Org, frozen_time: FrozenTime
) -> None:
    client = _signed_in(org)
    for _ in range(47):
        frozen_time.advance(minutes=15)
        assert client.get(WORKLIST).status_code == 200
    frozen_time.advance(minutes=15, seconds=1)
    response = client.get(WORKLIST)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out: a session lasts at most 12 hours." in page


def test_the_session_cookie_lasts_the_absolute_lifetime(org: Org) -> None:
    client = _signed_in(org)
    assert client.cookies["sessionid"]["max-age"] == 12 * 3600
    assert client.cookies["sessionid"]["httponly"] is True


def test_an_expired_session_on_the_api_is_answered_401(org: Org, frozen_time: FrozenTime) -> None:
    client = _signed_in(org)
    frozen_time.advance(minutes=31)
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has ended; sign in again."}


def test_htmx_is_sent_to_the_sign_in_page_as_a_whole(org: Org, frozen_time: FrozenTime) -> None:
    client = _signed_in(org)
    frozen_time.advance(minutes=31)
    response = client.get(WORKLIST, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('web:login')}?next=%2Fstaff%2F"


def test_the_bells_polling_does_not_keep_an_idle_session(org: Org, frozen_time: FrozenTime) -> None:
    client = _signed_in(org)
    bell = reverse("web:notifications_bell")
    for _ in range(60):
        frozen_time.advance(seconds=30)
        assert client.get(bell, HTTP_HX_REQUEST="true").status_code == 200
    frozen_time.advance(seconds=1)
    assert client.get(bell, HTTP_HX_REQUEST="true")["HX-Redirect"].startswith(reverse("web:login"))
