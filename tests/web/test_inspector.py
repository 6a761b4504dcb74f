"""Oversight (R-REP-5): search over every case, a case's audit trail with each event checked
against the hash chain (tampering found, as in tests/audit/test_chain.py, by changing rows behind
the model's back), the verification of the whole chain; read-only and only for overseers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from banchengshi.audit.anchors import anchor_head
from banchengshi.audit.chain import event_hash
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.actions.answer import check_supervise_case
from banchengshi.cases.models import Case
from tests.audit.tamper import tamper, tampering
from tests.audit.test_anchors import rehash_from
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.web.conftest import SignedIn
from tests.web.test_worklist import _queries, english, page, tables

INSPECT = reverse("web:inspect")
VERIFY = reverse("web:inspect_verify")
FOUND = "Cases, newest first"
TRAIL = "Audit events, oldest first"


def audit_url(case: Case) -> str:
    return reverse("web:inspect_audit", args=[case.pk])


def delete_event(seq: int) -> None:
    """Behind the model's back, as someone with database access would."""
    tamper("DELETE FROM {table} WHERE seq = %s", [seq])


@pytest.fixture
def district(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> dict[str, Case]:
    frozen_time.set(sh(2026, 11, 16, 9))
    old = cases.closed(petitioner_name="李四", phone="13900001111")
    frozen_time.set(sh(2026, 11, 20, 10))
    new = cases.awaiting()
    other = cases.in_progress()
    return {"old": old, "new": new, "other": other}


def test_search_over_every_case(signed_in: SignedIn, district: dict[str, Case]) -> None:
    c = district
    client = english(signed_in("inspector"))

    def found(**params: str) -> list[str]:
        return [row[0] for row in tables(page(client, INSPECT, **params)).get(FOUND, [])]

    everything = [c["other"].tracking_no, c["new"].tracking_no, c["old"].tracking_no]
    assert found() == everything
    assert found(q=c["new"].tracking_no.lower()) == [c["new"].tracking_no]
    assert found(q="13900001111") == [c["old"].tracking_no]
    assert found(q="李四") == [c["old"].tracking_no]
    assert found(state="closed") == [c["old"].tracking_no]
    assert found(received_to="2026-11-16") == [c["old"].tracking_no]
    assert found(received_from="2026-11-17") == everything[:2]
    html = page(client, INSPECT)
    row = tables(html)[FOUND][2]
    assert row[3:6] == ["李四", "closed", "区市场监管局"]
    assert "13900001111" not in html  # names only: the inspector does not call anyone
    assert (
        "Over every case, a search brings the newest 500 matches of each kind (number, name, "
        "words); choose a state or a period to search all of them."
    ) in html
    assert f'href="{audit_url(c["old"])}"' in html
    assert f'href="{reverse("web:case", args=[c["old"].pk])}"' in html
    assert "Select a valid choice" in page(client, INSPECT, state="open", page="0")


def test_only_overseers_may_inspect(
    org: Org, signed_in: SignedIn, district: dict[str, Case]
) -> None:
    for name in ("dispatcher", "clerk", "handler_a", "leader_a"):
        for url in (INSPECT, audit_url(district["old"]), VERIFY):
            response = english(signed_in(name)).get(url)
            assert response.status_code == 403, (name, url)
            assert "Only inspectors and office administrators" in response.content.decode()
    assert signed_in("officeadmin").get(audit_url(district["old"])).status_code == 200
    assert signed_in("inspector").get(audit_url(Case(pk=999_999))).status_code == 404


def test_a_cases_audit_trail(signed_in: SignedIn, district: dict[str, Case]) -> None:
    old = district["old"]
    html = page(english(signed_in("inspector")), audit_url(old))
    rows = tables(html)[TRAIL]
    events = list(AuditEvent.objects.filter(case=old).order_by("seq"))
    assert [row[0] for row in rows] == [str(e.seq) for e in events]
    assert [row[3] for row in rows] == [
        "Registered",
        "Accepted",
        "Signed for",
        "Cause analysed",
        "Replied",
        "Return visit",
        "Closed",
    ]
    accepted = rows[1]
    assert accepted[1] == "2026-11-16 09:00:00"
    assert accepted[2] == "clerk"
    assert "State: registered → dispatched" in accepted[4]
    assert "Handling unit: — → 区市场监管局" in accepted[4]
    assert "Unit 区市场监管局 Dispatch automatic" in accepted[5]
    assert all(row[6].startswith("Intact") for row in rows)
    assert "All 7 events of this case are unchanged and linked into the chain." in html


def test_a_changed_event_is_found_in_the_trail_and_by_the_whole_chain(
    signed_in: SignedIn, district: dict[str, Case]
) -> None:
    old = district["old"]
    reply = AuditEvent.objects.get(case=old, action="reply")
    with tampering():
        AuditEvent.objects.filter(pk=reply.pk).update(payload={"channel": "sms", "text": "已办结"})
    client = english(signed_in("inspector"))
    html = page(client, audit_url(old))
    checks = {row[0]: row[6] for row in tables(html)[TRAIL]}
    assert checks[str(reply.seq)].startswith("Changed after it was written")
    assert all(v.startswith("Intact") for k, v in checks.items() if k != str(reply.seq))
    assert "Some events of this case fail the check" in html
    assert f'<tr id="event-{reply.seq}" class="broken">' in html
    # Other cases' trails stay intact: the next event in the chain belongs to this case.
    assert "Some events" not in page(client, audit_url(district["other"]))

    result = client.post(VERIFY).content.decode()
    assert f"Event #{reply.seq} was changed after it was written." in result
    assert f"The {reply.seq - 1} events before it are intact." in result
    assert f'href="{audit_url(old)}#event-{reply.seq}"' in result


def test_a_rehashed_event_no_longer_follows_the_one_before(
    signed_in: SignedIn, district: dict[str, Case]
) -> None:
    """A forger who rewrites an event and its own hash still breaks the link to the event
    before it."""
    new = district["new"]
    event = AuditEvent.objects.filter(case=new).order_by("seq").last()
    assert event is not None
    forged_prev = "f" * 64
    forged_hash = event_hash(
        event.seq,
        event.case_id,
        event.actor_id,
        event.actor_label,
        event.action,
        event.at,
        event.before,
        event.after,
        event.payload,
        forged_prev,
    )
    with tampering():
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=forged_prev, hash=forged_hash)
    client = english(signed_in("inspector"))
    checks = {row[0]: row[6] for row in tables(page(client, audit_url(new)))[TRAIL]}
    assert checks[str(event.seq)].startswith("Does not follow the event before it")
    result = client.post(VERIFY).content.decode()
    assert f"Event #{event.seq} does not follow the event before it." in result


def test_a_deleted_event_is_found(signed_in: SignedIn, district: dict[str, Case]) -> None:
    new = district["new"]
    first = AuditEvent.objects.filter(case=new).order_by("seq").first()
    assert first is not None
    before = first.seq - 1  # the old case's last event
    delete_event(before)
    client = english(signed_in("inspector"))
    checks = {row[0]: row[6] for row in tables(page(client, audit_url(new)))[TRAIL]}
    assert checks[str(first.seq)].startswith("The event before it is missing")
    result = client.post(VERIFY).content.decode()
    assert f"Event #{before} is missing: it was deleted, or the chain was cut short." in result


def test_verifying_the_whole_chain(signed_in: SignedIn, district: dict[str, Case]) -> None:
    client = english(signed_in("inspector"))
    asked = page(client, VERIFY)
    assert "Verify the whole chain now" in asked
    assert "Result" not in asked  # verification reads every event: only when asked for
    total = AuditEvent.objects.count()
    result = client.post(VERIFY).content.decode()
    assert f"The chain is intact: {total} events checked." in result
    assert "It holds to the 0 anchors written outside the database." in result


def test_the_page_checks_the_anchors_as_the_command_does(
    signed_in: SignedIn, district: dict[str, Case]
) -> None:
    """A writer who rewrites an event and re-hashes every later one passes the chain's own
    check; the anchor written before finds it, on the inspector's page too."""
    client = english(signed_in("inspector"))
    anchor_head()
    assert (
        "It holds to 1 anchor written outside the database." in client.post(VERIFY).content.decode()
    )
    rehash_from(3, label="mallory")
    result = client.post(VERIFY).content.decode()
    assert "The chain is intact" not in result
    assert (
        "The chain recomputes, but it does not hold to the anchors written outside the "
        "database: it was rewritten or cut short after they were written."
    ) in result
    assert "no longer has the hash the anchor on line 1" in result


def test_queries_do_not_grow_with_the_cases(
    org: Org, cases: CaseBuilder, signed_in: SignedIn, capsys: pytest.CaptureFixture[str]
) -> None:
    inspector = signed_in("inspector")
    target = cases.closed()
    check_supervise_case(org.dispatcher, target.pk, reason="回访发现仍未解决", days=5)

    def measure() -> dict[str, int]:
        return {
            "search": _queries(inspector, INSPECT),
            "search, filtered": _queries(
                inspector, f"{INSPECT}?state=in_progress&received_from=2026-01-01&page=2"
            ),
            "audit trail": _queries(inspector, audit_url(target)),
        }

    for _ in range(3):
        cases.awaiting()
        cases.in_progress()
        cases.replied()
    small = measure()
    for _ in range(63):
        cases.awaiting()
        cases.in_progress()
        cases.replied()
    cases.register()
    assert Case.objects.count() == 200
    large = measure()
    with capsys.disabled():
        print(f"\ninspection queries with 10 cases: {small}; with 200: {large}")
    assert small == large
