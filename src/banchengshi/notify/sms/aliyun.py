"""Aliyun Short Message Service (dysmsapi, API version 2017-05-25), action SendSms, signed with
Alibaba Cloud's request signature V3 (ACS3-HMAC-SHA256), as its OpenAPI documents it:

- the RPC parameters go in the query string, sorted by name, names and values percent-encoded
  by RFC 3986 (unreserved characters A-Z a-z 0-9 - _ . ~ kept, a space as %20);
- the canonical request is the method, the path "/", that query string, the signed headers
  (lower-case name ":" trimmed value, one per line, sorted), their names joined by ";", and
  the hex SHA-256 of the body (empty here; also sent as x-acs-content-sha256);
- the string to sign is "ACS3-HMAC-SHA256" + "\\n" + the hex SHA-256 of the canonical
  request; the signature its hex HMAC-SHA256 under the AccessKey secret, sent as
  `Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`.

The answer is JSON whose Code is "OK" when the message was accepted.

Settings: BANCHENGSHI_SMS_ALIYUN_ENDPOINT (default https://dysmsapi.aliyuncs.com/),
BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_ID, BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_SECRET.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from urllib.parse import quote, urlsplit

from django.conf import settings

from banchengshi.notify.delivery import Undeliverable
from banchengshi.notify.sms import Sms
from banchengshi.notify.sms.templates import template_map
from banchengshi.notify.sms.transport import post

ALGORITHM = "ACS3-HMAC-SHA256"
ACTION = "SendSms"
VERSION = "2017-05-25"
# Codes that say this message will never be accepted as it is: no use trying again.
REFUSED_FOR_GOOD = frozenset(
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.BLACK_KEY_CONTROL_LIMIT",
    }
)


def percent(value: str) -> str:
    return quote(value, safe="-_.~")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signed_request(
    *,
    host: str,
    query: dict[str, str],
    key_id: str,
    key_secret: str,
    date: str,
    nonce: str,
) -> tuple[str, dict[str, str]]:
    """(the query string, the headers) of a signed POST with an empty body."""
    query_string = "&".join(
        f"{percent(name)}={percent(value)}" for name, value in sorted(query.items())
    )
    body_hash = sha256_hex(b"")
    headers = {
        "host": host,
        "x-acs-action": ACTION,
        "x-acs-content-sha256": body_hash,
        "x-acs-date": date,
        "x-acs-signature-nonce": nonce,
        "x-acs-version": VERSION,
    }
    names = sorted(headers)
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in names)
    signed_headers = ";".join(names)
    canonical = "\n".join(["POST", "/", query_string, canonical_headers, signed_headers, body_hash])
    to_sign = f"{ALGORITHM}\n{sha256_hex(canonical.encode())}"
    signature = hmac.new(key_secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (
        f"{ALGORITHM} Credential={key_id},SignedHeaders={signed_headers},Signature={signature}"
    )
    return query_string, headers


def send(sms: Sms) -> None:
    mapping = template_map()
    template = mapping.templates[sms.template]
    params = template.fill(sms.values)
    query = {
        "PhoneNumbers": sms.phone,
        "SignName": mapping.sign_name,
        "TemplateCode": template.code,
        "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
    }
    endpoint = settings.BANCHENGSHI_SMS_ALIYUN_ENDPOINT
    query_string, headers = signed_request(
        host=urlsplit(endpoint).netloc,
        query=query,
        key_id=settings.BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_ID,
        key_secret=settings.BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_SECRET,
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        nonce=secrets.token_hex(16),
    )
    # urllib sends Host itself, from the URL: the same value as the signed one.
    del headers["host"]
    reply = post(f"{endpoint.split('?')[0]}?{query_string}", body=b"", headers=headers)
    try:
        answer = json.loads(reply.body)
        code = str(answer.get("Code", ""))
    except (ValueError, AttributeError):
        answer, code = {}, ""
    if code == "OK":
        return
    problem = f"Aliyun SendSms: HTTP {reply.status} {code or repr(reply.body[:200])}"
    if answer.get("Message"):
        problem += f" {answer['Message']}"
    if code in REFUSED_FOR_GOOD:
        raise Undeliverable(problem)
    raise ConnectionError(problem)
