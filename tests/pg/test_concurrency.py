"""Concurrent writers on PostgreSQL (R-Q-4): nothing lost, nothing overwritten, a gap-free chain.

Each test commits for real (transaction=True) and runs its writers in threads, each with its
own database connection, released at the end of the thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.actions.answer import check_reply_case
from banchengshi.cases.actions.dispatch import do_receive_case
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.models import Case, State
from banchengshi.errors import ActionRefused, Conflict, InvalidState
from tests.cases.conftest import CaseBuilder, Org, registration

THREADS = 8


def in_threads(count: int, work: Callable[[int], Any]) -> list[tuple[str, Any]]:
    """Run work(0..count-1) in threads released together; ("ok", result) or ("error", exc)."""
    barrier = threading.Barrier(count)
    results: list[tuple[str, Any]] = [("missing", None)] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = ("ok", work(index))
        except Exception as exc:  # reported to the test, which decides
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results


def assert_chain_gap_free() -> int:
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == len(seqs)
    return len(seqs)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_consecutive_numbers(org: Org) -> None:
    results = in_threads(
        THREADS,
        lambda i: (
            check_register_case(org.clerk, registration(petitioner_name=f"申请人{i}")).tracking_no
        ),
    )
    assert [status for status, _ in results] == ["ok"] * THREADS, results
    numbers = sorted(number for _, number in results)
    assert numbers == [f"PT-2026-{n:06d}" for n in range(1, THREADS + 1)]
    # Each number is taken last in its registration: the stored rows and the audit events hold
    # it, never the placeholder the case was inserted with.
    assert sorted(Case.objects.values_list("tracking_no", flat=True)) == numbers
    assert (
        sorted(
            AuditEvent.objects.filter(action="register").values_list(
                "after__tracking_no", flat=True
            )
        )
        == numbers
    )
    assert Case.objects.count() == THREADS
    assert set(Case.objects.values_list("petitioner_name", flat=True)) == {
        f"申请人{i}" for i in range(THREADS)
    }
    assert assert_chain_gap_free() == THREADS


def race_two_receipts(org: Org, case: Case) -> None:
    users = [org.handler_a, org.leader_a]
    results = in_threads(2, lambda i: do_receive_case(users[i], case.pk))
    assert sorted(status for status, _ in results) == ["error", "ok"], results
    [error] = [value for status, value in results if status == "error"]
    assert isinstance(error, InvalidState)
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.owner_unit_id, after.version) == (
        State.IN_PROGRESS,
        org.dept_a.pk,
        case.version + 1,
    )
    assert list(
        AuditEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True)
    ) == ["register", "screen_accept", "receive"]


@pytest.mark.django_db(transaction=True)
def test_two_receipts_of_one_case(org: Org, cases: CaseBuilder) -> None:
    """Both sign for the same work order: one wins, the other is told the state changed."""
    for _ in range(4):
        race_two_receipts(org, cases.dispatched())
    assert_chain_gap_free()


def race_receive_against_contact(org: Org, case: Case) -> None:
    seen = case.version

    def act(i: int) -> Any:
        if i == 0:
            return do_receive_case(org.handler_a, case.pk, version=seen)
        return check_record_contact(
            org.leader_a, case.pk, method="phone", outcome="已电话联系申请人", version=seen
        )

    results = in_threads(2, act)
    assert sorted(status for status, _ in results) == ["error", "ok"], results
    [error] = [value for status, value in results if status == "error"]
    assert isinstance(error, Conflict)
    assert error.code == "conflict"
    after = Case.objects.get(pk=case.pk)
    assert after.version == seen + 1
    done = list(
        AuditEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True)
    )
    if results[0][0] == "ok":
        assert after.state == State.IN_PROGRESS
        assert not after.contacts.exists()
        assert done == ["register", "screen_accept", "receive"]
    else:
        assert after.state == State.DISPATCHED
        assert after.contacts.count() == 1
        assert done == ["register", "screen_accept", "record_contact"]


@pytest.mark.django_db(transaction=True)
def test_receive_against_contact_with_the_same_version(org: Org, cases: CaseBuilder) -> None:
    """Two people act on the version they both saw: exactly one change lands, the other is a
    conflict, never a silent overwrite. (Receive against *return* is not raced here: when the
    return wins, the loser gets Forbidden instead of Conflict; see test_lifecycle's
    test_stale_version_after_a_return_is_a_conflict.)"""
    for _ in range(4):
        race_receive_against_contact(org, cases.dispatched())
    assert_chain_gap_free()


@pytest.mark.django_db(transaction=True)
def test_writers_on_different_cases_keep_one_chain(org: Org, cases: CaseBuilder) -> None:
    prepared = [cases.dispatched() for _ in range(THREADS)]

    def handle(i: int) -> None:
        case_id = prepared[i].pk
        do_receive_case(org.handler_a, case_id)
        check_record_contact(
            org.handler_a, case_id, method="phone", outcome=f"第{i}次电话联系申请人"
        )
        check_record_cause(org.handler_a, case_id, code="materials", note="申请人材料不齐全")

    results = in_threads(THREADS, handle)
    assert [status for status, _ in results] == ["ok"] * THREADS, results
    assert assert_chain_gap_free() == THREADS * 2 + THREADS * 3
    for case in prepared:
        assert Case.objects.get(pk=case.pk).version == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_refused_leave_no_trace(org: Org, cases: CaseBuilder) -> None:
    """Eight people reply to one case at once: one reply, seven refusals, one event."""
    case = cases.analysed()

    def reply(i: int) -> Case:
        return check_reply_case(org.handler_a, case.pk, text=f"第{i}号答复：已办结并告知申请人")

    results = in_threads(THREADS, reply)
    assert sorted(status for status, _ in results) == ["error"] * (THREADS - 1) + ["ok"]
    for status, value in results:
        if status == "error":
            assert isinstance(value, ActionRefused)
            assert value.code == "invalid_state"
    assert AuditEvent.objects.filter(case=case, action="reply").count() == 1
    assert_chain_gap_free()


# --- encoding ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_server_encoding_is_utf8() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW SERVER_ENCODING")
        assert cursor.fetchone() == ("UTF8",)
        cursor.execute("SHOW CLIENT_ENCODING")
        assert cursor.fetchone() == ("UTF8",)
        cursor.execute("SELECT %s::text, length(%s::text)", ["办不成事𠀀", "办不成事𠀀"])
        assert cursor.fetchone() == ("办不成事𠀀", 5)


@pytest.mark.django_db
def test_chinese_text_roundtrip(org: Org, cases: CaseBuilder) -> None:
    text = "营业执照变更登记：窗口称“材料不齐”，三次往返仍未办成𠀀"
    case = cases.analysed(petitioner_name="欧阳娜娜", description=text)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.petitioner_name, stored.description) == ("欧阳娜娜", text)
    assert list(
        Case.objects.filter(description__contains="三次往返").values_list("pk", flat=True)
    ) == [case.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT petitioner_name FROM cases_case WHERE description LIKE %s", ["%仍未办成%"]
        )
        assert cursor.fetchall() == [("欧阳娜娜",)]
    event = AuditEvent.objects.get(case=case, action="record_cause")
    assert event.payload == {"code": "materials", "side": "petitioner"}
    assert verify_chain().ok
