"""Short links for SMS: a gateway sends a registered template with short parameters, so a link
is `<public address>/s/<8 characters>/`, the characters standing for a row here. The row says
what the link is for (a purpose, a case, an answer's round) and until when; the app that owns
the target resolves it (web.views.tracking), so notify needs no knowledge of it."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from banchengshi.notify.models import ShortLink

# No 0/O, 1/l/I: a code may be read out over the phone or typed from a screenshot.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_PATTERN = f"[{ALPHABET}]{{{CODE_LENGTH}}}"
TRIES = 3


def make_short_link(*, purpose: ShortLink.Purpose, case_id: int, round: int) -> str:
    """A new link's code, in the caller's transaction (a change rolled back leaves none).
    56^8 codes make a collision unlikely; one is answered by drawing again."""
    now = timezone.now()
    expires = now + dt.timedelta(days=settings.BANCHENGSHI_SHORT_LINK_DAYS)
    for attempt in range(TRIES):
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                ShortLink.objects.create(
                    code=code,
                    purpose=purpose,
                    case_id=case_id,
                    round=round,
                    created_at=now,
                    expires_at=expires,
                )
        except IntegrityError:
            if attempt == TRIES - 1:
                raise
            continue
        return code
    raise AssertionError("unreachable")


def resolve_short_link(code: str) -> ShortLink | None:
    """The link with this code while it is valid; None for an unknown or expired one."""
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return ShortLink.objects.filter(code=code, expires_at__gt=timezone.now()).first()


def short_url(code: str) -> str:
    """The whole address of a link, as the public knows the portal."""
    return f"{settings.BANCHENGSHI_PUBLIC_URL.rstrip('/')}/s/{code}/"
