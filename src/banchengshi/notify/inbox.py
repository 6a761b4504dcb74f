"""Putting notices in staff inboxes, inside the caller's transaction (so a change that rolls
back notifies nobody). Who is told is a question of units and roles, answered here once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.org.models import Membership, Role


def people_of(unit_ids: Iterable[int], roles: Iterable[Role] | None = None) -> list[int]:
    """The active people holding a membership at one of the units (in one of the roles)."""
    memberships = Membership.objects.filter(unit_id__in=list(unit_ids), user__is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return sorted(set(memberships.values_list("user_id", flat=True)))


def people_with(roles: Iterable[Role]) -> list[int]:
    """The active people holding one of the roles anywhere."""
    memberships = Membership.objects.filter(role__in=list(roles), user__is_active=True)
    return sorted(set(memberships.values_list("user_id", flat=True)))


def notify(
    *,
    user_ids: Iterable[int],
    kind: NotificationKind,
    case_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> int:
    """One notice per person; returns how many were written."""
    now = timezone.now()
    rows = [
        Notification(
            user_id=user_id, kind=kind, case_id=case_id, params=params or {}, created_at=now
        )
        for user_id in sorted(set(user_ids))
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)
