"""Field types every form of the site uses for what people type."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from banchengshi.ids import MAX_ID, parse_number

# C0 control characters but tab, line feed and carriage return: nobody types them on
# purpose, PostgreSQL cannot store NUL, and XML (Open311, exports) cannot carry any of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class TextField(forms.CharField):
    """Text typed by a person; a control character is refused with a message saying so
    (Django's own NUL check would say it less clearly, and only for NUL)."""

    default_error_messages = {
        "control": _("Remove the invisible control character (such as NUL) from this text."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text and CONTROL_CHARACTERS.search(text):
            raise forms.ValidationError(self.error_messages["control"], code="control")
        return text


class NumberField(forms.IntegerField):
    """A whole number within min_value..max_value (1..MAX_ID unless given), read by
    `parse_number`: a value that is no such number is the field's error, never an
    exception."""

    def __init__(self, *, min_value: int = 1, max_value: int = MAX_ID, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        number = parse_number(str(value), low=0, high=MAX_ID)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def page_field(last: int) -> NumberField:
    """The page of a list whose count stops at a cap: pages end where the count ends."""
    return NumberField(max_value=last, required=False, widget=forms.HiddenInput)
