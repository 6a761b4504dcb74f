"""The case library's forms (R-KB-1): the list's search and filters, an entry's fields, the
reviewer's publication. They only map what was posted to the knowledge actions' arguments;
the rules (lengths, coded causes, which cases the writer may name) are the actions'."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import MAX_TEXT
from banchengshi.cases.selectors import COUNT_CAP
from banchengshi.knowledge.actions import MAX_LINKS, MAX_TAGS, EntryFields
from banchengshi.knowledge.models import Entry, EntryStatus, Visibility
from banchengshi.knowledge.selectors import case_ids_by_tracking_no
from banchengshi.org.scope import Scope
from banchengshi.web.forms.case_actions import cause_choices
from banchengshi.web.forms.engine_form import EngineForm
from banchengshi.web.forms.fields import TextField, page_field

PER_PAGE = 20
ANY = ("", _("All"))
Choices = list[tuple[int, str]]
# Tracking numbers are typed one per line or separated by spaces, commas or semicolons.
_SEPARATORS = re.compile(r"[\s,，;；、]+")


def _any_cause() -> list[tuple[Any, Any]]:
    return [ANY, *cause_choices()[1:]]


class EntryFilterForm(forms.Form):
    q = TextField(
        label=_("Search"),
        help_text=_("Words of the problem, the solution or the tags; two characters are enough."),
        max_length=100,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[ANY, *EntryStatus.choices], required=False
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=[ANY, *Visibility.choices], required=False
    )
    cause = forms.ChoiceField(label=_("Cause"), required=False)
    matter = forms.TypedChoiceField(
        label=_("Service matter"), coerce=int, required=False, empty_value=None
    )
    unit = forms.TypedChoiceField(
        label=_("Department"), coerce=int, required=False, empty_value=None
    )
    page = page_field(COUNT_CAP // PER_PAGE)

    def __init__(self, data: Any, *, matters: Choices, units: Choices) -> None:
        super().__init__(data, label_suffix="")
        self._choose("cause", _any_cause())
        self._choose("matter", [ANY, *matters])
        self._choose("unit", [ANY, *units])

    def _choose(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> dict[str, Any]:
        """The valid filters as staff_entries' arguments; a wrong value filters nothing."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "text": data.get("q", ""),
            "status": data.get("status", ""),
            "visibility": data.get("visibility", ""),
            "cause_code": data.get("cause", ""),
            "matter_id": data.get("matter"),
            "unit_id": data.get("unit"),
        }


class EntryForm(EngineForm):
    """An entry's fields, to write one by hand or to edit one. Source cases are named by
    their tracking numbers; those the writer cannot open are refused by the action."""

    problem = TextField(
        label=_("Problem"),
        help_text=_("What could not be done, without names, phone numbers or addresses."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
    )
    cause_code = forms.ChoiceField(label=_("Cause"), required=False)
    solution = TextField(
        label=_("Solution"),
        help_text=_("How it was solved, or how it can be done."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
    )
    matter_ids = forms.TypedMultipleChoiceField(
        label=_("Service matters"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    unit_ids = forms.TypedMultipleChoiceField(
        label=_("Departments"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    tags = TextField(
        label=_("Tags"),
        help_text=_("Words separated by spaces, found by search."),
        max_length=MAX_TAGS,
        required=False,
    )
    source_cases = TextField(
        label=_("Source cases"),
        help_text=_("Tracking numbers, separated by spaces or commas."),
        max_length=MAX_LINKS * 25,
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.INTERNAL
    )

    def __init__(
        self, data: Any, *, scope: Scope, matters: Choices, units: Choices, **kwargs: Any
    ) -> None:
        super().__init__(data, label_suffix="", **kwargs)
        self.scope = scope
        self.describe_fields()
        for name, choices in (
            ("cause_code", [("", _("Not coded")), *cause_choices()[1:]]),
            ("matter_ids", matters),
            ("unit_ids", units),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    @classmethod
    def initial_of(cls, entry: Entry, tracking_nos: list[str]) -> dict[str, Any]:
        """The form's values for editing `entry`, naming the source cases the editor sees."""
        return {
            "problem": entry.problem,
            "cause_code": entry.cause_code,
            "solution": entry.solution,
            "matter_ids": [m.pk for m in entry.matters.all()],
            "unit_ids": [u.pk for u in entry.units.all()],
            "tags": entry.tags,
            "source_cases": " ".join(tracking_nos),
            "visibility": entry.visibility,
        }

    def clean_source_cases(self) -> tuple[int, ...]:
        numbers = [n for n in _SEPARATORS.split(self.cleaned_data["source_cases"]) if n]
        if len(numbers) > MAX_LINKS:
            raise forms.ValidationError(
                _("Name at most %(count)d source cases.") % {"count": MAX_LINKS}
            )
        found = case_ids_by_tracking_no(self.scope, numbers)
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("No case you can open has the tracking number %(numbers)s.")
                % {"numbers": "、".join(unknown)}
            )
        return tuple(dict.fromkeys(found[n] for n in numbers))

    def fields_value(self) -> EntryFields:
        data = self.cleaned_data
        return EntryFields(
            problem=data["problem"],
            solution=data["solution"],
            cause_code=data["cause_code"],
            tags=data["tags"],
            matter_ids=tuple(data["matter_ids"]),
            unit_ids=tuple(data["unit_ids"]),
            visibility=data["visibility"],
            case_ids=data["source_cases"],
        )

    def add_engine_errors(self, errors: dict[str, list[Any]]) -> None:
        """The action's errors under the fields of the same names (its case_ids are the
        source cases typed here)."""
        self.show_errors(
            {("source_cases" if name == "case_ids" else name): m for name, m in errors.items()}
        )


class PublishForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Publish for"), choices=Visibility.choices)
