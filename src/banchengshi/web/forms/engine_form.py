"""What the forms that feed an engine action share: typed values with their defaults, and the
engine's messages shown under their fields."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse

from banchengshi.cases.registration import Registration, clean_registration
from banchengshi.errors import InvalidInput
from banchengshi.web.forms.fields import TextField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How a live check is triggered: identifiers while typed (a mistyped digit shows at once),
# other fields when left.
TYPING_TRIGGER = "change, keyup changed delay:500ms"


def text_field(label: StrOrPromise, help_text: StrOrPromise = "", **attrs: Any) -> TextField:
    return TextField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
    )


def visits_field(label: StrOrPromise) -> forms.IntegerField:
    """How many times the person has come for it (多次跑动); its range is the engine's."""
    return forms.IntegerField(
        label=label,
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": 99, "inputmode": "numeric"}),
    )


def area_field(
    label: StrOrPromise, rows: int, help_text: StrOrPromise = "", **attrs: Any
) -> TextField:
    return TextField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, **attrs}),
    )


class EngineForm(forms.Form):
    """The fields convert types only; the rules are the engine's (cases/, intake/), whose
    InvalidInput messages `show_errors` puts under each field."""

    def check_live(
        self, url_name: str, as_typed: tuple[str, ...], on_change: tuple[str, ...]
    ) -> None:
        """Each of these fields asks `url_name` for its messages (htmx) and shows them in its
        error slot."""
        for name in as_typed + on_change:
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse(url_name, args=[name]),
                    "hx-trigger": TYPING_TRIGGER if name in as_typed else "change",
                    "hx-target": f"#id_{name}_error",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )

    def describe_fields(self) -> None:
        """Every input points at its help and its error slot, so that a message the live
        check puts there later is read with the field."""
        for name, field in self.fields.items():
            if field.widget.is_hidden or isinstance(field.widget, forms.RadioSelect):
                continue
            described = [f"id_{name}_helptext"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*described, f"id_{name}_error"])

    def _value(self, name: str, default: Any) -> Any:
        value = self.cleaned_data.get(name)
        return default if value is None else value

    def registration_of_fields(self, **given: Any) -> Registration:
        """The registration's fields this form has, as the engine takes them, and `given`; a
        value that could not be converted is an error of its field and is replaced by the
        registration's default (an empty text where it has none)."""
        self.is_valid()
        values = {
            field.name: self._value(field.name, "" if field.default is MISSING else field.default)
            for field in fields(Registration)
            if field.name in self.fields
        }
        return Registration(**{**values, **given})

    def show_errors(self, errors: dict[str, list[Any]]) -> None:
        """The engine's messages under their fields; one it raises for no field of the form
        (a deadline beyond the known calendar, a missing outcome) above the form."""
        for name, messages in errors.items():
            if name not in self.fields:
                self.add_error(None, messages)
            elif not self.has_error(name):
                self.add_error(name, messages)

    def anchor_of(self, name: str) -> str:
        """Where the error summary's link for a field leads: the field, or its first choice."""
        bound = self[name]
        return bound.id_for_label or f"{bound.auto_id}_0"

    def error_summary(self) -> list[tuple[str, Any, list[Any]]]:
        """(anchor, label, messages) of every field in error, in the order of the form."""
        return [
            (self.anchor_of(name), self[name].label, list(self.errors[name]))
            for name in self.fields
            if name in self.errors
        ]


def registration_problems(form: EngineForm, data: Registration, name: str) -> list[Any]:
    """The messages for one field of a registration typed so far (the live check): the
    form's own when it could not convert the value, else the engine's."""
    if form.has_error(name):
        return list(form.errors[name])
    try:
        clean_registration(data)
    except InvalidInput as exc:
        return list(exc.errors.get(name, []))
    return []
