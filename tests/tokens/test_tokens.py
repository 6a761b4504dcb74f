"""API tokens: created by command, stored hashed, revoked by command or admin."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from banchengshi.tokens.models import ApiToken
from tests.api.conftest import District


def _command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _worklist(token: str) -> int:
    response = Client().get("/api/v1/worklist", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def test_create_use_list_revoke(district: District) -> None:
    out, err = _command("create", "dispatcher", "12345 hotline bridge")
    secret = out.strip()
    assert secret.startswith("bcs_")
    assert len(secret) == 4 + 43
    assert "shown only now" in err
    token = ApiToken.objects.get(name="12345 hotline bridge")
    assert token.prefix == secret[:8]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not ApiToken.objects.filter(token_hash=secret).exists()
    assert token.last_used_at is None

    assert _worklist(secret) == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    listing, _ = _command("list")
    assert secret[:8] in listing
    assert secret not in listing

    out, _ = _command("revoke", secret[:8])
    assert "revoked" in out
    assert _worklist(secret) == 401
    response = Client().post(
        "/api/v1/cases", {}, content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )  # fmt: skip
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_last_used_is_written_at_most_once_a_minute(district: District) -> None:
    secret = district.tokens["clerk"]
    token = ApiToken.objects.get(prefix=secret[:8], user__username="clerk")
    recently = timezone.now() - dt.timedelta(seconds=10)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    assert _worklist(secret) == 200
    token.refresh_from_db()
    assert token.last_used_at == recently
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently - dt.timedelta(minutes=1))
    assert _worklist(secret) == 200
    token.refresh_from_db()
    assert token.last_used_at > recently


def test_an_inactive_persons_token_is_refused(district: District) -> None:
    User.objects.filter(username="clerk").update(is_active=False)
    assert _worklist(district.tokens["clerk"]) == 401


def test_command_errors(district: District) -> None:
    with pytest.raises(CommandError, match="no user"):
        _command("create", "nobody", "x")
    with pytest.raises(CommandError, match="no token"):
        _command("revoke", "bcs_zzzz")


def test_admin_lists_and_revokes_tokens(district: District) -> None:
    User.objects.create_superuser("root", password="root-password-1")
    client = Client()
    client.login(username="root", password="root-password-1")
    page = client.get("/admin/tokens/apitoken/")
    assert page.status_code == 200
    assert district.tokens["clerk"][:8] in page.content.decode()
    assert district.tokens["clerk"] not in page.content.decode()
    # The add form asks for a name and a person only: the secret is made by do_create_token.
    add_form = client.get("/admin/tokens/apitoken/add/").content.decode()
    assert 'name="name"' in add_form
    assert 'name="token_hash"' not in add_form
    token = ApiToken.objects.get(user__username="clerk")
    response = client.post(
        "/admin/tokens/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert _worklist(district.tokens["clerk"]) == 401
