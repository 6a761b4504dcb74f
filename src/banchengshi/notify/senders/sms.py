"""SMS: the message's values (notify.messages), checked against the provider's length limit,
handed to the gateway chosen by BANCHENGSHI_SMS_BACKEND: "log" (development, the default),
"aliyun" (dysmsapi SendSms) or "http" (the generic JSON gateway)."""

from __future__ import annotations

from django.conf import settings

from banchengshi.notify.delivery import Undeliverable
from banchengshi.notify.messages import UnknownTemplate, sms_text, sms_values, without_secrets
from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.sms import Gateway, Sms, aliyun, generic_http, log
from banchengshi.notify.sms.templates import template_map

GATEWAYS: dict[str, Gateway] = {"log": log.send, "aliyun": aliyun.send, "http": generic_http.send}
# The settings each gateway cannot work without (a system check refuses to start without).
REQUIRED: dict[str, tuple[str, ...]] = {
    "aliyun": (
        "BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_ID",
        "BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_SECRET",
    ),
    "http": ("BANCHENGSHI_SMS_HTTP_URL", "BANCHENGSHI_SMS_HTTP_SECRET"),
}


def send(message: OutboxMessage) -> None:
    backend = settings.BANCHENGSHI_SMS_BACKEND
    try:
        values = sms_values(message.template, message.payload)
        # The log keeps no secret: its words are composed from the blanked payload.
        shown = message.payload if backend != "log" else without_secrets(message.payload)
        text = sms_text(message.template, shown)
    except UnknownTemplate as exc:
        raise Undeliverable(f"no SMS template {message.template!r}") from exc
    limit = template_map().max_length
    for name, ours in template_map().templates[message.template].params:
        if len(values[ours]) > limit:
            raise Undeliverable(f"parameter {name} is longer than {limit} characters")
    GATEWAYS[backend](
        Sms(phone=message.recipient, template=message.template, values=values, text=text)
    )
