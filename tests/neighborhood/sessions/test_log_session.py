"""Logging a remote session at a point (R-NB-2): who may, what is checked, what is written."""

from __future__ import annotations

import pytest

from banchengshi.audit.models import AuditEvent
from banchengshi.errors import Forbidden, InvalidInput, InvalidState
from banchengshi.evaluation.models import EvaluationInvite
from banchengshi.neighborhood.models import PointStatus
from banchengshi.neighborhood.sessions.actions import MaterialInput, check_log_session
from banchengshi.neighborhood.sessions.models import Circulation, CirculationStep
from banchengshi.notify.models import OutboxMessage
from tests.cases.conftest import FrozenTime, sh
from tests.neighborhood.sessions.conftest import Streets, session_input


def refusal(streets: Streets, **fields: object) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as refused:
        streets.session(**fields)
    return {field: [str(m) for m in messages] for field, messages in refused.value.errors.items()}


def test_it_logs_a_session_with_its_materials_listed(streets: Streets) -> None:
    session = streets.session()
    assert session.point == streets.point_a1
    assert session.center == streets.center_a
    assert session.point_staff == streets.point_staff_a1
    assert session.center_staff == streets.center_staff_a
    assert session.circulation == Circulation.LISTED
    materials = list(session.materials.values_list("position", "name", "copies", "original"))
    assert materials == [(1, "户口簿", 1, True), (2, "身份证复印件", 2, False)]
    step = CirculationStep.objects.get(session=session)
    assert (step.state, step.at, step.actor) == (
        Circulation.LISTED,
        sh(2026, 11, 20, 10, 0),
        streets.point_staff_a1,
    )


def test_it_writes_one_audit_event(streets: Streets) -> None:
    session = streets.session()
    event = AuditEvent.objects.get(action="remote_session.logged")
    assert event.case_id is None
    assert event.payload == {"session": session.pk, "point": streets.point_a1.pk, "materials": 2}
    assert event.after == {"outcome": "accepted", "circulation": "listed"}


def test_it_logs_a_session_without_materials(streets: Streets) -> None:
    session = streets.session(materials=())
    assert session.circulation == Circulation.NONE
    assert not CirculationStep.objects.filter(session=session).exists()


def test_it_normalises_the_petitioner(streets: Streets) -> None:
    session = streets.session(petitioner_name="  王秀兰 ", phone="138 1234 5678")
    assert (session.petitioner_name, session.phone) == ("王秀兰", "13812345678")


def test_it_refuses_someone_of_another_point(streets: Streets) -> None:
    with pytest.raises(Forbidden) as refused:
        streets.session(actor=streets.point_staff_b1)
    assert str(refused.value.message) == "只能在本人所在的服务点登记远程办理。"


def test_it_refuses_the_centers_staff_logging_at_the_point(streets: Streets) -> None:
    with pytest.raises(Forbidden):
        streets.session(actor=streets.center_staff_a)


def test_it_refuses_a_point_that_does_not_exist(streets: Streets) -> None:
    with pytest.raises(Forbidden):
        streets.session(point_id=10**30)


def test_it_refuses_a_point_not_open(streets: Streets) -> None:
    streets.point_a1.status = PointStatus.CLOSED
    streets.point_a1.save()
    with pytest.raises(InvalidState) as refused:
        streets.session()
    assert str(refused.value.message) == ("该服务点未开放，不能登记远程办理。")


def test_it_refuses_staff_of_another_center(streets: Streets) -> None:
    errors = refusal(streets, center_staff_id=streets.center_staff_b.pk)
    assert errors == {"center_staff_id": ["请选择受理中心的工作人员。"]}


def test_it_refuses_a_matter_not_served_remotely(streets: Streets) -> None:
    errors = refusal(streets, matter_id=streets.org.matter_h.pk)
    assert errors == {"matter_id": ["该事项不能通过远程虚拟窗口办理。"]}


def test_it_refuses_a_matter_that_does_not_exist(streets: Streets) -> None:
    assert refusal(streets, matter_id=0) == {"matter_id": ["没有该服务事项。"]}


def test_it_refuses_an_end_before_the_start(streets: Streets) -> None:
    errors = refusal(streets, ended_at=sh(2026, 11, 20, 8, 59))
    assert errors == {"ended_at": ["结束时间不能早于开始时间。"]}


def test_it_refuses_a_session_in_the_future(streets: Streets) -> None:
    errors = refusal(streets, ended_at=sh(2026, 11, 20, 10, 6))
    assert errors == {"ended_at": ["结束时间不能晚于当前时间。"]}


def test_it_refuses_a_session_older_than_30_days(streets: Streets, frozen_time: FrozenTime) -> None:
    frozen_time.set(sh(2026, 12, 20, 9, 1))
    errors = refusal(streets)
    assert errors == {"started_at": ["30 天以前的远程办理不能再登记。"]}


def test_it_refuses_a_failed_session_without_why(streets: Streets) -> None:
    errors = refusal(streets, outcome="failed", outcome_note="没办")
    assert errors == {"outcome_note": ["请说明未能办成的原因（至少 5 个字）。"]}


def test_it_refuses_an_unknown_outcome(streets: Streets) -> None:
    assert refusal(streets, outcome="maybe") == {"outcome": ["请选择办理结果。"]}


def test_it_refuses_the_petitioners_fields_at_once(streets: Streets) -> None:
    errors = refusal(streets, petitioner_name=" ", phone="12345", id_number="310107199003072013")
    assert errors == {
        "petitioner_name": ["请填写姓名。"],
        "phone": ["请输入 11 位手机号码，或带区号的固定电话号码，例如 021-12345678。"],
        "id_number": ["身份证号码校验码有误，请核对号码。"],
    }


def test_it_refuses_materials_without_a_name_or_with_too_many_copies(streets: Streets) -> None:
    errors = refusal(
        streets, materials=(MaterialInput(" ", 1, False), MaterialInput("房产证", 100, True))
    )
    assert errors == {
        "materials": ["请填写第 1 项材料的名称。", "第 2 项材料：份数应为 1 至 99 份。"]
    }


def test_it_refuses_more_than_20_materials(streets: Streets) -> None:
    errors = refusal(streets, materials=tuple(MaterialInput("证明", 1, False) for _ in range(21)))
    assert errors == {"materials": ["每次办理最多登记 20 项材料。"]}


def test_it_writes_nothing_when_refused(streets: Streets) -> None:
    refusal(streets, outcome="maybe")
    assert not AuditEvent.objects.filter(action__startswith="remote_session.").exists()


def test_it_is_logged_by_the_point_staff_directly(streets: Streets) -> None:
    session = check_log_session(
        streets.point_staff_a2, session_input(streets, point_id=streets.point_a2.pk)
    )
    assert session.point == streets.point_a2


def test_it_texts_the_petitioner_a_link_to_rate_the_session(streets: Streets) -> None:
    session = streets.session(invite_rating=True)
    invite = EvaluationInvite.objects.get()
    assert (invite.subject_kind, invite.subject_id, invite.unit_id, invite.mobile) == (
        "remote_session",
        str(session.pk),
        streets.point_a1.unit_id,
        session.phone,
    )
    sms = OutboxMessage.objects.get(template="evaluation_invite")
    assert sms.recipient == session.phone


def test_a_landline_or_no_choice_gets_no_link(streets: Streets) -> None:
    streets.session(invite_rating=True, phone="021-62345678")
    streets.session()
    assert not EvaluationInvite.objects.exists()
