"""The workbench menu: which areas a person sees follows from their roles (org.scope)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.evaluation.access import READS_ALL_ROLES, RECORDER_ROLES
from banchengshi.knowledge.proposals.selectors import ACCURACY_ROLES
from banchengshi.notify.selectors import UNREAD_CAP, unread_count
from banchengshi.org.models import Role
from banchengshi.org.scope import SEES_ALL_ROLES, scope_for
from banchengshi.reports.access import REPORT_READERS
from banchengshi.workdays.missing import REMINDED_ROLES, missing_next_year


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[Role]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ALL_ROLES = frozenset(Role)
NAV_ITEMS = (
    NavItem("web:worklist", _("My work"), ALL_ROLES - {Role.INSPECTOR}),
    NavItem("web:register", _("Register"), frozenset({Role.WINDOW_CLERK, Role.WINDOW_HEAD})),
    NavItem("web:hub", _("Dispatch hub"), frozenset({Role.DISPATCHER, Role.OFFICE_ADMIN})),
    NavItem(
        "web:units",
        _("Units"),
        frozenset({Role.UNIT_HANDLER, Role.UNIT_LEADER, Role.WINDOW_HEAD, Role.OFFICE_ADMIN}),
    ),
    NavItem("web:inspect", _("Inspection"), frozenset({Role.INSPECTOR, Role.OFFICE_ADMIN})),
    NavItem("web:hotspots", _("Hot spots"), SEES_ALL_ROLES - {Role.SYSADMIN}),
    # The library is shared by every center (R-KB-1): every role reads it.
    NavItem("web:knowledge", _("Case library"), ALL_ROLES),
    NavItem("web:proposals", _("Proposals"), ACCURACY_ROLES),
    NavItem(
        "web:rectifications",
        pgettext_lazy("menu", "Rectification"),
        frozenset(
            {
                Role.UNIT_HANDLER,
                Role.UNIT_LEADER,
                Role.WINDOW_HEAD,
                Role.OFFICE_ADMIN,
                Role.DISPATCHER,
                Role.INSPECTOR,
            }
        ),
    ),
    NavItem(
        "web:staff_points",
        pgettext_lazy("menu", "Service points"),
        frozenset({Role.OFFICE_ADMIN, Role.NEIGHBORHOOD_STAFF, Role.WINDOW_HEAD}),
    ),
    NavItem(
        "web:assistance",
        _("Door-to-door service"),
        (SEES_ALL_ROLES - {Role.SYSADMIN}) | {Role.NEIGHBORHOOD_STAFF, Role.WINDOW_HEAD},
    ),
    NavItem(
        "web:sessions",
        _("Remote window"),
        (SEES_ALL_ROLES - {Role.SYSADMIN}) | {Role.NEIGHBORHOOD_STAFF},
    ),
    NavItem(
        "web:evaluations",
        pgettext_lazy("menu", "Good/bad reviews"),
        frozenset(READS_ALL_ROLES | RECORDER_ROLES),
    ),
    NavItem("web:dashboard", _("Dashboard"), REPORT_READERS),
    NavItem("web:reports", _("Reports"), REPORT_READERS),
)


def workbench(request: HttpRequest) -> dict[str, Any]:
    """Template context: the menu for the signed-in person, empty for everyone else; their
    unread notices for the bell (counted only when a template shows it); for the
    administrators, the year whose holiday schedule should be loaded by now and is not."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = scope_for(user).roles
    missing = missing_next_year(timezone.localdate()) if roles & REMINDED_ROLES else None
    return {
        "nav_items": [item for item in NAV_ITEMS if roles & item.roles],
        "calendar_missing_year": missing,
        "unread_notices": partial(unread_count, user.pk),
        "unread_cap": UNREAD_CAP,
        "inbox_poll_seconds": settings.BANCHENGSHI_INBOX_POLL_SECONDS,
    }
