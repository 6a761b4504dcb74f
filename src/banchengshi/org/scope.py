"""What a person may see: computed in one place, from their memberships (R-ORG-3).

Hub, office, inspector and system-administrator roles see every case; every other role sees
the cases linked to its units and to the units below them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection

from banchengshi.org.models import Membership, Role, Unit, UnitKind

SEES_ALL_ROLES = frozenset({Role.DISPATCHER, Role.OFFICE_ADMIN, Role.INSPECTOR, Role.SYSADMIN})
HUB_QUEUE_ROLES = frozenset({Role.DISPATCHER, Role.OFFICE_ADMIN})


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    roles_by_unit: dict[int, frozenset[Role]] = field(default_factory=dict)
    visible_unit_ids: frozenset[int] = frozenset()
    # Where hub roles take their work from (the dispatch hub), for people who hold one.
    hub_unit_id: int | None = None

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset().union(*self.roles_by_unit.values())

    @property
    def sees_all(self) -> bool:
        return bool(self.roles & SEES_ALL_ROLES)

    def has_role(self, roles: frozenset[Role] | set[Role], unit_id: int | None = None) -> bool:
        """Holds one of `roles`, at `unit_id` when one is given."""
        if unit_id is None:
            return bool(self.roles & roles)
        return bool(self.roles_by_unit.get(unit_id, frozenset()) & roles)

    def units_with_role(self, roles: frozenset[Role] | set[Role]) -> list[int]:
        return [unit for unit, held in self.roles_by_unit.items() if held & roles]


ANONYMOUS = Scope(user_id=None)


def _memberships_and_subtrees(user_id: int) -> list[tuple[int, str, int]]:
    """(unit, role, a unit at or below it) for each membership: one query, as every request
    of a signed-in person or a token asks it. A unit's subtree is the units whose path starts
    with its path; paths hold only digits and slashes, so LIKE needs no escaping. A pattern
    taken from a column is no index prefix, so the join scans the unit table: a district's
    few hundred units, not its cases."""
    membership, unit = Membership._meta.db_table, Unit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.unit_id, m.role, below.id FROM {membership} m "
            f"JOIN {unit} held ON held.id = m.unit_id "
            f"JOIN {unit} below ON below.path LIKE held.path || '%%' "
            "WHERE m.user_id = %s",
            [user_id],
        )
        return list(cursor.fetchall())


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The person's scope; kept on the user object for the rest of the request."""
    if not user.is_authenticated:
        return ANONYMOUS
    cached: Scope | None = getattr(user, "_banchengshi_scope", None)
    if cached is not None:
        return cached
    roles: dict[int, set[Role]] = {}
    visible: set[int] = set()
    for unit_id, role, below_id in _memberships_and_subtrees(user.pk):
        roles.setdefault(unit_id, set()).add(Role(role))
        visible.add(below_id)
    hub_unit_id = None
    if any(held & HUB_QUEUE_ROLES for held in roles.values()):
        hubs = Unit.objects.filter(kind=UnitKind.HUB, is_active=True).order_by("id")
        hub_unit_id = hubs.values_list("id", flat=True).first()
    scope = Scope(
        user_id=user.pk,
        roles_by_unit={unit: frozenset(held) for unit, held in roles.items()},
        visible_unit_ids=frozenset(visible),
        hub_unit_id=hub_unit_id,
    )
    user._banchengshi_scope = scope  # type: ignore[attr-defined]
    return scope
