"""A failed session becomes a 办不成事 case in one step, through the case registration."""

from __future__ import annotations

import pytest

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case, CaseUnit, Channel, State, WorkItem, WorkKind
from banchengshi.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.neighborhood.sessions.actions import check_register_failed_session
from banchengshi.neighborhood.sessions.models import RemoteSession
from tests.cases.conftest import ID_NUMBER, PHONE, FrozenTime, sh
from tests.neighborhood.sessions.conftest import Streets

WHY = "视频连线中断，中心无法调取社保信息。"


def failed(streets: Streets) -> RemoteSession:
    return streets.session(outcome="failed", outcome_note=WHY)


def test_it_registers_the_case_at_the_center(streets: Streets, frozen_time: FrozenTime) -> None:
    session = failed(streets)
    frozen_time.set(sh(2026, 11, 20, 10, 30))
    case = check_register_failed_session(streets.center_staff_a, session.pk)
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.channel) == (State.REGISTERED, Channel.REMOTE_WINDOW)
    assert (case.registered_unit, case.failed_at_unit) == (streets.center_a, streets.center_a)
    assert (case.petitioner_name, case.phone, case.id_number) == ("王秀兰", PHONE, ID_NUMBER)
    assert case.matter == streets.matter_r
    assert case.description == WHY
    assert case.window == "甲一居委会服务站"
    assert case.received_at == sh(2026, 11, 20, 9, 0)
    assert case.registered_by == streets.center_staff_a
    assert case.tracking_no == "PT-2026-000001"
    # The center's window screens it, as any case registered there.
    assert WorkItem.objects.get(case=case).kind == WorkKind.SCREEN
    assert CaseUnit.objects.get(case=case).unit == streets.center_a
    session.refresh_from_db()
    assert session.case == case


def test_it_writes_the_sessions_event_and_the_cases(streets: Streets) -> None:
    session = failed(streets)
    case = check_register_failed_session(streets.point_staff_a1, session.pk)
    event = AuditEvent.objects.get(action="remote_session.case_registered")
    assert event.payload == {
        "session": session.pk,
        "point": streets.point_a1.pk,
        "case": case.pk,
        "tracking_no": case.tracking_no,
    }
    assert AuditEvent.objects.filter(case_id=case.pk, action="register").count() == 1


def test_it_refuses_a_second_time(streets: Streets) -> None:
    session = failed(streets)
    case = check_register_failed_session(streets.point_staff_a1, session.pk)
    with pytest.raises(Conflict) as refused:
        check_register_failed_session(streets.center_staff_a, session.pk)
    assert str(refused.value.message) == f"本次办理已转为工单 {case.tracking_no}。"
    assert Case.objects.count() == 1


def test_it_refuses_a_session_that_did_not_fail(streets: Streets) -> None:
    session = streets.session(outcome="done")
    with pytest.raises(InvalidState) as refused:
        check_register_failed_session(streets.point_staff_a1, session.pk)
    assert str(refused.value.message) == "只有未办成的远程办理才能转为办不成事工单。"


def test_it_refuses_people_who_only_look(streets: Streets) -> None:
    session = failed(streets)
    with pytest.raises(Forbidden) as refused:
        check_register_failed_session(streets.org.officeadmin, session.pk)
    assert str(refused.value.message) == "只有本次办理的服务点或受理中心工作人员可以登记为工单。"


def test_it_refuses_another_street(streets: Streets) -> None:
    session = failed(streets)
    with pytest.raises(NotFound):
        check_register_failed_session(streets.center_staff_b, session.pk)


def test_it_refuses_a_session_older_than_the_registration_allows(
    streets: Streets, frozen_time: FrozenTime
) -> None:
    session = failed(streets)
    frozen_time.set(sh(2026, 12, 21, 10, 0))
    with pytest.raises(InvalidInput) as refused:
        check_register_failed_session(streets.point_staff_a1, session.pk)
    assert refused.value.errors == {"received_at": ["受理时间不能早于 30 天前。"]}
    session.refresh_from_db()
    assert session.case is None
    assert not Case.objects.exists()
