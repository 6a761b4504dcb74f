"""Creating and revoking API tokens (by `banchengshi token` and in the admin)."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db.models import QuerySet

from banchengshi.tokens.auth import PREFIX_LENGTH, TOKEN_PREFIX, hash_token
from banchengshi.tokens.models import ApiToken


def do_create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret, which is never stored.
    Trusts the caller to have checked that `user` may act through a system."""
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
    """Revokes the given tokens; trusts the caller (an administrator) to have chosen them."""
    return tokens.filter(revoked=False).update(revoked=True)
