"""Who may do what with evaluations, from the person's scope (org.scope): a unit's people see
and handle their units' evaluations (and those of the units below), the office all of them;
a unit's leaders appeal a rating, the office decides."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from banchengshi.evaluation.models import Evaluation
from banchengshi.org.models import Role
from banchengshi.org.scope import Scope, scope_for

OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN})
# The office's oversight roles read every evaluation; they do not handle a unit's.
READS_ALL_ROLES = frozenset({Role.OFFICE_ADMIN, Role.DISPATCHER, Role.INSPECTOR})
HANDLER_ROLES = frozenset({Role.UNIT_LEADER, Role.UNIT_HANDLER, Role.WINDOW_HEAD})
APPEAL_ROLES = frozenset({Role.UNIT_LEADER, Role.WINDOW_HEAD})
# Who types in a paper form or sends an invitation: anyone who serves people at a unit.
RECORDER_ROLES = frozenset(
    {
        Role.WINDOW_CLERK,
        Role.WINDOW_HEAD,
        Role.UNIT_HANDLER,
        Role.UNIT_LEADER,
        Role.NEIGHBORHOOD_STAFF,
    }
)
WINDOW_ROLES = frozenset({Role.WINDOW_CLERK, Role.WINDOW_HEAD})


def reads_all(scope: Scope) -> bool:
    return scope.has_role(READS_ALL_ROLES)


def may_read_any(scope: Scope) -> bool:
    return reads_all(scope) or scope.has_role(RECORDER_ROLES)


def visible_evaluations(scope: Scope) -> QuerySet[Evaluation]:
    if reads_all(scope):
        return Evaluation.objects.all()
    if not scope.has_role(RECORDER_ROLES):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(unit_id__in=scope.visible_unit_ids)


def may_see(scope: Scope, evaluation: Evaluation) -> bool:
    return reads_all(scope) or (
        scope.has_role(RECORDER_ROLES) and evaluation.unit_id in scope.visible_unit_ids
    )


def _at_unit(scope: Scope, unit_id: int, roles: frozenset[Role]) -> bool:
    """Holds one of `roles` at a unit at or above `unit_id` (whose subtree holds it)."""
    return unit_id in scope.visible_unit_ids and scope.has_role(roles)


def may_handle(user: User, unit_id: int) -> bool:
    scope = scope_for(user)
    return scope.has_role(OFFICE_ROLES) or _at_unit(scope, unit_id, HANDLER_ROLES)


def may_appeal(user: User, unit_id: int) -> bool:
    return _at_unit(scope_for(user), unit_id, APPEAL_ROLES)


def may_decide(user: User) -> bool:
    return scope_for(user).has_role(OFFICE_ROLES)


def may_record(user: User, unit_id: int) -> bool:
    scope = scope_for(user)
    return scope.has_role(OFFICE_ROLES) or _at_unit(scope, unit_id, RECORDER_ROLES)


def window_units(user: User) -> list[int]:
    """The units where the person serves at a window: where a pushed transaction is rated."""
    return sorted(scope_for(user).units_with_role(WINDOW_ROLES))
