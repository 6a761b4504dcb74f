"""Case events become webhook messages in the change's transaction: one per subscribed,
enabled endpoint, with a stable body that names no person."""

from __future__ import annotations

import json

import pytest

from banchengshi.cases.actions.dispatch import do_receive_case
from banchengshi.cases.models import Case
from banchengshi.errors import ActionRefused
from banchengshi.webhooks.models import WebhookEndpoint
from tests.cases.conftest import ID_NUMBER, PHONE, CaseBuilder, Org
from tests.webhooks.webhooks import add_endpoint, webhook_messages


def test_no_endpoint_no_message(cases: CaseBuilder) -> None:
    cases.replied()
    assert webhook_messages() == []


def test_an_event_gives_a_stable_body(cases: CaseBuilder) -> None:
    endpoint, _secret = add_endpoint()
    case = cases.register()
    (message,) = webhook_messages()
    assert message.recipient == str(endpoint.pk)
    assert message.template == "case.register"
    assert message.case_id == case.pk
    assert message.payload["webhook_id"].startswith("msg_")
    assert len(message.payload["webhook_id"]) == 36
    assert message.payload["body"] == {
        "type": "case.register",
        "timestamp": "2026-11-20T02:00:00.000000Z",
        "data": {
            "case_id": case.pk,
            "tracking_no": "PT-2026-000001",
            "event": "register",
            "audit_seq": 1,
            "state": "registered",
            "round": 1,
            "version": 1,
            "category": "handling",
            "complexity": "general",
            "owner_unit_id": None,
            "handling_unit_id": None,
            "cause_code": "",
            "cause_side": "",
            "satisfaction": None,
            "solved": None,
            "suspended_at": None,
            "closed_at": None,
            "changed": ["state", "tracking_no"],
        },
    }


def test_every_change_of_a_case_is_sent_in_order(cases: CaseBuilder, org: Org) -> None:
    add_endpoint()
    cases.replied()
    bodies = [m.payload["body"] for m in webhook_messages()]
    assert [b["type"] for b in bodies] == [
        "case.register",
        "case.screen_accept",
        "case.receive",
        "case.record_cause",
        "case.reply",
    ]
    assert [b["data"]["state"] for b in bodies] == [
        "registered",
        "dispatched",
        "in_progress",
        "in_progress",
        "replied",
    ]
    assert bodies[1]["data"]["handling_unit_id"] == org.dept_a.pk
    assert bodies[3]["data"]["changed"] == ["cause_code", "cause_side"]
    assert bodies[3]["data"]["cause_code"] == "materials"


def test_the_body_names_nobody(cases: CaseBuilder) -> None:
    add_endpoint()
    cases.replied(enterprise_name="上海某某贸易有限公司")
    sent = json.dumps([m.payload for m in webhook_messages()], ensure_ascii=False)
    for personal in (PHONE, PHONE[-4:], ID_NUMBER, "张三", "上海某某贸易", "股东会决议"):
        assert personal not in sent


def test_endpoints_get_the_events_they_subscribed_to(cases: CaseBuilder) -> None:
    replies, _ = add_endpoint(events=("reply",))
    every, _ = add_endpoint()
    dispatching, _ = add_endpoint(events=("screen_accept", "dispatch"))
    off, _ = add_endpoint()
    off.enabled = False
    off.save()
    cases.replied()
    assert [m.template for m in webhook_messages(replies)] == ["case.reply"]
    assert len(webhook_messages(every)) == 5
    assert [m.template for m in webhook_messages(dispatching)] == ["case.screen_accept"]
    assert webhook_messages(off) == []


def test_a_refused_change_sends_nothing(cases: CaseBuilder, org: Org) -> None:
    case = cases.in_progress()
    add_endpoint()
    with pytest.raises(ActionRefused):
        do_receive_case(org.handler_a, case.pk)  # received already
    assert webhook_messages() == []


def test_the_messages_are_written_in_the_change_s_transaction(
    cases: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listener that fails takes the change with it: no case without its messages."""
    add_endpoint()

    def broken(self: WebhookEndpoint, event: str) -> bool:
        raise RuntimeError("listener failed")

    monkeypatch.setattr(WebhookEndpoint, "wants", broken)
    with pytest.raises(RuntimeError, match="listener failed"):
        cases.register()
    assert not Case.objects.exists()
    assert webhook_messages() == []
