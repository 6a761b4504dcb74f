"""The interview form of the accountability list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.knowledge.models import FixTarget
from banchengshi.web.forms.fields import NumberField, TextField


class InterviewForm(forms.Form):
    unit = NumberField(widget=forms.HiddenInput)
    period = TextField(max_length=24, widget=forms.HiddenInput)
    held_on = forms.DateField(
        label=_("Held on"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attendees = TextField(label=_("Who attended"), max_length=200)
    notes = TextField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    order = forms.ChoiceField(
        label=_("Order a rectification of"),
        choices=[("", _("no rectification ordered")), *FixTarget.choices],
        required=False,
    )
