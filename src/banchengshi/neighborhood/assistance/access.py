"""Who may do what with door-to-door requests. A street is an acceptance center; its
neighbourhood staff and window heads (at the center or at a service point below it) work on
its requests and add to its service list; the office administrators may act on every street
and keep the district's list; whoever sees all cases (hub, office, inspectors) reads every
request. Nobody else sees one."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from banchengshi.org.models import Role, Unit, UnitKind
from banchengshi.org.scope import Scope, scope_for

WORKERS = frozenset({Role.NEIGHBORHOOD_STAFF, Role.WINDOW_HEAD})
DISTRICT = frozenset({Role.OFFICE_ADMIN})


def streets_of(scope: Scope) -> list[int]:
    """The streets (acceptance centers) a person works for: a center where they hold a
    worker's role, or the center of a service point where they do (one query)."""
    held = scope.units_with_role(WORKERS)
    if not held:
        return []
    streets = set()
    for unit_id, kind, parent_id in Unit.objects.filter(pk__in=held).values_list(
        "id", "kind", "parent_id"
    ):
        if kind == UnitKind.CENTER:
            streets.add(unit_id)
        elif kind == UnitKind.SERVICE_POINT and parent_id is not None:
            streets.add(parent_id)
    return sorted(streets)


def is_district(scope: Scope) -> bool:
    return scope.has_role(DISTRICT)


def may_act(user: AbstractBaseUser | AnonymousUser, street_id: int) -> bool:
    scope = scope_for(user)
    return is_district(scope) or street_id in streets_of(scope)


def may_see_all(scope: Scope) -> bool:
    return scope.sees_all


def may_see(scope: Scope, street_id: int) -> bool:
    return may_see_all(scope) or street_id in streets_of(scope)


def may_use(scope: Scope) -> bool:
    """Whether the door-to-door pages are for this person at all (the menu item)."""
    return may_see_all(scope) or bool(scope.units_with_role(WORKERS))
