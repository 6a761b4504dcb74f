"""Creating, changing and moving units, and memberships; the unit tree's paths are kept here,
not in save()."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.http import HttpRequest
from django.utils.translation import gettext as _

from banchengshi.org.models import Membership, Role, Unit, UnitKind
from banchengshi.org.security_events import SecurityEvent, record


def do_create_unit(code: str, name: str, kind: UnitKind, parent: Unit | None = None) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, path="")
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
    return unit


def _role_details(membership: Membership) -> dict[str, str]:
    return {
        "username": membership.user.get_username(),
        "unit": membership.unit.code,
        "role": str(membership.role),
    }


def do_grant_role(
    user: User,
    unit: Unit,
    role: Role,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    """A grant by a person (`actor`) is audited; the loaders (demo, seeds, tests) build the
    organisation before anyone is there to answer for it."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        if created and actor is not None:
            record(
                SecurityEvent.ROLE_GRANTED,
                actor=actor,
                request=request,
                **_role_details(membership),
            )
    return membership


def do_save_membership(
    membership: Membership, *, actor: User | None, request: HttpRequest | None = None
) -> Membership:
    """The administration's form: a new membership is a grant; a changed one is the old role
    revoked and the new one granted (two events)."""
    with transaction.atomic():
        before = (
            Membership.objects.select_for_update()
            .select_related("user", "unit")
            .filter(pk=membership.pk)
            .first()
            if membership.pk
            else None
        )
        membership.save()
        if before is not None and _role_details(before) == _role_details(membership):
            return membership
        if before is not None:
            record(
                SecurityEvent.ROLE_REVOKED, actor=actor, request=request, **_role_details(before)
            )
        record(
            SecurityEvent.ROLE_GRANTED, actor=actor, request=request, **_role_details(membership)
        )
    return membership


def do_revoke_role(
    membership: Membership, *, actor: User | None, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        details = _role_details(membership)
        membership.delete()
        record(SecurityEvent.ROLE_REVOKED, actor=actor, request=request, **details)


def check_unit_parent(unit: Unit, parent: Unit | None) -> None:
    """A unit may not sit under itself or under one of its own subordinate units."""
    if parent is not None and unit.pk is not None and parent.path.startswith(unit.path):
        raise ValidationError(
            {"parent": _("A unit cannot be placed under itself or one of its own units.")}
        )


def do_save_unit(unit: Unit) -> Unit:
    """Create or change a unit (the administration form); moving it to another parent rewrites
    the paths of its whole subtree in one UPDATE."""
    check_unit_parent(unit, unit.parent)
    with transaction.atomic():
        if unit.pk is None:
            unit.path = ""
            unit.save()
            unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
            unit.save(update_fields=["path"])
            return unit
        old_path = Unit.objects.select_for_update().values_list("path", flat=True).get(pk=unit.pk)
        new_path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        unit.path = new_path
        unit.save()
        if new_path != old_path:
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
    return unit
