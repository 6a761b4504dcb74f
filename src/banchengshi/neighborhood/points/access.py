"""Who may do what with service points: the office administrators manage every point
(create, change, status, equipment) and may inspect any; the neighbourhood staff of a street
(a membership at the street's acceptance center or at the point itself) see and inspect their
points only; window heads see their center's points. System administrators use /admin/."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from banchengshi.neighborhood.points.models import ServicePoint
from banchengshi.org.models import Role
from banchengshi.org.scope import Scope

MANAGERS = frozenset({Role.OFFICE_ADMIN})
INSPECTORS = frozenset({Role.NEIGHBORHOOD_STAFF})
VIEWERS = MANAGERS | INSPECTORS | {Role.WINDOW_HEAD}
LOCAL_VIEWERS = VIEWERS - MANAGERS


def may_manage(scope: Scope) -> bool:
    return scope.has_role(MANAGERS)


def may_list(scope: Scope) -> bool:
    return scope.has_role(VIEWERS)


def visible_points(scope: Scope) -> QuerySet[ServicePoint]:
    """The points a person may see: all for a manager, else those at or under their units."""
    points = ServicePoint.objects.all()
    if may_manage(scope):
        return points
    units = scope.units_with_role(LOCAL_VIEWERS)
    if not units:
        return points.none()
    return points.filter(Q(center_id__in=units) | Q(unit_id__in=units))


def may_see(scope: Scope, point: ServicePoint) -> bool:
    if may_manage(scope):
        return True
    units = set(scope.units_with_role(LOCAL_VIEWERS))
    return point.center_id in units or point.unit_id in units


def may_inspect(scope: Scope, point: ServicePoint) -> bool:
    if may_manage(scope):
        return True
    units = set(scope.units_with_role(INSPECTORS))
    return point.center_id in units or point.unit_id in units
