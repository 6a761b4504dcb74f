"""Password rules (AUTH_PASSWORD_VALIDATORS), expiry, and the deploy check for known default
passwords."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.org.models import PasswordRecord
from banchengshi.org.passwords import password_expired
from tests.cases.conftest import FrozenTime, Org
from tests.security.conftest import PASSWORD, with_password


def _problems(password: str, user: User | None = None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return list(error.messages)
    return []


def test_a_good_password_passes(org: Org) -> None:
    assert _problems("Qiao-men-2026", org.clerk) == []


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Ab1-xyz", ["密码太短：至少需要 8 个字符。"]),
        ("abcdefgh12", ["密码必须至少包含以下四类中的 3 类：小写字母、大写字母、数字、其他字符。"]),
        (
            "banchengshi",
            [
                "密码必须至少包含以下四类中的 3 类：小写字母、大写字母、数字、其他字符。",
                "密码以系统或本区的名称为基础，请另选一个。",
            ],
        ),
        ("Banchengshi-2026", ["密码以系统或本区的名称为基础，请另选一个。"]),
        ("probe_pw_5x", ["密码以系统或本区的名称为基础，请另选一个。"]),
        ("Password1!", ["这个密码太常见了。"]),
    ],
)
def test_weak_passwords_are_refused_in_chinese(
    org: Org, password: str, problems: list[str]
) -> None:
    assert _problems(password, org.clerk) == problems


def test_a_password_like_the_user_name_is_refused(org: Org) -> None:
    user = User.objects.create_user("zhangwei2026")
    assert _problems("Zhangwei2026!", user) == ["密码与您的用户名过于相似。"]


def test_the_admin_cannot_set_a_project_word(org: Org) -> None:
    User.objects.create_superuser("root", password=PASSWORD)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="root"))
    url = reverse("admin:auth_user_password_change", args=[org.clerk.pk])
    for password in ("banchengshi", "probe_pw_5x"):
        response = client.post(
            url, {"password1": password, "password2": password, "usable_password": "true"}
        )
        assert response.status_code == 200
        assert "密码以系统或本区的名称为基础，请另选一个。" in response.content.decode()
    org.clerk.refresh_from_db()
    assert not org.clerk.check_password("banchengshi")
    assert not org.clerk.check_password("probe_pw_5x")


def test_setting_a_password_records_when(org: Org, frozen_time: FrozenTime) -> None:
    with_password(org.clerk)
    assert PasswordRecord.objects.get(user=org.clerk).changed_at == frozen_time()


def test_an_expired_password_leads_to_the_change_page_until_changed(
    org: Org, frozen_time: FrozenTime, settings: object
) -> None:
    with_password(org.clerk)
    frozen_time.advance(days=91)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in = client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    assert signed_in.status_code == 302
    worklist = client.get(reverse("web:worklist"))
    assert worklist.status_code == 302
    assert worklist["Location"] == f"{reverse('web:password_change')}?next=%2Fstaff%2F"
    page = client.get(worklist["Location"])
    assert "Your password has expired. Choose a new one to go on." in page.content.decode()
    same = client.post(
        reverse("web:password_change"),
        {"old_password": PASSWORD, "new_password1": "banchengshi", "new_password2": "banchengshi"},
    )
    assert same.status_code == 422
    assert client.get(reverse("web:worklist")).status_code == 302
    changed = client.post(
        reverse("web:password_change") + "?next=/staff/",
        {"old_password": PASSWORD, "new_password1": "Xin-mima-88", "new_password2": "Xin-mima-88"},
    )
    assert changed.status_code == 302
    assert changed["Location"] == "/staff/"
    assert client.get(reverse("web:worklist")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=org.clerk).count() == 1


def test_a_password_within_its_age_is_not_asked_for(org: Org, frozen_time: FrozenTime) -> None:
    with_password(org.clerk)
    frozen_time.advance(days=89)
    client = Client()
    client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    assert client.get(reverse("web:worklist")).status_code == 200


def test_expiry_can_be_switched_off(org: Org, frozen_time: FrozenTime, settings: object) -> None:
    settings.BANCHENGSHI_PASSWORD_MAX_AGE_DAYS = 0  # type: ignore[attr-defined]
    with_password(org.clerk)
    frozen_time.advance(days=1000)
    client = Client()
    client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    assert client.get(reverse("web:worklist")).status_code == 200


def _deploy_check() -> str:
    out = StringIO()
    try:
        call_command("check", "--deploy", "--tag", "security", stdout=out, stderr=out)
    except SystemCheckError as error:
        return str(error)
    return out.getvalue()


def test_check_deploy_fails_while_an_account_has_the_demo_password(
    org: Org, settings: object
) -> None:
    settings.BANCHENGSHI_TWO_FACTOR_REQUIRED = True  # type: ignore[attr-defined]
    # As the demo loader does: one hash for many people.
    shared = make_password("banchengshi-demo")
    User.objects.filter(username__in=["clerk", "handlerA"]).update(password=shared)
    report = _deploy_check()
    assert (
        "(banchengshi.E501) 2 active account(s) still have a known default password "
        "(org/passwords.toml): clerk, handlerA." in report
    )
    User.objects.filter(username="clerk").update(password=make_password("Qiao-men-2026"))
    User.objects.filter(username="handlerA").update(is_active=False)
    assert "banchengshi.E501" not in _deploy_check()


def test_check_deploy_tries_the_administrators_own_hashes(org: Org, settings: object) -> None:
    User.objects.create_superuser("admin", password="admin")
    assert "(org/passwords.toml): admin." in _deploy_check()


def test_check_deploy_fails_without_two_factor(org: Org, settings: object) -> None:
    settings.BANCHENGSHI_TWO_FACTOR_REQUIRED = False  # type: ignore[attr-defined]
    assert "(banchengshi.E502) BANCHENGSHI_TWO_FACTOR_REQUIRED is off" in _deploy_check()


def test_password_expiry_counts_from_the_account_without_a_record(
    org: Org, frozen_time: FrozenTime
) -> None:
    user = User.objects.create(
        username="imported", date_joined=frozen_time() - dt.timedelta(days=90)
    )
    assert password_expired(user, frozen_time())
    assert not password_expired(user, frozen_time() - dt.timedelta(seconds=1))
