"""A generic HTTP gateway: for an SMS platform of the district's own (or an operator's) that
takes JSON. Each message is POSTed to BANCHENGSHI_SMS_HTTP_URL as

    {"template": "<provider code>", "params": {...}, "phone": "138…", "sign_name": "办成事"}

with `X-Banchengshi-Timestamp: <unix seconds>` and
`X-Banchengshi-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" under
BANCHENGSHI_SMS_HTTP_SECRET>`, so the gateway can tell our messages from forged ones and
refuse old ones replayed. Any 2xx answer means accepted; a 4xx other than 408/429 means this
message never will be."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings

from banchengshi.notify.delivery import Undeliverable
from banchengshi.notify.sms import Sms
from banchengshi.notify.sms.templates import template_map
from banchengshi.notify.sms.transport import post

SIGNATURE_HEADER = "X-Banchengshi-Signature"
TIMESTAMP_HEADER = "X-Banchengshi-Timestamp"
RETRYABLE_4XX = frozenset({408, 425, 429})


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def send(sms: Sms) -> None:
    mapping = template_map()
    template = mapping.templates[sms.template]
    body = json.dumps(
        {
            "template": template.code,
            "params": template.fill(sms.values),
            "phone": sms.phone,
            "sign_name": mapping.sign_name,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(settings.BANCHENGSHI_SMS_HTTP_SECRET, timestamp, body),
    }
    reply = post(settings.BANCHENGSHI_SMS_HTTP_URL, body=body, headers=headers)
    if 200 <= reply.status < 300:
        return
    problem = f"SMS gateway: HTTP {reply.status} {reply.body[:200]!r}"
    if 400 <= reply.status < 500 and reply.status not in RETRYABLE_4XX:
        raise Undeliverable(problem)
    raise ConnectionError(problem)
