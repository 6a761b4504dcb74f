"""Who reads which report: the roles that see every case read the district's and any unit's;
a unit's leaders, handlers and window heads read their units' (and those below)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from banchengshi.errors import Forbidden, NotFound
from banchengshi.org.models import Role, Unit
from banchengshi.org.scope import scope_for
from banchengshi.reports.scopes import ReportScope

UNIT_READERS = frozenset({Role.UNIT_LEADER, Role.UNIT_HANDLER, Role.WINDOW_HEAD})
DISTRICT_READERS = frozenset({Role.OFFICE_ADMIN, Role.DISPATCHER, Role.INSPECTOR})
REPORT_READERS = UNIT_READERS | DISTRICT_READERS


def may_read_reports(user: AbstractBaseUser | AnonymousUser) -> bool:
    return scope_for(user).has_role(REPORT_READERS)


def check_report_scope(
    user: AbstractBaseUser | AnonymousUser, unit_id: int | None, *, below: bool = True
) -> ReportScope:
    """The scope `user` asks for, or Forbidden/NotFound in words."""
    scope = scope_for(user)
    if not may_read_reports(user):
        raise Forbidden(
            _("Reports are read by the office, the hub, the inspector and units' leaders.")
        )
    district = scope.has_role(DISTRICT_READERS)
    if unit_id is None:
        if not district:
            raise Forbidden(
                _(
                    "Only the office, the hub and the inspector read the district's report; "
                    "choose your unit."
                )
            )
        return ReportScope()
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("There is no unit %(id)s.") % {"id": unit_id})
    if not district and unit.pk not in scope.visible_unit_ids:
        raise Forbidden(_("You may read the reports of your own units only."))
    return ReportScope(unit=unit, below=below)


def default_unit(user: AbstractBaseUser | AnonymousUser) -> int | None:
    """The unit a report page opens on: none (the district) for district readers, else the
    first unit where the person reads reports."""
    scope = scope_for(user)
    if scope.has_role(DISTRICT_READERS):
        return None
    units = sorted(scope.units_with_role(UNIT_READERS))
    return units[0] if units else None
