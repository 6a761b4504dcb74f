"""The forms of the tracking page: finding one's appeal, and rating its answer (R-RV-2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Satisfaction
from banchengshi.web.forms.engine_form import EngineForm
from banchengshi.web.forms.fields import TextField


class TrackForm(forms.Form):
    tracking_no = TextField(
        label=_("Tracking number"),
        max_length=40,
        help_text=_("As on your SMS or your slip, e.g. PT-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = TextField(
        label=_("Access code, or the last 4 digits of your phone"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class RatingForm(EngineForm):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        # Best first, as the good/bad-review scheme lists them.
        choices=sorted(Satisfaction.choices, reverse=True),
        coerce=int,
        widget=forms.RadioSelect,
    )
    solved = forms.TypedChoiceField(
        label=_("Was your problem solved?"),
        choices=[("1", _("Yes, solved")), ("0", _("No, not solved"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = TextField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )

    def opinion(self) -> dict[str, Any]:
        return {
            "satisfaction": self.cleaned_data["satisfaction"],
            "solved": self.cleaned_data["solved"],
            "comment": self.cleaned_data["comment"],
        }
