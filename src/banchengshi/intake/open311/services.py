"""Services are the public catalogue's active matters (service_code = Matter.code); every
service has the same definition, the attributes of `open311.attributes`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from banchengshi.catalog.models import Matter
from banchengshi.intake.open311.attributes import ATTRIBUTES, Attribute


def public_matters() -> QuerySet[Matter]:
    return Matter.objects.filter(is_public=True, is_active=True).select_related("owning_department")


def _keywords(matter: Matter) -> str:
    flags = (
        (matter.online, _("online")),
        (matter.whole_city, _("whole-city")),
        (matter.door_to_door, _("door-to-door")),
        (matter.remote, _("remote window")),
    )
    return ", ".join(label for held, label in flags if held)


def service(matter: Matter) -> dict[str, Any]:
    department = matter.owning_department
    description = (
        _("Handled by %(unit)s.") % {"unit": department.name} if department is not None else ""
    )
    if matter.legal_limit_days:
        description = f"{description} " + _("Legal time limit: %(days)d working days.") % {
            "days": matter.legal_limit_days
        }
    return {
        "service_code": matter.code,
        "service_name": matter.name,
        "description": description.strip(),
        "metadata": True,
        "type": "batch",
        "keywords": _keywords(matter),
        "group": department.name if department is not None else "",
    }


def service_list() -> list[dict[str, Any]]:
    return [service(matter) for matter in public_matters().order_by("code")]


def _attribute(attribute: Attribute) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": str(attribute.datatype_description) or None,
        "order": attribute.order,
        "description": str(attribute.description),
    }
    if attribute.choices:
        shown["values"] = [{"key": key, "name": str(name)} for key, name in attribute.choices]
    return shown


def service_definition(matter: Matter) -> dict[str, Any]:
    return {
        "service_code": matter.code,
        "attributes": [_attribute(attribute) for attribute in ATTRIBUTES],
    }
