"""The SMS gateway adapters against real local HTTP servers: Aliyun dysmsapi SendSms (the
server checks the V3 signature as Alibaba Cloud documents it, from what it received), the
generic JSON gateway (HMAC-SHA256 of timestamp and body), and how each answer is taken."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.outbox import enqueue
from banchengshi.notify.sending import send_pending
from tests.cases.conftest import Org
from tests.notify.servers import LocalServer, Received

KEY_ID, KEY_SECRET = "LTAI-test-key", "test-secret-不可外传"
PAYLOAD = {"tracking_no": "PT-2026-000042", "access_code": "20261120"}


def queue(template: str = "appeal_filed", payload: dict[str, str] = PAYLOAD) -> OutboxMessage:
    return enqueue(channel="sms", recipient="13812345678", template=template, payload=payload)


@pytest.fixture
def aliyun(settings: object, gateway: LocalServer) -> LocalServer:
    settings.BANCHENGSHI_SMS_BACKEND = "aliyun"  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_ALIYUN_ENDPOINT = gateway.url  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_ID = KEY_ID  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_SECRET = KEY_SECRET  # type: ignore[attr-defined]
    return gateway


def aliyun_verifies(request: Received) -> bool:
    """The provider's side of ACS3-HMAC-SHA256, from the request as it arrived."""
    found = re.fullmatch(
        r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})",
        request.headers["authorization"],
    )
    assert found is not None
    key_id, signed, signature = found.groups()
    params = parse_qsl(urlsplit(request.path).query, keep_blank_values=True)

    def enc(text: str) -> str:
        return quote(text, safe="~-._")

    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params))
    names = signed.split(";")
    assert names == sorted(names)
    assert "host" in names
    assert {n for n in request.headers if n.startswith("x-acs-")} <= set(names)
    headers = "".join(f"{n}:{request.headers[n].strip()}\n" for n in names)
    body_hash = hashlib.sha256(request.body).hexdigest()
    assert request.headers["x-acs-content-sha256"] == body_hash
    canonical = f"POST\n/\n{query}\n{headers}\n{signed}\n{body_hash}"
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    expected = hmac.new(KEY_SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return key_id == KEY_ID and hmac.compare_digest(signature, expected)


def test_aliyun_sendsms_is_signed_as_documented(org: Org, aliyun: LocalServer) -> None:
    aliyun.answer = lambda r: (
        (200, b'{"Code":"OK","Message":"OK","BizId":"9006197469364984^0"}')
        if aliyun_verifies(r)
        else (403, b'{"Code":"SignatureDoesNotMatch"}')
    )
    message = queue()
    assert send_pending() == 1
    (request,) = aliyun.received
    assert aliyun_verifies(request)
    assert request.headers["x-acs-action"] == "SendSms"
    assert request.headers["x-acs-version"] == "2017-05-25"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", request.headers["x-acs-date"])
    assert dict(parse_qsl(urlsplit(request.path).query)) == {
        "PhoneNumbers": "13812345678",
        "SignName": "办成事",
        "TemplateCode": "SMS_000000001",
        "TemplateParam": '{"no":"PT-2026-000042","code":"20261120"}',
    }
    message.refresh_from_db()
    assert (message.status, message.payload["access_code"]) == ("sent", "***")


def test_a_forged_signature_would_be_refused(aliyun: LocalServer, org: Org) -> None:
    """The verifier above can fail: a request signed with another secret does not pass."""
    aliyun.answer = lambda r: (200, b'{"Code":"OK"}')
    queue()
    send_pending()
    (request,) = aliyun.received
    tampered = Received(
        request.method,
        request.path.replace("13812345678", "13912345678"),
        request.headers,
        request.body,
    )
    assert not aliyun_verifies(tampered)


@pytest.mark.parametrize(
    ("code", "status"),
    [("isv.BUSINESS_LIMIT_CONTROL", "pending"), ("isv.MOBILE_NUMBER_ILLEGAL", "given_up")],
)
def test_aliyun_refusals_are_retried_or_given_up_by_their_code(
    org: Org, aliyun: LocalServer, code: str, status: str
) -> None:
    aliyun.answer = lambda r: (200, json.dumps({"Code": code, "Message": "触发限流"}).encode())
    message = queue()
    assert send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.last_error.endswith(f"HTTP 200 {code} 触发限流")) == (
        status,
        True,
    )


@pytest.fixture
def http_gateway(settings: object, gateway: LocalServer) -> LocalServer:
    settings.BANCHENGSHI_SMS_BACKEND = "http"  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_HTTP_URL = gateway.url + "sms/send"  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_HTTP_SECRET = "whsec-local-secret"  # type: ignore[attr-defined]
    return gateway


def http_verifies(request: Received) -> bool:
    timestamp = request.headers["x-banchengshi-timestamp"]
    mac = hmac.new(b"whsec-local-secret", timestamp.encode() + b"." + request.body, "sha256")
    fresh = abs(time.time() - int(timestamp)) < 300
    sent = request.headers["x-banchengshi-signature"]
    return fresh and hmac.compare_digest(sent, "sha256=" + mac.hexdigest())


def test_the_generic_gateway_gets_signed_json(org: Org, http_gateway: LocalServer) -> None:
    http_gateway.answer = lambda r: (202, b"{}") if http_verifies(r) else (401, b"{}")
    queue("reply", {"tracking_no": "PT-2026-000042", "link": "Ab3dEf7h", "round": "1"})
    assert send_pending() == 1
    (request,) = http_gateway.received
    assert request.path == "/sms/send"
    assert json.loads(request.body) == {
        "template": "SMS_000000004",
        "params": {"no": "PT-2026-000042", "link": "Ab3dEf7h"},
        "phone": "13812345678",
        "sign_name": "办成事",
    }
    tampered = Received(request.method, request.path, request.headers, request.body + b" ")
    assert not http_verifies(tampered)


@pytest.mark.parametrize(("answer", "status"), [(503, "pending"), (400, "given_up")])
def test_the_generic_gateway_failures(
    org: Org, http_gateway: LocalServer, answer: int, status: str
) -> None:
    http_gateway.answer = lambda r: (answer, b'{"error":"no"}')
    message = queue()
    assert send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        status,
        f"SMS gateway: HTTP {answer} " + repr(b'{"error":"no"}')
        if status == "given_up"
        else f"ConnectionError: SMS gateway: HTTP {answer} " + repr(b'{"error":"no"}'),
    )


def test_a_parameter_longer_than_the_provider_allows_is_given_up(
    org: Org, http_gateway: LocalServer
) -> None:
    message = queue("staff_notification", {"tracking_no": "PT-2026-000042", "what": "长" * 36})
    assert send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        "given_up",
        "parameter what is longer than 35 characters",
    )
    assert http_gateway.received == []


def test_a_gateway_that_does_not_answer_in_time_is_a_failed_attempt(
    org: Org, http_gateway: LocalServer, settings: object
) -> None:
    settings.BANCHENGSHI_SMS_TIMEOUT = 0.3  # type: ignore[attr-defined]
    http_gateway.answer = lambda r: (time.sleep(1.0), (200, b"{}"))[1]
    message = queue()
    started = time.monotonic()
    assert send_pending() == 0
    assert time.monotonic() - started < 0.9
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("pending", "TimeoutError: timed out")
