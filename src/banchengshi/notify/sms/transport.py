"""One HTTP POST with a timeout, for the gateway adapters (the standard library's client: no
dependency for two calls)."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Reply:
    """The gateway's answer, whatever its status; a gateway that does not answer within
    BANCHENGSHI_SMS_TIMEOUT seconds (connecting, or each read) raises OSError."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.BANCHENGSHI_SMS_TIMEOUT) as answer:
            return Reply(answer.status, answer.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read())
