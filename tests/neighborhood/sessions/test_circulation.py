"""The materials' circulation (材料流转): listed → scanned → sent → received at the center →
originals returned, each step by its side of the session, in order, with when and who."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from banchengshi.audit.models import AuditEvent
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.neighborhood.sessions.actions import MaterialInput, check_advance_materials
from banchengshi.neighborhood.sessions.models import Circulation, RemoteSession
from tests.cases.conftest import FrozenTime, sh
from tests.neighborhood.sessions.conftest import Streets


def advance(streets: Streets, session: RemoteSession, step: str, actor: User | None = None) -> None:
    check_advance_materials(actor or streets.point_staff_a1, session.pk, step=step)


def through_received(streets: Streets, session: RemoteSession) -> None:
    advance(streets, session, "scanned")
    advance(streets, session, "sent")
    advance(streets, session, "received", streets.center_staff_a)


def refused_state(
    streets: Streets, session: RemoteSession, step: str, actor: User | None = None
) -> str:
    with pytest.raises(InvalidState) as refused:
        advance(streets, session, step, actor)
    return str(refused.value.message)


def test_it_goes_through_every_step_with_when_and_who(
    streets: Streets, frozen_time: FrozenTime
) -> None:
    session = streets.session()
    frozen_time.set(sh(2026, 11, 20, 10, 10))
    advance(streets, session, "scanned")
    frozen_time.set(sh(2026, 11, 20, 15, 0))
    advance(streets, session, "sent")
    frozen_time.set(sh(2026, 11, 23, 9, 30))
    advance(streets, session, "received", streets.center_staff_a)
    frozen_time.set(sh(2026, 11, 24, 14, 0))
    advance(streets, session, "returned")
    session.refresh_from_db()
    assert session.circulation == Circulation.RETURNED
    steps = list(session.steps.order_by("at").values_list("state", "at", "actor__username"))
    assert steps == [
        ("listed", sh(2026, 11, 20, 10, 0), "pointA1"),
        ("scanned", sh(2026, 11, 20, 10, 10), "pointA1"),
        ("sent", sh(2026, 11, 20, 15, 0), "pointA1"),
        ("received", sh(2026, 11, 23, 9, 30), "centerA"),
        ("returned", sh(2026, 11, 24, 14, 0), "pointA1"),
    ]


def test_each_step_writes_one_audit_event(streets: Streets) -> None:
    session = streets.session()
    advance(streets, session, "scanned")
    event = AuditEvent.objects.get(action="remote_session.materials_scanned")
    assert event.actor_id == streets.point_staff_a1.pk
    assert event.after == {"outcome": "accepted", "circulation": "scanned"}
    assert event.payload == {"session": session.pk, "point": streets.point_a1.pk}


def test_it_refuses_sending_before_scanning(streets: Streets) -> None:
    session = streets.session()
    assert refused_state(streets, session, "sent") == "材料扫描后才能寄送受理中心，目前为“已列明”。"


def test_it_refuses_receiving_what_was_not_sent(streets: Streets) -> None:
    session = streets.session()
    advance(streets, session, "scanned")
    message = refused_state(streets, session, "received", streets.center_staff_a)
    assert message == "服务点寄出材料后才能签收，目前为“已扫描”。"


def test_it_refuses_returning_originals_before_receipt(streets: Streets) -> None:
    session = streets.session()
    advance(streets, session, "scanned")
    advance(streets, session, "sent")
    assert (
        refused_state(streets, session, "returned")
        == "受理中心签收后才能退还原件，目前为“已寄送”。"
    )


def test_it_refuses_a_step_twice(streets: Streets) -> None:
    session = streets.session()
    advance(streets, session, "scanned")
    assert (
        refused_state(streets, session, "scanned") == "材料列明后才能标记为已扫描，目前为“已扫描”。"
    )
    assert session.steps.filter(state="scanned").count() == 1


def test_it_refuses_steps_of_a_session_without_materials(streets: Streets) -> None:
    session = streets.session(materials=())
    assert refused_state(streets, session, "scanned") == "本次办理未收取材料。"


def test_it_refuses_returning_when_no_original_was_taken(streets: Streets) -> None:
    session = streets.session(materials=(MaterialInput("身份证复印件", 1, False),))
    through_received(streets, session)
    assert refused_state(streets, session, "returned") == "未收取原件，无需退还。"


def test_the_center_confirms_receipt_not_the_point(streets: Streets) -> None:
    session = streets.session()
    advance(streets, session, "scanned")
    advance(streets, session, "sent")
    with pytest.raises(Forbidden) as refused:
        advance(streets, session, "received")
    assert str(refused.value.message) == "材料签收由受理中心工作人员确认。"


def test_the_point_scans_not_the_center(streets: Streets) -> None:
    session = streets.session()
    with pytest.raises(Forbidden) as refused:
        advance(streets, session, "scanned", streets.center_staff_a)
    assert str(refused.value.message) == "材料流转的这一步由服务点工作人员登记。"


def test_another_point_of_the_same_street_cannot_act(streets: Streets) -> None:
    session = streets.session()
    with pytest.raises(NotFound):
        advance(streets, session, "scanned", streets.point_staff_a2)


def test_another_street_does_not_find_the_session(streets: Streets) -> None:
    session = streets.session()
    with pytest.raises(NotFound) as refused:
        advance(streets, session, "scanned", streets.center_staff_b)
    assert str(refused.value.message) == "没有这条远程办理记录。"


def test_the_office_sees_but_does_not_move_materials(streets: Streets) -> None:
    session = streets.session()
    with pytest.raises(Forbidden):
        advance(streets, session, "scanned", streets.org.officeadmin)


def test_it_refuses_an_unknown_step(streets: Streets) -> None:
    session = streets.session()
    with pytest.raises(InvalidInput) as refused:
        advance(streets, session, "listed")
    assert refused.value.errors == {"step": ["没有这个材料流转步骤。"]}


def test_it_refuses_a_session_number_beyond_any_id(streets: Streets) -> None:
    with pytest.raises(NotFound):
        check_advance_materials(streets.point_staff_a1, 10**30, step="scanned")
