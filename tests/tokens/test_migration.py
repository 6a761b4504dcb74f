"""ApiToken moved from the api app to the tokens app without touching its table: a token made
before the move still authenticates after it, and the admin's content type follows it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from banchengshi.tokens.auth import hash_token, user_for_token

SECRET = "bcs_made-before-the-move-0123456789abcdefghijklmno"


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_token_made_before_the_move_still_authenticates() -> None:
    content_type = ContentType.objects.get(app_label="tokens", model="apitoken")
    executor = _migrate([("tokens", None)])  # unapplies api 0002 as well: before the move
    try:
        applied = MigrationExecutor(connection).recorder.applied_migrations()
        assert ("api", "0002_apitoken_moved_to_tokens") not in applied
        old = executor.loader.project_state(list(applied)).apps
        assert (
            old.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk).app_label
            == "api"
        )
        user = old.get_model("auth", "User").objects.create(
            username="bridge", password=make_password("x-long-password-1"), is_active=True
        )
        old.get_model("api", "ApiToken").objects.create(
            name="12345 hotline", user=user, prefix=SECRET[:8], token_hash=hash_token(SECRET)
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()

    found = user_for_token(SECRET)
    assert found is not None
    assert found.username == "bridge"
    assert ContentType.objects.get(pk=content_type.pk).app_label == "tokens"
