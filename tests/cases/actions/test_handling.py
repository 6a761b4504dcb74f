"""Contact and cause analysis (cases/actions/handling.py)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.models import (
    ContactRecord,
    State,
)
from banchengshi.errors import InvalidInput
from tests.cases.actions.helpers import (
    clocks,
    fresh,
    last_event,
    refused,
    work,
)
from tests.cases.conftest import (
    NOW,
    CaseBuilder,
    Org,
    end_of,
    sh,
)

# --- contact and cause (R-DIS-5, R-DIS-7) ---------------------------------------------------


def test_record_contact(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    contacted = sh(2026, 11, 20, 10, 4)
    record = check_record_contact(
        org.handler_a,
        case.pk,
        method="phone",
        outcome="已电话联系，申请人同意补交材料",
        contacted_at=contacted,
    )
    assert ContactRecord.objects.get(pk=record.pk).contacted_at == contacted
    assert (record.method, record.by) == ("phone", org.handler_a)
    event = last_event(case)
    assert event.action == "record_contact"
    assert event.payload == {"method": "phone", "contacted_at": contacted.isoformat()}
    assert fresh(case).state == State.DISPATCHED  # contact does not change the state


def test_contact_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    contact = partial(check_record_contact, org.handler_a, case.pk)
    naive = dt.datetime(2026, 11, 20, 9)  # noqa: DTZ001
    for args, field in [
        (("pigeon", "已联系申请人"), "method"),
        (("phone", " "), "outcome"),
        (("sms", "已联系", sh(2026, 11, 20, 10, 6)), "contacted_at"),  # 6 minutes ahead
        (("sms", "已联系", naive), "contacted_at"),
        (("sms", "已联系", sh(2026, 11, 20, 9, 59)), "contacted_at"),  # before receipt
    ]:
        error = refused(
            partial(contact, **dict(zip(("method", "outcome", "contacted_at"), args, strict=False)))
        )
        assert isinstance(error, InvalidInput)
        assert error.field == field


def test_record_cause_stops_the_cause_analysis_clock(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    case = check_record_cause(
        org.handler_a, case.pk, code="other", note="办事指南未写明需要原件", side="department"
    )
    case = fresh(case)
    assert (case.cause_code, case.cause_side, case.cause_note) == (
        "other",
        "department",
        "办事指南未写明需要原件",
    )
    assert clocks(case)["cause_analysis", 1].stopped_at == NOW
    assert clocks(case)["reply", 1].stopped_at is None
    # With the cause done, the handler's item follows the reply deadline.
    assert work(case) == [("handle", org.dept_a.pk, end_of(2026, 11, 25))]
    event = last_event(case)
    assert event.action == "record_cause"
    assert event.before == {"cause_code": "", "cause_side": ""}
    assert event.after == {"cause_code": "other", "cause_side": "department"}
    assert event.payload == {"code": "other", "side": "department"}


def test_a_coded_cause_has_a_fixed_side(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    check_record_cause(
        org.handler_a, case.pk, code="system_fault", note="信息系统出现故障", side="petitioner"
    )
    assert fresh(case).cause_side == "department"
    check_record_cause(
        org.clerk, case.pk, code="materials", note="材料不齐全的情况", side="department"
    )
    assert fresh(case).cause_side == "petitioner"


def test_cause_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    record = partial(check_record_cause, org.handler_a, case.pk)
    for args, field in [
        (("laziness", "说不清楚的原因"), "code"),
        (("other", "说不清楚的原因"), "side"),
        (("other", "说不清楚的原因", "both"), "side"),
        (("materials", "缺"), "note"),
        (("materials", "缺少材料"), "note"),  # 4 characters: at least 5
    ]:
        error = refused(partial(record, **dict(zip(("code", "note", "side"), args, strict=False))))
        assert isinstance(error, InvalidInput)
        assert error.field == field
    assert fresh(case).cause_code == ""
