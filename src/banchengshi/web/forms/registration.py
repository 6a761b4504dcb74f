"""The window's registration form (办不成事反映登记表, R-IN-1): rendering, and the mapping of
what was posted to a `Registration`.

The fields convert types only (a number, a date and time, the lengths of the columns the
engine does not check); what is required, the checksums and the ranges are the engine's
(cases.registration, cases.actions), whose messages `show_errors` puts under each field. The
live check of one field runs the same engine validation and keeps that field's messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Category, Channel, Complexity, PetitionerType
from banchengshi.cases.registration import Registration
from banchengshi.org.models import HANDLING_KINDS, PLACE_KINDS, Unit, UnitKind
from banchengshi.web.forms.engine_form import (
    EngineForm,
    area_field,
    registration_problems,
    text_field,
    visits_field,
)
from banchengshi.web.forms.fields import NumberField, TextField
from banchengshi.web.forms.special_groups import special_group_fields, special_input

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Identifiers are checked while they are typed (a mistyped digit shows at once); other fields
# when the clerk leaves them.
CHECKED_AS_TYPED = ("phone", "id_number", "credit_code")
CHECKED_ON_CHANGE = (
    "petitioner_name",
    "enterprise_name",
    "description",
    "request",
    "visits_count",
    "received_at",
)
CHECKED_FIELDS = frozenset(CHECKED_AS_TYPED + CHECKED_ON_CHANGE)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"

Choices = list[tuple[Any, Any]]


@dataclass(frozen=True)
class UnitOptions:
    window: Choices
    departments: Choices
    places: Choices


def unit_options(window_unit_ids: list[int]) -> UnitOptions:
    """The clerk's window units and the units a case may name, in tree order (one query)."""
    rows = (
        Unit.objects.filter(Q(is_active=True, kind__in=HANDLING_KINDS) | Q(pk__in=window_unit_ids))
        .order_by("path")
        .values_list("id", "name", "kind")
    )
    window: Choices = []
    departments: Choices = []
    places: Choices = []
    for unit_id, name, kind in rows:
        if unit_id in window_unit_ids:
            window.append((unit_id, name))
        if kind == UnitKind.DEPARTMENT:
            departments.append((unit_id, name))
        elif kind in PLACE_KINDS:
            places.append((unit_id, name))
    return UnitOptions(window, departments, places)


def _select(label: StrOrPromise, choices: Choices, initial: str) -> TextField:
    # A plain text field shown as a select: the engine, not the form, says a value is unknown.
    return TextField(
        label=label, required=False, initial=initial, widget=forms.Select(choices=choices)
    )


def _unit(label: StrOrPromise) -> NumberField:
    return NumberField(label=label, required=False, widget=forms.Select())


class RegistrationForm(EngineForm):
    channel = _select(_("Channel"), Channel.choices, Channel.WINDOW)
    registered_unit_id = _unit(_("Registered at"))
    window = TextField(
        label=_("Window number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    received_at = forms.DateTimeField(
        label=_("Time received"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Leave empty for now; fill in only for an appeal received earlier."),
    )
    petitioner_type = TextField(
        label=_("Petitioner type"),
        required=False,
        initial=PetitionerType.PERSON,
        widget=forms.RadioSelect(choices=PetitionerType.choices),
    )
    petitioner_name = text_field(_("Name of the petitioner"))
    phone = text_field(
        _("Contact phone"),
        help_text=_("A mobile number, or a landline with its area code (021-12345678)."),
        type="tel",
        inputmode="tel",
    )
    id_number = text_field(
        _("ID number"),
        help_text=_("Optional. 18 characters; the last may be X."),
        spellcheck="false",
    )
    enterprise_name = TextField(
        label=_("Enterprise name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    credit_code = text_field(
        _("Unified social credit code"),
        help_text=_("18 characters, as on the business licence."),
        spellcheck="false",
    )
    matter_id = NumberField(
        label=_("Service matter"),
        required=False,
        widget=forms.HiddenInput(),
    )
    matter_text = TextField(
        label=_("Matter, if it is not in the catalogue"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    department_id = _unit(_("Department involved"))
    failed_at_unit_id = _unit(_("Where the business failed"))
    online_application_no = TextField(
        label=_("Online application number"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    visits_count = visits_field(_("Times already come"))
    description = area_field(
        _("What could not be done"),
        4,
        _("What the person tried to do, where, and what went wrong."),
    )
    request = area_field(_("What the person asks for"), 2)
    category = _select(_("Category"), Category.choices, Category.HANDLING)
    complexity = _select(_("Complexity"), Complexity.choices, Complexity.GENERAL)
    reply = area_field(_("Reply given on the spot"), 2, _("Needed for “Resolved on the spot”."))
    reason = area_field(
        _("Why it is not admissible"),
        2,
        _("Needed for “Not admissible”: the law or rule that prevents it, as explained."),
    )

    def __init__(
        self, data: Any = None, *, units: UnitOptions, initial: dict[str, Any] | None = None
    ) -> None:
        initial = dict(initial or {})
        if units.window:
            initial.setdefault("registered_unit_id", units.window[0][0])
        super().__init__(data, initial=initial)
        self.fields.update(special_group_fields())
        self.units = units
        registered = self.fields["registered_unit_id"]
        if len(units.window) > 1:
            registered.widget.choices = units.window
        else:
            registered.widget = forms.HiddenInput()
        none: Choices = [("", "—")]
        self.fields["department_id"].widget.choices = none + units.departments
        self.fields["failed_at_unit_id"].widget.choices = none + units.places
        self.check_live("web:register_check", CHECKED_AS_TYPED, CHECKED_ON_CHANGE)
        self.describe_fields()
        if not self.is_bound:
            self.fields["petitioner_name"].widget.attrs["autofocus"] = True

    @property
    def registered_unit_name(self) -> str:
        return self.units.window[0][1] if self.units.window else ""

    def registration(self) -> Registration:
        """What was posted, as the engine takes it."""
        return self.registration_of_fields(special=special_input(self))

    def problems_of(self, name: str) -> list[Any]:
        return registration_problems(self, self.registration(), name)

    def anchor_of(self, name: str) -> str:
        return "matter-search" if name == "matter_id" else super().anchor_of(name)
