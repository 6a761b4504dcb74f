"""The evaluation rules (evaluation/policy.toml): the packaged file, and a bad one refused
with every problem named."""

from __future__ import annotations

import pytest

from banchengshi.evaluation.policy import (
    PACKAGED,
    EvaluationPolicyError,
    load_policy,
    parse_policy,
)
from banchengshi.org.models import Role


def test_the_packaged_rules() -> None:
    policy = load_policy(PACKAGED)
    assert (policy.handling_workdays, policy.invite_days, policy.tablet_minutes) == (5, 7, 10)
    assert policy.told_roles == {Role.UNIT_LEADER, Role.WINDOW_HEAD}
    assert policy.overdue_roles == {Role.OFFICE_ADMIN}


def test_a_bad_file_is_refused_with_every_problem() -> None:
    data = {
        "handling_workdays": 0,
        "invite_days": True,
        "told_roles": ["unit_leader", "mayor"],
        "overdue_roles": [],
        "colour": "red",
    }
    with pytest.raises(EvaluationPolicyError) as refused:
        parse_policy(data, "districts/x.toml")
    assert str(refused.value).splitlines() == [
        "districts/x.toml:",
        "unknown keys: colour",
        "handling_workdays: a whole number from 1 to 60",
        "invite_days: a whole number from 1 to 90",
        "tablet_minutes: a whole number from 1 to 120",
        "told_roles: 'mayor' is not a role (window_clerk, window_head, unit_handler, "
        "unit_leader, dispatcher, office_admin, inspector, neighborhood, sysadmin)",
        "overdue_roles: a list of roles (window_clerk, window_head, unit_handler, unit_leader, "
        "dispatcher, office_admin, inspector, neighborhood, sysadmin)",
    ]
