"""Who a presented token is: the one check behind the REST API's bearer tokens and Open311's
api_key. A token is "bcs_" + 43 URL-safe characters (32 random bytes); the database keeps
its SHA-256 only, so a stolen table gives no tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import User
from django.utils import timezone

from banchengshi.tokens.models import ApiToken

TOKEN_PREFIX = "bcs_"
PREFIX_LENGTH = 8
MAX_TOKEN_LENGTH = 200
# last_used_at is written at most this often, so a busy system does not update its token
# row on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


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
