"""The SMS a petitioner receives (notify.messages): its words and values, a short link for
rating, and secrets blanked from the outbox once sent."""

from __future__ import annotations

import logging
import re

import pytest

from banchengshi.intake import portal
from banchengshi.notify.messages import sms_text, sms_values
from banchengshi.notify.models import OutboxMessage, ShortLink
from banchengshi.notify.sending import send_pending
from tests.cases.conftest import NOW, CaseBuilder, Org
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
    assert "查询码***（" in logged
    assert "https://bcs.example.gov.cn/track/" in logged
    # What a gateway sends has the code; the words group it to be read out.
    payload = {"tracking_no": filed.case.tracking_no, "access_code": code}
    assert sms_values("appeal_filed", payload)["access_code"] == code
    assert f"{code[:4]} {code[4:]}" in sms_text("appeal_filed", payload)
    message = OutboxMessage.objects.get(case=filed.case)
    assert (message.status, message.sent_at, message.attempts) == ("sent", NOW, 1)
    assert message.payload == {"tracking_no": filed.case.tracking_no, "access_code": "***"}


def test_the_reply_sms_carries_a_short_link_for_that_answer(
    org: Org, cases: CaseBuilder, caplog: pytest.LogCaptureFixture, settings: object
) -> None:
    settings.BANCHENGSHI_PUBLIC_URL = "https://bcs.example.gov.cn"  # type: ignore[attr-defined]
    case = cases.replied()
    with caplog.at_level(logging.INFO, logger="banchengshi.notify"):
        send_pending()
    (text,) = [t for t in sent_texts(caplog) if "已答复" in t]
    found = re.search(r"https://bcs\.example\.gov\.cn/s/([0-9A-Za-z]{8})/$", text)
    assert found is not None
    link = ShortLink.objects.get(code=found.group(1))
    assert (link.case_id, link.round, link.purpose) == (case.pk, 1, "rate")
    assert sms_values("reply", {"tracking_no": "X", "link": link.code})["link"] == link.code


def test_an_sms_without_words_is_given_up_at_once(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    OutboxMessage.objects.create(
        channel="sms", recipient="13812345678", template="unknown", payload={}, case=case
    )
    assert send_pending() == 0
    message = OutboxMessage.objects.get(template="unknown")
    assert (message.status, message.sent_at, message.attempts) == ("given_up", None, 1)
    assert message.last_error == "no SMS template 'unknown'"
