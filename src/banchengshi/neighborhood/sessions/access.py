"""Who sees and does what with remote sessions (R-NB-2). Neighbourhood staff act on their
side of a session: a point's staff (the role at the point's unit) log sessions and move the
materials at the point; the acceptance center's staff (the role at the session's center)
confirm receipt. Both see the sessions of their units and the units below (org.scope), so a
street's center sees its points' sessions and no other street's; the office, hub and
inspectors see all."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from banchengshi.neighborhood.models import ServicePoint
from banchengshi.neighborhood.sessions.models import RemoteSession
from banchengshi.org.models import Role
from banchengshi.org.scope import Scope

STAFF = frozenset({Role.NEIGHBORHOOD_STAFF})
# Besides the two sides of the session: the people who call petitioners back (R-Q-3).
UNMASKED = frozenset({Role.DISPATCHER})


def visible_sessions(scope: Scope) -> QuerySet[RemoteSession]:
    sessions = RemoteSession.objects.all()
    if scope.sees_all:
        return sessions
    units = scope.visible_unit_ids
    points = ServicePoint.objects.filter(unit_id__in=units).values("id")
    return sessions.filter(Q(center_id__in=units) | Q(point_id__in=points))


def points_of(scope: Scope) -> QuerySet[ServicePoint]:
    """The points where the person assists sessions."""
    return ServicePoint.objects.filter(unit_id__in=scope.units_with_role(STAFF))


def at_point(scope: Scope, session: RemoteSession) -> bool:
    return scope.has_role(STAFF, session.point.unit_id)


def at_center(scope: Scope, session: RemoteSession) -> bool:
    return scope.has_role(STAFF, session.center_id)


def sees_personal_data(scope: Scope, session: RemoteSession) -> bool:
    """Full phone and ID number for the session's own two sides and the dispatchers, as for
    a case (cases.access.sees_personal_data); masked for everyone else."""
    return scope.has_role(UNMASKED) or at_point(scope, session) or at_center(scope, session)
