"""SMS the way Chinese gateways take them: a template registered with the provider (its code),
short parameters filling it, under a registered signature (签名). templates.py maps our
templates to the provider's; each gateway adapter sends one `Sms`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sms:
    phone: str
    # Ours (appeal_filed, reply, …), and its values by our names (notify.messages.VALUES).
    template: str
    values: dict[str, str]
    # The words, for a backend that sends or logs plain text.
    text: str


Gateway = Callable[[Sms], None]
