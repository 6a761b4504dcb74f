"""Who sees which sessions (a street's staff their street's only; a point's staff their
point's), and the petitioner's phone and ID number masked as on cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from banchengshi.errors import NotFound
from banchengshi.neighborhood.sessions.access import visible_sessions
from banchengshi.neighborhood.sessions.actions import check_log_session
from banchengshi.neighborhood.sessions.selectors import session_view, sessions_page
from banchengshi.org.scope import scope_for
from tests.neighborhood.sessions.conftest import Streets, session_input

DAY = dt.date(2026, 11, 20)


def log_everywhere(streets: Streets) -> dict[str, int]:
    """One session at each point, by its own staff."""
    made = {}
    for name, point, staff in (
        ("A1", streets.point_a1, streets.point_staff_a1),
        ("A2", streets.point_a2, streets.point_staff_a2),
        ("B1", streets.point_b1, streets.point_staff_b1),
    ):
        center_staff = streets.center_staff_b if name == "B1" else streets.center_staff_a
        data = session_input(streets, point_id=point.pk, center_staff_id=center_staff.pk)
        made[name] = check_log_session(staff, data).pk
    return made


def seen_by(streets: Streets, user: User, made: dict[str, int]) -> set[str]:
    ids = set(visible_sessions(scope_for(user)).values_list("id", flat=True))
    return {name for name, pk in made.items() if pk in ids}


def test_a_street_sees_its_own_points_sessions_only(streets: Streets) -> None:
    made = log_everywhere(streets)
    assert seen_by(streets, streets.center_staff_a, made) == {"A1", "A2"}
    assert seen_by(streets, streets.center_staff_b, made) == {"B1"}


def test_a_point_sees_its_own_sessions_only(streets: Streets) -> None:
    made = log_everywhere(streets)
    assert seen_by(streets, streets.point_staff_a1, made) == {"A1"}
    assert seen_by(streets, streets.point_staff_b1, made) == {"B1"}


@pytest.mark.parametrize("name", ["officeadmin", "dispatcher", "inspector"])
def test_the_office_hub_and_inspectors_see_all(streets: Streets, name: str) -> None:
    made = log_everywhere(streets)
    assert seen_by(streets, streets.org.user(name), made) == {"A1", "A2", "B1"}


@pytest.mark.parametrize("name", ["clerk", "handler_a"])
def test_other_staff_see_none(streets: Streets, name: str) -> None:
    made = log_everywhere(streets)
    assert seen_by(streets, streets.org.user(name), made) == set()


def test_the_page_of_another_street_is_not_found(streets: Streets) -> None:
    made = log_everywhere(streets)
    with pytest.raises(NotFound):
        session_view(scope_for(streets.center_staff_b), made["A1"])


@pytest.mark.parametrize("name", ["point_staff_a1", "center_staff_a"])
def test_the_sessions_two_sides_see_the_petitioner_in_full(streets: Streets, name: str) -> None:
    session = streets.session()
    view = session_view(scope_for(getattr(streets, name)), session.pk)
    assert (view.phone, view.id_number) == ("13812345678", "310107199003072012")


def test_the_dispatcher_sees_the_petitioner_in_full(streets: Streets) -> None:
    session = streets.session()
    view = session_view(scope_for(streets.org.dispatcher), session.pk)
    assert (view.phone, view.id_number) == ("13812345678", "310107199003072012")


@pytest.mark.parametrize("name", ["officeadmin", "inspector"])
def test_everyone_else_sees_them_masked(streets: Streets, name: str) -> None:
    session = streets.session()
    view = session_view(scope_for(streets.org.user(name)), session.pk)
    assert (view.phone, view.id_number) == ("138****5678", "310107********2012")
    page = sessions_page(scope_for(streets.org.user(name)), start=DAY, end=DAY, page=1)
    assert [row.phone for row in page.rows] == ["138****5678"]


def test_a_point_does_not_open_its_neighbours_session(streets: Streets) -> None:
    other = check_log_session(
        streets.point_staff_a2, session_input(streets, point_id=streets.point_a2.pk)
    )
    with pytest.raises(NotFound):
        session_view(scope_for(streets.point_staff_a1), other.pk)


def test_the_next_step_is_offered_to_its_side_only(streets: Streets) -> None:
    session = streets.session()
    assert session_view(scope_for(streets.point_staff_a1), session.pk).step == "scanned"
    assert session_view(scope_for(streets.center_staff_a), session.pk).step is None
    assert session_view(scope_for(streets.org.officeadmin), session.pk).step is None
