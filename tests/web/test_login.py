"""Sign-in, the lockout after repeated wrong passwords, sign-out and the role-based menu."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from banchengshi.org.login_guard import LOCK_MINUTES, MAX_FAILURES
from banchengshi.org.models import LoginLock
from tests.cases.conftest import FrozenTime, Org
from tests.web.conftest import SignedIn

LOGIN = reverse("web:login")


def _with_password(org: Org) -> User:
    user = org.clerk
    user.set_password("right-password-123")
    user.save()
    return user


def _try(client: Client, password: str, username: str = "clerk") -> str:
    response = client.post(LOGIN, {"username": username, "password": password})
    return response.content.decode()


def test_sign_in_goes_to_the_worklist(org: Org) -> None:
    _with_password(org)
    client = Client()
    response = client.post(LOGIN, {"username": "clerk", "password": "right-password-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:worklist")


def test_next_may_not_leave_the_site(org: Org) -> None:
    _with_password(org)
    response = Client().post(
        LOGIN,
        {"username": "clerk", "password": "right-password-123", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("web:worklist")


def test_wrong_password_says_how_many_attempts_are_left(org: Org) -> None:
    _with_password(org)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(LOGIN, {"username": "clerk", "password": "nope"})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.content.decode()
    assert f"{MAX_FAILURES - 1}" in response.content.decode()


def test_the_account_locks_after_repeated_failures_and_unlocks_later(
    org: Org, frozen_time: FrozenTime
) -> None:
    _with_password(org)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(MAX_FAILURES):
        page = _try(client, "wrong")
    assert "this account is locked" in page
    # Even the right password is refused while locked.
    assert "this account is locked" in _try(client, "right-password-123")
    assert "_auth_user_id" not in client.session
    frozen_time.advance(minutes=LOCK_MINUTES + 1)
    response = client.post(LOGIN, {"username": "clerk", "password": "right-password-123"})
    assert response.status_code == 302
    assert not LoginLock.objects.filter(username="clerk").exists()


def test_a_success_resets_the_count(org: Org) -> None:
    _with_password(org)
    client = Client()
    for _ in range(MAX_FAILURES - 1):
        _try(client, "wrong")
    success = client.post(LOGIN, {"username": "clerk", "password": "right-password-123"})
    assert success.status_code == 302
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "this account is locked" not in _try(other, "wrong")


def test_pages_need_sign_in() -> None:
    response = Client().get(reverse("web:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sign_out(signed_in: SignedIn) -> None:
    client = signed_in("clerk")
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:worklist")).status_code == 302


def test_the_menu_follows_the_roles(signed_in: SignedIn) -> None:
    with translation.override("en"):
        register, hub, inspect = reverse("web:register"), reverse("web:hub"), reverse("web:inspect")
    clerk = signed_in("clerk").get(reverse("web:worklist")).content.decode()
    assert register in clerk
    assert hub not in clerk
    assert inspect not in clerk
    dispatcher = signed_in("dispatcher").get(reverse("web:worklist")).content.decode()
    assert hub in dispatcher
    assert register not in dispatcher
    inspector = signed_in("inspector").get(reverse("web:inspect")).content.decode()
    assert inspect in inspector
    assert hub not in inspector


def test_a_person_without_a_role_is_told_why(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.create_user("nobody"))
    response = client.get(reverse("web:worklist"))
    assert response.status_code == 403
    assert "no role" in response.content.decode()


def test_a_refreshing_fragment_after_sign_out_sends_the_browser_to_sign_in() -> None:
    response = Client().get(reverse("web:worklist_rows"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN
