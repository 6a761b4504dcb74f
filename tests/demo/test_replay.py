"""The bulk generator's Simulation restates the engine for speed; here the same plans are driven
both ways — in memory and written in batches, and through the engine's actions under a frozen
clock — and every row and audit event they leave must be the same. A change to an action that
the simulation does not follow fails here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.clocks import policy_version_in_force
from banchengshi.cases.models import (
    Case,
    CaseUnit,
    Clock,
    ClockKind,
    ClockRequest,
    CoHandlingTask,
    ContactRecord,
    ReturnVisit,
    State,
    Supervision,
    WorkItem,
)
from banchengshi.demo import simulation
from banchengshi.demo.district import load_district
from banchengshi.demo.generator import Through, generate_cases
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.policy.deadlines import SHANGHAI

pytestmark = pytest.mark.django_db

# A Wednesday whose year and the one before are in the built-in calendar, so that every
# deadline of the sample is final; the turn of the year (provisional deadlines) has its own
# test below.
NOW = dt.datetime(2026, 6, 17, 15, 30, tzinfo=SHANGHAI)
LATE = dt.datetime(2026, 12, 30, 15, 30, tzinfo=SHANGHAI)
CASES = 120
SEED = 4242

# The rows of a case, by model; each row's own id and the ids of rows made in the same run are
# replaced by stable names (see _Snapshot), every other column is compared as stored. Staff
# notices (Notification) are left out on purpose: only the engine's path writes them (see
# test_only_the_engines_path_leaves_notices).
MODELS: tuple[type[models.Model], ...] = (
    Case,
    CaseUnit,
    Clock,
    WorkItem,
    CoHandlingTask,
    ContactRecord,
    ClockRequest,
    ReturnVisit,
    Supervision,
)


@pytest.fixture
def district() -> None:
    call_command("demo", cases=0, stdout=StringIO())


class _Snapshot:
    """Everything the generated cases left in the database, with the ids the two runs cannot
    share replaced: a case by its tracking number (both runs number the cases in the order of
    receipt, so equal numbers name the same plan), a co-handling task or clock request by its
    case's number and its rank among that case's tasks or requests. Units, people, matters and
    the policy version were made before both runs and keep their ids."""

    def __init__(self) -> None:
        self.case_names = dict(Case.objects.values_list("id", "tracking_no"))
        self.refs: dict[tuple[str, int], tuple[str, int]] = {}
        for model, kind in ((CoHandlingTask, "task"), (ClockRequest, "request")):
            ranks: dict[int, int] = defaultdict(int)
            for pk, case_id in model.objects.order_by("id").values_list("id", "case_id"):
                ranks[case_id] += 1
                self.refs[(kind, pk)] = (self.case_names[case_id], ranks[case_id])

    def _value(self, model: type[models.Model], name: str, value: Any) -> Any:
        if value is None:
            return None
        if name == "case_id":
            return self.case_names[value]
        if name == "task_id":
            return self.refs[("task", value)]
        return value

    def rows(self, model: type[models.Model]) -> list[dict[str, Any]]:
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        rows = [
            {name: self._value(model, name, value) for name, value in zip(names, row, strict=True)}
            for row in model.objects.values_list(*names)
        ]
        return sorted(rows, key=repr)

    def events(self) -> dict[str, list[dict[str, Any]]]:
        """Each case's audit events in order. The chain's sequence numbers and hashes are left
        out: they follow from the order of writing, which differs (the bulk writer chains a
        batch's events in time order, the actions append each when it happens); both chains
        are verified instead. Events of no case (a rectification's, which the knowledge app opens
        from a department-side cause on the engine's path only, as it keeps proposal records)
        are left out: the bulk path writes the cases' history, not the learning loop's."""
        by_case: dict[str, list[dict[str, Any]]] = defaultdict(list)
        fields = ("case_id", "actor_id", "actor_label", "action", "at", "before", "after")
        for *values, payload in AuditEvent.objects.order_by("seq").values_list(*fields, "payload"):
            event = dict(zip(fields, values, strict=True))
            if event["case_id"] is None:
                continue
            for key, kind in (("task", "task"), ("request", "request")):
                if key in payload:
                    payload = {**payload, key: self.refs[(kind, payload[key])]}
            event["payload"] = payload
            by_case[self.case_names[event.pop("case_id")]].append(event)
        return dict(by_case)

    def tables(self) -> dict[str, Any]:
        tables: dict[str, Any] = {model.__name__: self.rows(model) for model in MODELS}
        tables["AuditEvent"] = self.events()
        return tables


def _generate(through: Through, count: int = CASES, now: dt.datetime = NOW) -> dict[str, Any]:
    result = generate_cases(load_district(), count, seed=SEED, now=now, through=through)
    assert result.cases == count
    check = verify_chain()
    assert check.ok, check.problem
    return _Snapshot().tables()


def _in_memory(count: int = CASES, now: dt.datetime = NOW) -> dict[str, Any]:
    """The bulk path's rows, rolled back afterwards so that the next run starts alike."""
    with transaction.atomic():
        tables = _generate("none", count, now)
        transaction.set_rollback(True)
    return tables


def _first_difference(bulk: Any, real: Any) -> str:
    """Where the bulk path's rows first differ from the engine's, field by field."""
    if isinstance(bulk, dict):
        for key in sorted(set(bulk) | set(real)):
            if bulk.get(key) != real.get(key):
                return f"case {key}: {_first_difference(bulk.get(key, []), real.get(key, []))}"
    for index, (mine, theirs) in enumerate(zip(bulk, real, strict=False)):
        if mine != theirs:
            fields = {k: (mine.get(k), theirs.get(k)) for k in theirs if mine.get(k) != theirs[k]}
            return f"row {index} differs (bulk, engine): {fields}"
    return f"{len(bulk)} rows by bulk, {len(real)} by the engine"


def _same_both_ways(count: int, now: dt.datetime = NOW) -> dict[str, Any]:
    # The policy's stored version before both runs, so that both name the same row (a row
    # the first run made would be rolled back with it, and PostgreSQL does not reuse its id).
    policy_version_in_force()
    bulk = _in_memory(count, now)
    assert not Case.objects.exists()
    real = _generate("all", count, now)
    assert list(real) == list(bulk)
    for table, rows in real.items():
        assert bulk[table] == rows, f"{table}: {_first_difference(bulk[table], rows)}"
    assert len(real["Case"]) == count
    return real


def test_the_bulk_generator_and_the_actions_make_the_same_cases(district: None) -> None:
    real = _same_both_ways(CASES)
    # The sample holds every kind of journey: every state, every action the generator takes.
    assert {row["state"] for row in real["Case"]} == set(State.values)
    actions = {event["action"] for events in real["AuditEvent"].values() for event in events}
    assert actions == {
        "register",
        "screen_accept",
        "screen_not_admissible",
        "resolve_on_spot",
        "dispatch",
        "receive",
        "return",
        "dispatch_down",
        "request_cohandling",
        "answer_cohandling",
        "record_contact",
        "record_cause",
        "request_extension",
        "approve_extension",
        "refuse_extension",
        "request_suspension",
        "approve_suspension",
        "resume",
        "reply",
        "return_visit",
        "supervise",
        "close",
    }
    assert {row["kind"] for row in real["Clock"]} == {
        ClockKind.CAUSE_ANALYSIS,
        ClockKind.REPLY,
        ClockKind.NOT_ADMISSIBLE_REPLY,
        ClockKind.COHANDLING,
        ClockKind.RETURN_VISIT,
    }


def test_the_same_under_chongming_with_its_first_contact_clock(
    district: None, settings: Any
) -> None:
    settings.BANCHENGSHI_POLICY = "chongming"
    real = _same_both_ways(60)
    assert ClockKind.CONTACT in {row["kind"] for row in real["Clock"]}


def test_the_same_under_liuzhou_whose_reply_limit_follows_the_cause(
    district: None, settings: Any
) -> None:
    """The reply clock's limit is chosen again when the cause's side is recorded."""
    settings.BANCHENGSHI_POLICY = "liuzhou"
    real = _same_both_ways(60)
    limits = {
        row["limit_name"]
        for row in real["Clock"]
        if row["kind"] == ClockKind.REPLY and row["round"] == 1  # a supervision sets its own
    }
    assert limits == {"reply.petitioner_side", "reply.department_side"}


def test_only_the_engines_path_leaves_notices(district: None) -> None:
    """Notices are about what happens now: the bulk path writes none for its year of history
    (they would fill every inbox with thousands of stale unread notices, and slow the
    benchmarks' million cases), while the cases driven through the actions (the showcase)
    keep those the actions wrote, so that the demo's bell has something to show."""
    with transaction.atomic():
        _generate("none", 60)
        assert not Notification.objects.exists()
        transaction.set_rollback(True)
    _generate("all", 60)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {NotificationKind.CASE_DISPATCHED, NotificationKind.SUPERVISION_OPENED} <= kinds


def test_a_simulation_that_drifts_from_the_engine_is_caught(
    district: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison sees a one-line drift: a first contact that no longer stops the clock."""
    faithful = _in_memory(60)
    monkeypatch.setattr(simulation.Simulation, "_stop", lambda self, at, *kinds: None)
    drifted = _in_memory(60)
    assert faithful["Clock"] != drifted["Clock"]


def test_the_same_at_the_turn_of_the_year_with_provisional_deadlines(district: None) -> None:
    """Late in the last year the calendar knows, deadlines reaching 2027 go ahead counted
    Monday to Friday and flagged (R-SLA-1), the same way in memory and through the engine."""
    real = _same_both_ways(60, LATE)
    provisional = [row for row in real["Clock"] if row["provisional"]]
    assert provisional
    assert all(row["due"].year == 2027 for row in provisional)
    assert all(row["due"].year == 2026 for row in real["Clock"] if not row["provisional"])
    assert any(row["provisional"] for row in real["WorkItem"])
    hand_set = [row for row in real["Clock"] if row["kind"] == ClockKind.COHANDLING]
    assert hand_set
    assert all(row["workdays"] for row in hand_set)
