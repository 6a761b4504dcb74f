"""The attributes of every service definition: registration fields an Open311 client can
fill beyond the standard parameters (name, phone, description). Each code is the name of a
`cases.registration.Registration` field, which is what `intake.actions` fills with it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import MAX_TEXT, Category, PetitionerType


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string, number, text, singlevaluelist (the spec's words)
    order: int
    description: str | Promise
    datatype_description: str | Promise = ""
    choices: tuple[tuple[str, str | Promise], ...] = ()
    max_length: int = 200
    required: bool = False


ATTRIBUTES = (
    Attribute(
        "petitioner_type",
        "singlevaluelist",
        1,
        _("Are you appealing as a person or for an enterprise?"),
        choices=tuple(PetitionerType.choices),
    ),
    Attribute(
        "enterprise_name",
        "string",
        2,
        _("The enterprise's name (required when appealing for an enterprise)."),
    ),
    Attribute(
        "credit_code",
        "string",
        3,
        _("The enterprise's unified social credit code (required for an enterprise)."),
        _("18 digits and capital letters."),
        max_length=30,
    ),
    Attribute(
        "id_number",
        "string",
        4,
        _("Your resident ID number, if you wish to give it."),
        _("18 characters: 17 digits and a digit or X."),
        max_length=30,
    ),
    Attribute(
        "online_application_no",
        "string",
        5,
        _("The number of your online application, if you made one."),
        max_length=64,
    ),
    Attribute(
        "visits_count",
        "number",
        6,
        _("How many times have you already come for this matter?"),
        _("A whole number from 1 to 99."),
    ),
    Attribute("request", "text", 7, _("What do you ask for?"), max_length=MAX_TEXT),
    Attribute(
        "category",
        "singlevaluelist",
        8,
        _("What kind of appeal is it?"),
        choices=tuple(Category.choices),
    ),
)
BY_CODE = {attribute.code: attribute for attribute in ATTRIBUTES}
