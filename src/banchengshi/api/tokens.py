"""Creating, revoking and checking API tokens. A token is "bcs_" + 43 URL-safe characters
(32 random bytes); the database keeps its SHA-256 only, so a stolen table gives no tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from banchengshi.api.models import ApiToken

TOKEN_PREFIX = "bcs_"
PREFIX_LENGTH = 8
MAX_TOKEN_LENGTH = 200
# last_used_at is written at most this often, so a busy system does not update its token
# row on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def do_create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name.strip()[:100] or "token",
        user=user,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_token(secret),
    )
    return token, secret


def tokens_with_prefix(prefix: str) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(prefix=prefix[:PREFIX_LENGTH]).select_related("user")


def do_revoke_tokens(tokens: QuerySet[ApiToken]) -> int:
    return tokens.filter(revoked=False).update(revoked=True)


def user_for_token(secret: str) -> User | None:
    """The active user behind a valid, unrevoked token, or None.

    One indexed lookup by the secret's hash, whatever the token: the time taken does not
    depend on how much of a guessed token is right."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret), revoked=False)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
