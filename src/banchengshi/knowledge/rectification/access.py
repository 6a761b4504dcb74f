"""Who may do what with a rectification item: the owner unit's handlers and leaders report it
done; the office administrators verify or send it back; whoever sees all cases, or the unit
(or a unit above it), sees it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from banchengshi.org.models import Role
from banchengshi.org.scope import Scope, scope_for

REPORTERS = frozenset({Role.UNIT_HANDLER, Role.UNIT_LEADER})
VERIFIERS = frozenset({Role.OFFICE_ADMIN})
# People of a unit's list: its reporters and the window heads of a center.
UNIT_LIST_ROLES = REPORTERS | {Role.WINDOW_HEAD}


def may_report(user: AbstractBaseUser | AnonymousUser, unit_id: int) -> bool:
    return scope_for(user).has_role(REPORTERS, unit_id)


def may_verify(user: AbstractBaseUser | AnonymousUser) -> bool:
    return scope_for(user).has_role(VERIFIERS)


def may_see(scope: Scope, unit_id: int) -> bool:
    return scope.sees_all or unit_id in scope.visible_unit_ids
