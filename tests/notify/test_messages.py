"""The SMS a petitioner receives (notify.messages): composed when sent, with working links,
and secrets blanked from the outbox once sent."""

from __future__ import annotations

import logging
import re

import pytest

from banchengshi.intake import portal
from banchengshi.intake.tracking import rating_link
from banchengshi.notify import outbox
from banchengshi.notify.messages import sms_text
from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.outbox import send_pending
from tests.cases.conftest import CaseBuilder, Org
from tests.intake.test_portal import appeal


def sent_texts(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "banchengshi.notify"]


def test_the_filing_sms_carries_the_code_which_the_outbox_then_forgets(
    org: Org, settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings.BANCHENGSHI_PUBLIC_URL = "https://bcs.example.gov.cn/"  # type: ignore[attr-defined]
    filed = portal.check_file_appeal(appeal(org), [])
    code = filed.access_code
    with caplog.at_level(logging.INFO, logger="banchengshi.notify"):
        assert send_pending() == 1
    (logged,) = sent_texts(caplog)
    assert "138****5678" in logged  # the log keeps neither the whole number nor the code
    assert filed.case.tracking_no in logged
    assert "查询码*** （" in logged
    assert "https://bcs.example.gov.cn/track/" in logged
    # What a gateway sends has the code, grouped to be read out.
    assert f"{code[:4]} {code[4:]}" in sms_text(
        OutboxMessage(
            template="appeal_filed",
            payload={"tracking_no": filed.case.tracking_no, "access_code": code},
        )
    )
    message = OutboxMessage.objects.get(case=filed.case)
    assert message.sent_at is not None
    assert message.payload == {"tracking_no": filed.case.tracking_no, "access_code": "***"}


def test_the_reply_sms_links_to_rating_that_answer(
    org: Org, cases: CaseBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    case = cases.replied()
    with caplog.at_level(logging.INFO, logger="banchengshi.notify"):
        send_pending()
    (text,) = [t for t in sent_texts(caplog) if "已答复" in t]
    token = re.search(r"/r/([^/\s]+)/", text)
    assert token is not None
    link = rating_link(token.group(1))
    assert link is not None
    assert (link.case_id, link.round) == (case.pk, 1)


def test_a_message_given_up_on_forgets_its_secret(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal.check_file_appeal(appeal(org), [])

    def gateway_down(message: OutboxMessage) -> None:
        raise ConnectionError("SMS gateway unreachable")

    monkeypatch.setattr(outbox, "deliver", gateway_down)
    for _ in range(outbox.MAX_ATTEMPTS):
        assert send_pending() == 0
    message = OutboxMessage.objects.get()
    assert (message.sent_at, message.attempts) == (None, outbox.MAX_ATTEMPTS)
    assert message.payload["access_code"] == "***"
    assert "unreachable" in message.last_error


def test_an_sms_without_words_stays_in_the_outbox(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    OutboxMessage.objects.create(
        channel="sms", recipient="13812345678", template="unknown", payload={}, case=case
    )
    assert send_pending() == 0
    message = OutboxMessage.objects.get(template="unknown")
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "unknown" in message.last_error
