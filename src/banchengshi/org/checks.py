"""`banchengshi check --deploy`: no active account may keep a known default password, and the
administrators' second step must be on (docs/security.md)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError

from banchengshi.org.passwords import accounts_with_default_passwords


@register(Tags.security, deploy=True)
def check_default_passwords(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        names = accounts_with_default_passwords()
    except DatabaseError as exc:
        return [
            Warning(
                f"The accounts' passwords could not be read ({exc}); run it after migrate.",
                id="banchengshi.W501",
            )
        ]
    if not names:
        return []
    shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    return [
        Error(
            f"{len(names)} active account(s) still have a known default password "
            f"(org/passwords.toml): {shown}.",
            hint="Give them new passwords (admin → People) or make them inactive.",
            id="banchengshi.E501",
        )
    ]


@register(Tags.security, deploy=True)
def check_two_factor(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.BANCHENGSHI_TWO_FACTOR_REQUIRED:
        return []
    return [
        Error(
            "BANCHENGSHI_TWO_FACTOR_REQUIRED is off: administrators sign in with a password alone.",
            hint="Unset it (on by default without DEBUG) or set it to 1.",
            id="banchengshi.E502",
        )
    ]
