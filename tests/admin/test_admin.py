"""The administration: every page opens, units keep their tree paths, tokens are created with
their secret shown once, locked accounts are unlocked, policies are read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from banchengshi.cases.models import PolicyVersion
from banchengshi.org.models import LoginLock, Unit, UnitKind
from banchengshi.tokens.auth import hash_token
from banchengshi.tokens.models import ApiToken
from tests.cases.conftest import CaseBuilder, Org


@pytest.mark.parametrize(
    "model",
    [
        "org/unit",
        "org/membership",
        "org/loginlock",
        "auth/user",
        "catalog/matter",
        "cases/policyversion",
        "tokens/apitoken",
        "workdays/calendaryear",
        "webhooks/webhookendpoint",
        "webhooks/webhookdelivery",
        "notify/outboxmessage",
    ],
)
def test_every_list_and_form_opens(admin_client_en: Client, model: str) -> None:
    app, name = model.split("/")
    assert admin_client_en.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    add = admin_client_en.get(reverse(f"admin:{app}_{name}_add"))
    assert add.status_code in (200, 403)  # some are read-only by design


def test_a_unit_made_in_the_admin_gets_its_path(admin_client_en: Client, org: Org) -> None:
    response = admin_client_en.post(
        reverse("admin:org_unit_add"),
        {
            "code": "CTR-A2",
            "name": "第二市场监管所",
            "kind": UnitKind.CENTER,
            "parent": org.dept_a.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="CTR-A2")
    assert unit.path == f"{org.dept_a.path}{unit.pk}/"


def test_moving_a_unit_moves_its_subtree(admin_client_en: Client, org: Org) -> None:
    response = admin_client_en.post(
        reverse("admin:org_unit_change", args=[org.dept_a.pk]),
        {
            "code": org.dept_a.code,
            "name": org.dept_a.name,
            "kind": UnitKind.DEPARTMENT,
            "parent": org.office.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    dept_a = Unit.objects.get(pk=org.dept_a.pk)
    assert dept_a.path == f"{org.office.path}{dept_a.pk}/"
    assert Unit.objects.get(pk=org.center_a1.pk).path == f"{dept_a.path}{org.center_a1.pk}/"


def test_a_unit_cannot_go_under_its_own_subtree(admin_client_en: Client, org: Org) -> None:
    response = admin_client_en.post(
        reverse("admin:org_unit_change", args=[org.dept_a.pk]),
        {
            "code": org.dept_a.code,
            "name": org.dept_a.name,
            "kind": UnitKind.DEPARTMENT,
            "parent": org.center_a1.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "cannot be placed under itself" in response.content.decode()
    assert Unit.objects.get(pk=org.dept_a.pk).path == org.dept_a.path


def test_a_token_made_in_the_admin_shows_its_secret_once(admin_client_en: Client, org: Org) -> None:
    response = admin_client_en.post(
        reverse("admin:tokens_apitoken_add"),
        {"name": "12345 hotline", "user": org.dispatcher.pk},
        follow=True,
    )
    page = response.content.decode()
    secret = page.split("shown only this once: ")[1].split("<")[0].strip()
    token = ApiToken.objects.get(name="12345 hotline")
    assert token.token_hash == hash_token(secret)
    again = admin_client_en.get(reverse("admin:tokens_apitoken_change", args=[token.pk]))
    assert secret not in again.content.decode()


def test_locked_accounts_are_unlocked(admin_client_en: Client, org: Org) -> None:
    LoginLock.objects.create(username="clerk", failures=5)
    lock = LoginLock.objects.get(username="clerk")
    response = admin_client_en.post(
        reverse("admin:org_loginlock_changelist"),
        {"action": "unlock_selected", "_selected_action": [lock.pk]},
        follow=True,
    )
    assert "1 account unlocked." in response.content.decode()
    assert not LoginLock.objects.exists()


def test_policies_show_which_is_in_force_and_cannot_be_edited(
    admin_client_en: Client, cases: CaseBuilder
) -> None:
    cases.register()
    page = admin_client_en.get(reverse("admin:cases_policyversion_changelist")).content.decode()
    assert "is in force" in page
    version = PolicyVersion.objects.get()
    assert version.key in page
    response = admin_client_en.post(
        reverse("admin:cases_policyversion_change", args=[version.pk]), {"content": "x"}
    )
    assert response.status_code == 403
    assert PolicyVersion.objects.get().content != "x"


def test_people_are_listed_by_their_name_surname_first(admin_client_en: Client, org: Org) -> None:
    org.handler_a.first_name, org.handler_a.last_name = "桂英", "邓"
    org.handler_a.save()
    page = admin_client_en.get(reverse("admin:auth_user_changelist")).content.decode()
    assert '<td class="field-name">邓桂英</td>' in page


def test_a_schedule_file_with_a_problem_is_refused_in_chinese(org: Org) -> None:
    User.objects.create_superuser("root", password="x-very-long-password")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="root"))
    upload = SimpleUploadedFile("2027.toml", b"year = 2027\nworkdays = []\n")
    response = client.post(reverse("admin:workdays_calendaryear_upload"), {"file": upload})
    assert response.status_code == 200
    assert "2027.toml：至少需要一个 [[holidays]] 节假日表。" in response.content.decode()
