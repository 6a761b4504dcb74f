"""The outbox sender (notify.sending): claimed in one short transaction, sent with none open,
the result recorded in another; retries with a doubling backoff; a message given up is kept,
blanked, and shown to the system administrators; a claim abandoned by a dead sender is taken
again once it runs out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from banchengshi.identifiers import mask_phone
from banchengshi.intake import portal
from banchengshi.notify import sending
from banchengshi.notify.models import Notification, OutboxMessage
from banchengshi.notify.outbox import enqueue
from banchengshi.notify.senders import SENDERS
from tests.cases.conftest import NOW, FrozenTime, Org
from tests.intake.test_portal import appeal

SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def failing_sms(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def gateway_down(message: OutboxMessage) -> None:
        calls.append(message.recipient)
        raise ConnectionError("SMS gateway unreachable")

    monkeypatch.setitem(SENDERS, "sms", gateway_down)
    return calls


@pytest.fixture
def short_backoff(settings: object) -> None:
    settings.BANCHENGSHI_OUTBOX_MAX_ATTEMPTS = 4  # type: ignore[attr-defined]
    settings.BANCHENGSHI_OUTBOX_RETRY_SECONDS = 60  # type: ignore[attr-defined]
    settings.BANCHENGSHI_OUTBOX_RETRY_MAX_SECONDS = 150  # type: ignore[attr-defined]


def sms() -> OutboxMessage:
    payload = {"tracking_no": "PT-2026-000001", "access_code": "12345678"}
    return enqueue(channel="sms", recipient="13812345678", template="appeal_filed", payload=payload)


def test_it_retries_after_60_120_then_150_seconds_and_gives_up_at_the_fourth(
    org: Org, frozen_time: FrozenTime, failing_sms: list[str], short_backoff: None
) -> None:
    message = sms()
    waits = []
    for _ in range(3):
        assert sending.send_pending() == 0
        message.refresh_from_db()
        assert (message.status, message.claim, message.claimed_until) == ("pending", "", None)
        waits.append(message.next_attempt_at - frozen_time())
        # Not due a second early.
        frozen_time.set(message.next_attempt_at - SECOND)
        assert sending.send_pending() == 0
        frozen_time.advance(seconds=1)
    assert waits == [dt.timedelta(seconds=60), dt.timedelta(seconds=120), dt.timedelta(seconds=150)]
    assert sending.send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, len(failing_sms)) == ("given_up", 4, 4)
    assert message.last_error == "ConnectionError: SMS gateway unreachable"
    assert message.payload == {"tracking_no": "PT-2026-000001", "access_code": "***"}
    frozen_time.advance(days=1)
    assert sending.send_pending() == 0
    assert len(failing_sms) == 4  # never tried again


def test_the_default_schedule_doubles_up_to_six_hours() -> None:
    schedule = sending.backoff()
    minutes = [schedule.delay(n) / dt.timedelta(minutes=1) for n in range(1, 11)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360]
    assert schedule.max_attempts == 8


def test_a_message_given_up_tells_the_system_administrators(
    org: Org, failing_sms: list[str], short_backoff: None
) -> None:
    filed = portal.check_file_appeal(appeal(org), [])
    message = OutboxMessage.objects.get(case=filed.case)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=3)
    assert sending.send_pending() == 0
    (notice,) = Notification.objects.all()
    assert (notice.user_id, notice.kind, notice.case_id) == (
        org.sysadmin.pk,
        "outbox.given_up",
        filed.case.pk,
    )
    assert notice.params == {
        "message": message.pk,
        "channel": "sms",
        "template": "appeal_filed",
        "attempts": 4,
        "recipient": mask_phone(message.recipient),
    }


def test_the_administrators_list_shows_what_was_given_up(
    org: Org, failing_sms: list[str], short_backoff: None
) -> None:
    given_up, waiting = sms(), sms()
    OutboxMessage.objects.filter(pk=given_up.pk).update(attempts=3)
    OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=NOW + dt.timedelta(hours=1))
    sending.send_pending()
    User.objects.create_superuser("root", password="x-very-long-password")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="root"))
    url = reverse("admin:notify_outboxmessage_changelist")
    page = client.get(url, {"status__exact": "given_up"}).content.decode()
    links = [
        reverse("admin:notify_outboxmessage_change", args=[pk]) for pk in (given_up.pk, waiting.pk)
    ]
    assert [page.count(f'href="{link}') for link in links] == [1, 0]
    assert "ConnectionError: SMS gateway unreachable" in page
    assert "138****5678" in page
    assert "13812345678" not in page


def test_an_undeliverable_message_is_given_up_at_once(org: Org) -> None:
    message = enqueue(channel="fax", recipient="021-1234", template="x", payload={})
    assert sending.send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "given_up",
        1,
        "no sender for channel 'fax'",
    )


def test_a_claim_abandoned_by_a_dead_sender_is_taken_again_when_it_runs_out(
    org: Org, frozen_time: FrozenTime, settings: object
) -> None:
    settings.BANCHENGSHI_OUTBOX_CLAIM_SECONDS = 600  # type: ignore[attr-defined]
    message = sms()
    (claimed,) = sending.claim(10)  # the sender dies here, holding its claim
    assert (claimed.attempts, claimed.claimed_until) == (1, NOW + dt.timedelta(minutes=10))
    assert sending.send_pending() == 0  # still claimed
    frozen_time.advance(minutes=10)
    assert sending.send_pending() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (
        "sent",
        2,
        NOW + dt.timedelta(minutes=10),
    )


def test_only_the_claim_holder_records_a_result(
    org: Org, frozen_time: FrozenTime, settings: object
) -> None:
    settings.BANCHENGSHI_OUTBOX_CLAIM_SECONDS = 60  # type: ignore[attr-defined]
    sms()
    (slow,) = sending.claim(10)
    frozen_time.advance(minutes=2)  # the slow sender's claim ran out; another took the message
    (fast,) = sending.claim(10)
    assert sending.deliver(fast) == 1
    assert sending.deliver(slow) == 0  # sent already: nothing recorded twice
    assert OutboxMessage.objects.get().attempts == 2


def test_a_message_claimed_beyond_the_limit_is_given_up_unsent(
    org: Org, frozen_time: FrozenTime, failing_sms: list[str], short_backoff: None
) -> None:
    message = sms()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=4)  # 4 senders died on it
    assert sending.send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.last_error, failing_sms) == (
        "given_up",
        "abandoned by its senders",
        [],
    )


@pytest.mark.django_db(transaction=True)
def test_messages_are_sent_with_no_transaction_open(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[bool, int]] = []

    def watching(message: OutboxMessage) -> None:
        # Another connection could write now; this one holds no transaction.
        seen.append((connection.in_atomic_block, message.attempts))

    monkeypatch.setitem(SENDERS, "sms", watching)
    sms(), sms()
    assert sending.send_pending() == 2
    assert seen == [(False, 1), (False, 1)]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
