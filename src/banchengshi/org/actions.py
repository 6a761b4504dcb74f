"""Creating, changing and moving units, and memberships; the unit tree's paths are kept here,
not in save()."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

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
