"""The group answer's form (R-KB-3): one reply for every case of a group."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import MAX_TEXT
from banchengshi.web.forms.case_actions import REPLY_CHANNELS
from banchengshi.web.forms.fields import TextField


class GroupAnswerForm(forms.Form):
    text = TextField(
        label=_("Reply to every case of the group"),
        help_text=_(
            "Sent to each case by its own reply; a case that cannot be answered now "
            "is listed with the reason, the others are answered."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
    )
    channel = TextField(
        label=_("Given by"),
        initial="sms",
        required=False,
        widget=forms.Select(choices=REPLY_CHANNELS),
    )

    def clean_channel(self) -> str:
        return str(self.cleaned_data.get("channel") or "sms")
