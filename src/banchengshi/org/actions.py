"""Creating units and memberships; the unit tree's paths are kept here, not in save()."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from banchengshi.org.models import Membership, Role, Unit, UnitKind


def do_create_unit(code: str, name: str, kind: UnitKind, parent: Unit | None = None) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, path="")
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
    return unit


def do_grant_role(user: User, unit: Unit, role: Role) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return membership
