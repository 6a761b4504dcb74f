"""`banchengshi webhook add | list | remove | enable`: the secret printed once, exact lines,
refusals in words."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from banchengshi.notify.models import OutboxMessage
from banchengshi.webhooks.actions import Attempt, do_record_attempt
from banchengshi.webhooks.models import WebhookEndpoint
from tests.cases.conftest import NOW, Org


def webhook(*args: str, language: str = "en") -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("webhook", *args, "--language", language, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_prints_the_secret_once(org: Org) -> None:
    out, err = webhook("add", "https://hooks.example.com/bcs", "--events", "reply,dispatch")
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=\n", out)
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == out.strip()
    assert endpoint.event_types == ["dispatch", "reply"]
    assert err == (
        f"Webhook endpoint {endpoint.pk} added: https://hooks.example.com/bcs "
        "(events: dispatch,reply). The secret above is shown only now: give it to the receiver.\n"
    )
    listed, _ = webhook("list")
    assert endpoint.secret not in listed


def test_list_remove_and_enable(org: Org) -> None:
    webhook("add", "https://a.example.com/hooks", "--description", "12345 热线")
    webhook("add", "http://127.0.0.1:8080/in", "--events", "close")
    first, second = WebhookEndpoint.objects.order_by("id")
    message = OutboxMessage.objects.create(channel="webhook", recipient=str(first.pk))
    for status in (200, 500):
        do_record_attempt(
            first.pk,
            message_id=message.pk,
            webhook_id="msg_1",
            event_type="case.register",
            attempt=Attempt(status, "", 5),
            at=NOW,
        )
    second.enabled = False
    second.save()
    out, _ = webhook("list")
    assert out == (
        "ID\tstate\tfailures\tlast\tevents\tURL\n"
        f"{first.pk}\tenabled\t1\t500\tall\thttps://a.example.com/hooks\n"
        f"{second.pk}\tdisabled\t0\t-\tclose\thttp://127.0.0.1:8080/in\n"
    )
    assert webhook("enable", str(second.pk)) == (
        f"Webhook endpoint {second.pk} enabled: http://127.0.0.1:8080/in\n",
        "",
    )
    assert webhook("remove", str(first.pk)) == (
        f"Webhook endpoint {first.pk} removed: https://a.example.com/hooks\n",
        "",
    )
    out, _ = webhook("list", language="zh-hans")
    assert out == (
        "编号\t状态\t连续失败\t最近结果\t事件\t地址\n"
        f"{second.pk}\t启用\t0\t-\tclose\thttp://127.0.0.1:8080/in\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add", "ftp://example.com/x"),
            "Give a full http:// or https:// address, e.g. https://example.com/hooks.",
        ),
        (("add", "https://example.com/\x00x"), "The address contains a control character."),
        (("add", "https://example.com/\x1bx"), "The address contains a control character."),
        (("add", "  "), "Give the address the events are to be sent to."),
        (
            ("add", "https://example.com/" + "x" * 490),
            "The address is too long (at most 500 characters).",
        ),
        (
            ("add", "https://example.com/h", "--events", "reply,nonsense"),
            "Unknown event type: nonsense. Known: register, screen_accept, screen_not_admissible, "
            "resolve_on_spot, dispatch, receive, return, dispatch_down, request_cohandling, "
            "answer_cohandling, record_contact, record_cause, request_extension, "
            "request_suspension, approve_extension, refuse_extension, approve_suspension, "
            "refuse_suspension, resume, reply, return_visit, rate, window_rating, supervise, "
            "close, attach, add_to_library, link_similar, recompute_deadlines.",
        ),
        (
            ("add", "https://example.com/h", "--description", "a\x00b"),
            "The text contains a control character.",
        ),
        (("remove", "99"), "No webhook endpoint has the number 99."),
        (("enable", "x1"), "No webhook endpoint has the number x1."),
        (
            ("remove", "99999999999999999999999"),
            "No webhook endpoint has the number 99999999999999999999999.",
        ),
    ],
)
def test_refusals_in_words(org: Org, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        webhook(*args)
    assert str(refused.value) == message
    assert not WebhookEndpoint.objects.exists()


def test_refusals_in_chinese_by_default(org: Org) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("webhook", "add", "ftp://example.com/x", stdout=StringIO())
    assert (
        str(refused.value)
        == "请填写完整的 http:// 或 https:// 地址，例如 https://example.com/hooks。"
    )
