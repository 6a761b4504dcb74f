"""One lockout for every sign-in path (org.login_guard.GuardedBackend), and the sign-ins,
failures and sign-outs in the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.org.login_guard import LOCK_MINUTES, MAX_FAILURES
from banchengshi.org.models import LoginLock
from tests.cases.conftest import FrozenTime, Org
from tests.security.conftest import PASSWORD, with_password

ADMIN_LOGIN = reverse("admin:login")
LOGIN = reverse("web:login")


def _staff(org: Org) -> User:
    user = with_password(org.sysadmin)
    user.is_staff = True
    user.save()
    return user


def _admin_try(client: Client, password: str) -> int:
    response = client.post(
        ADMIN_LOGIN, {"username": "sysadmin", "password": password, "next": "/admin/"}
    )
    return response.status_code


def test_twenty_wrong_passwords_on_the_admin_lock_it_against_the_right_one(
    org: Org, frozen_time: FrozenTime
) -> None:
    _staff(org)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert [_admin_try(client, f"wrong-{n}") for n in range(20)] == [200] * 20
    response = client.post(
        ADMIN_LOGIN, {"username": "sysadmin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    with translation.override("zh-hans"):
        assert "密码错误次数过多，账号已锁定。请 15 分钟后再试" in response.content.decode()
    lock = LoginLock.objects.get(username="sysadmin")
    # Counted up to the lock; once locked, no password is even looked at.
    assert lock.failures == MAX_FAILURES
    frozen_time.advance(minutes=LOCK_MINUTES + 1)
    assert _admin_try(client, PASSWORD) == 302
    assert client.session["_auth_user_id"] == str(org.sysadmin.pk)


def test_a_name_locked_on_the_workbench_is_locked_on_the_admin(org: Org) -> None:
    _staff(org)
    workbench = Client()
    for n in range(MAX_FAILURES):
        workbench.post(LOGIN, {"username": "sysadmin", "password": f"wrong-{n}"})
    admin = Client()
    assert _admin_try(admin, PASSWORD) == 200
    assert "_auth_user_id" not in admin.session


def test_a_name_locked_on_the_admin_is_locked_on_the_workbench(org: Org) -> None:
    _staff(org)
    admin = Client()
    for n in range(MAX_FAILURES):
        _admin_try(admin, f"wrong-{n}")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        LOGIN, {"username": "sysadmin", "password": PASSWORD}
    )
    assert response.status_code == 401
    assert "this account is locked" in response.content.decode()


def test_the_admin_says_how_many_attempts_are_left(org: Org) -> None:
    _staff(org)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        ADMIN_LOGIN, {"username": "sysadmin", "password": "wrong", "next": "/admin/"}
    )
    assert (
        "Wrong user name or password. 4 more attempts before the account is locked."
        in response.content.decode()
    )


def test_sign_ins_failures_and_sign_outs_are_in_the_audit_trail(org: Org) -> None:
    with_password(org.clerk)
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post(LOGIN, {"username": "clerk", "password": "wrong"})
    client.post(LOGIN, {"username": "nobody", "password": "wrong"})
    client.post(LOGIN, {"username": "clerk", "password": PASSWORD})
    client.post(reverse("web:logout"))
    events = list(
        AuditEvent.objects.filter(action__startswith="auth.")
        .order_by("seq")
        .values_list("action", "actor_id", "actor_label", "payload")
    )
    assert events == [
        (
            "auth.sign_in_failed",
            None,
            "clerk",
            {"failures": 1, "locked": False, "address": "10.1.2.3"},
        ),
        (
            "auth.sign_in_failed",
            None,
            "nobody",
            {"failures": 1, "locked": False, "address": "10.1.2.3"},
        ),
        ("auth.signed_in", org.clerk.pk, "clerk", {"address": "10.1.2.3"}),
        ("auth.signed_out", org.clerk.pk, "clerk", {"address": "10.1.2.3"}),
    ]


def test_a_refusal_while_locked_is_audited(org: Org) -> None:
    with_password(org.clerk)
    client = Client()
    for n in range(MAX_FAILURES + 1):
        client.post(LOGIN, {"username": "clerk", "password": f"wrong-{n}"})
    actions = list(
        AuditEvent.objects.filter(actor_label="clerk")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["auth.sign_in_failed"] * MAX_FAILURES + ["auth.sign_in_locked"]
