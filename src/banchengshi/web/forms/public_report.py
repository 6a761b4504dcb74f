"""The public report form of the online window and the kiosk (R-IN-2): the registration
form's fields a petitioner can fill in, in their own words.

Like the window's form it converts types only; what is required and the checksums are the
engine's (cases.registration, intake.portal). The matter is picked from the public catalogue
as a native select grouped by department, which works on every phone, with a screen reader
and without scripts. Two invisible checks keep scripts out without asking a person anything:
a field hidden from people (a program filling every field fills it), and the time the form
was shown, signed, which a person takes more than a few seconds to get past.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import PetitionerType
from banchengshi.cases.registration import Registration
from banchengshi.catalog.models import Matter
from banchengshi.intake.portal import MAX_PUBLIC_TEXT
from banchengshi.org.models import PLACE_KINDS, Unit
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

STARTED_SALT = "banchengshi.web.public-report"
# Faster than this from showing the form to sending it, no person has read it.
MIN_SECONDS = 3
# Fields checked while typed (a wrong digit shows at once) and on leaving.
CHECKED_AS_TYPED = ("phone", "id_number", "credit_code")
CHECKED_ON_CHANGE = ("petitioner_name", "enterprise_name", "description", "visits_count")
CHECKED_FIELDS = frozenset(CHECKED_AS_TYPED + CHECKED_ON_CHANGE)
Choices = list[tuple[Any, Any]]


@dataclass(frozen=True)
class PublicChoices:
    matters: Choices  # grouped: (department, [(id, name), …])
    places: Choices


def public_choices() -> PublicChoices:
    """The public catalogue's matters by owning department, and the service centers (two
    queries; both tables are small and their order is an index)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for matter_id, name, department in (
        Matter.objects.filter(is_public=True, is_active=True)
        .order_by("owning_department__path", "code")
        .values_list("id", "name", "owning_department__name")
    ):
        groups.setdefault(department or str(_("Other matters")), []).append((matter_id, name))
    places = list(
        Unit.objects.filter(is_active=True, kind__in=PLACE_KINDS)
        .order_by("path")
        .values_list("id", "name")
    )
    return PublicChoices(list(groups.items()), places)


def started_token() -> str:
    return signing.dumps(int(time.time()), salt=STARTED_SALT)


def looks_automated(data: Any) -> bool:
    """The hidden field filled in, or the form sent back too fast or without its signed
    time: what scripts do and people do not."""
    if data.get("website"):
        return True
    try:
        started = signing.loads(data.get("started", ""), salt=STARTED_SALT, max_age=24 * 3600)
    except (signing.BadSignature, TypeError, ValueError):
        return True
    return not isinstance(started, int) or time.time() - started < MIN_SECONDS


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; what they are and how many is intake.portal's to judge."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class PublicReportForm(EngineForm):
    petitioner_type = TextField(
        label=_("You are"),
        required=False,
        initial=PetitionerType.PERSON,
        widget=forms.RadioSelect(
            choices=[
                (PetitionerType.PERSON, _("a person")),
                (PetitionerType.ENTERPRISE, _("an enterprise")),
            ]
        ),
    )
    petitioner_name = text_field(_("Your name"), autocomplete="name")
    phone = text_field(
        _("Mobile phone"),
        _("We send the tracking number and the answer to this number by SMS."),
        type="tel",
        inputmode="tel",
        autocomplete="tel",
    )
    id_number = text_field(
        _("ID number (optional)"), _("18 characters; the last may be X."), spellcheck="false"
    )
    enterprise_name = text_field(_("Enterprise name"), _("Only for an enterprise."))
    credit_code = text_field(
        _("Unified social credit code"),
        _("Only for an enterprise: 18 characters, as on the business licence."),
        spellcheck="false",
    )
    matter_id = NumberField(
        label=_("Which matter"),
        required=False,
        widget=forms.Select(),
    )
    matter_text = text_field(
        _("The matter in your words"), _("If it is not in the list, or you are not sure.")
    )
    failed_at_unit_id = NumberField(
        label=_("Where it failed"),
        required=False,
        widget=forms.Select(),
    )
    online_application_no = text_field(
        _("Online application number (optional)"),
        _("If you applied online, the number the system gave you."),
    )
    visits_count = visits_field(_("How many times have you come for it"))
    description = area_field(
        _("What could not be done"),
        5,
        _("What you tried to do, where, and what went wrong."),
        maxlength=MAX_PUBLIC_TEXT,
    )
    request = area_field(_("What you would like us to do (optional)"), 3, maxlength=MAX_PUBLIC_TEXT)
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        widget=MultipleFiles(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.txt"}),
    )
    # Hidden from people (public.css, .trap); left empty by them.
    website = TextField(label=_("Leave this empty"), required=False)
    started = TextField(required=False, widget=forms.HiddenInput())

    # Needed by the engine (cases.registration); marked with * and aria-required.
    needed = ("matter_id", "petitioner_name", "phone", "description")

    # What the elderly-friendly mode says instead: fewer words, no jargon.
    PLAIN_LABELS: dict[str, StrOrPromise] = {
        "petitioner_name": _("Name"),
        "phone": _("Mobile"),
        "matter_id": _("What did you want to get done"),
        "failed_at_unit_id": _("Where"),
        "description": _("What went wrong"),
        "request": _("What you want (optional)"),
        "visits_count": _("Times you came"),
    }

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        choices: PublicChoices,
        channel: str,
        check_url: str,
        plain: bool = False,
        with_files: bool = True,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, files, initial={"started": started_token(), **(initial or {})})
        self.fields.update(special_group_fields(self_service=True))
        self.channel = channel
        self.fields["matter_id"].widget.choices = [
            ("", _("— choose, or write it below —")),
            *choices.matters,
        ]
        self.fields["failed_at_unit_id"].widget.choices = [
            ("", _("Online, or not sure")),
            *choices.places,
        ]
        if not with_files:
            del self.fields["attachments"]
        if plain:
            for name, label in self.PLAIN_LABELS.items():
                self.fields[name].label = label
                self.fields[name].help_text = ""
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.check_live(check_url, CHECKED_AS_TYPED, CHECKED_ON_CHANGE)
        for name in self.needed:
            self.fields[name].widget.attrs["aria-required"] = "true"
        self.describe_fields()

    def registration(self) -> Registration:
        return self.registration_of_fields(channel=self.channel, special=special_input(self))

    def show_errors(self, errors: dict[str, list[Any]]) -> None:
        """The person ticks their consent themselves: a flag without it is the box's error."""
        if "consent_by" in errors or "consent_method" in errors:
            errors = {k: v for k, v in errors.items() if k not in ("consent_by", "consent_method")}
            errors["consent"] = [
                _("To go by the fast channel, tick that you agree to it being recorded.")
            ]
        super().show_errors(errors)

    def uploads(self) -> list[Any]:
        return list(self.files.getlist("attachments")) if "attachments" in self.fields else []

    def problems_of(self, name: str) -> list[Any]:
        return registration_problems(self, self.registration(), name)
