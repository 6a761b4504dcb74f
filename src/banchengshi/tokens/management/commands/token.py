"""`banchengshi token create USERNAME NAME | revoke PREFIX | list`: API tokens for systems."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.tokens.actions import do_create_token, do_revoke_tokens, tokens_with_prefix
from banchengshi.tokens.models import ApiToken


class Command(BaseCommand):
    help = "Create, revoke and list API tokens. The secret is printed once, at creation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token acting as USERNAME")
        create.add_argument("username")
        create.add_argument("name", help="what the token is for, e.g. '12345 hotline bridge'")
        revoke = sub.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix", help="the first 8 characters, as `token list` shows")
        sub.add_parser("list", help="list tokens (never their secrets)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["username"], options["name"])
        elif action == "revoke":
            self._revoke(options["prefix"])
        else:
            self._list()

    def _create(self, username: str, name: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if not user.is_active:
            raise CommandError(f"{username!r} is not active")
        if not name.strip():
            raise CommandError("give the token a name saying what it is for")
        token, secret = do_create_token(user, name)
        self.stdout.write(secret)
        self.stderr.write(
            f"token {token.prefix}… '{token.name}' acts as {username}; "
            "the secret above is shown only now: keep it safe."
        )

    def _revoke(self, prefix: str) -> None:
        tokens = tokens_with_prefix(prefix)
        found = list(tokens)
        if not found:
            raise CommandError(f"no token starts with {prefix!r}")
        if len(found) > 1:
            names = ", ".join(f"'{t.name}' ({t.user.username})" for t in found)
            raise CommandError(f"{len(found)} tokens start with {prefix!r}: {names}; use the admin")
        revoked = do_revoke_tokens(tokens)
        state = "revoked" if revoked else "was already revoked"
        self.stdout.write(f"token {found[0].prefix}… '{found[0].name}' {state}")

    def _list(self) -> None:
        for token in ApiToken.objects.select_related("user").order_by("created_at", "id"):
            used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "-"
            self.stdout.write(
                f"{token.prefix}  {'revoked' if token.revoked else 'active ':7}  "
                f"{token.user.username:<20} last used {used:<25} {token.name}"
            )
