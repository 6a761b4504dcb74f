"""The inbox's forms: which page of notices, and the person's channels per kind of notice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.notify.models import NotificationKind
from banchengshi.notify.preferences import COPY_CHANNELS, Channel, Channels
from banchengshi.notify.selectors import MAX_OFFSET, PER_PAGE
from banchengshi.web.forms.engine_form import EngineForm
from banchengshi.web.forms.fields import TextField, page_field


class InboxForm(forms.Form):
    unread = forms.BooleanField(label=_("Unread only"), required=False)
    page = page_field(MAX_OFFSET // PER_PAGE)


CHANNEL_LABELS = {Channel.SMS: _("SMS"), Channel.EMAIL: _("E-mail")}


def channel_field(kind: NotificationKind, channel: Channel) -> str:
    return f"{channel.value}_{kind.name.lower()}"


class PreferencesForm(EngineForm):
    """One checkbox per kind and channel (the inbox always gets the notice) and the mobile
    number; the rules (a mobile for SMS, an address for e-mail) are the action's."""

    mobile = TextField(
        label=_("Mobile number for SMS"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(
        self, data: Any, *, current: Mapping[NotificationKind, Channels], mobile: str
    ) -> None:
        super().__init__(data, initial={"mobile": mobile}, label_suffix="")
        for kind in NotificationKind:
            for channel in COPY_CHANNELS:
                self.fields[channel_field(kind, channel)] = forms.BooleanField(
                    label=CHANNEL_LABELS[channel],
                    required=False,
                    initial=channel in current[kind],
                )

    def rows(self) -> list[tuple[NotificationKind, list[forms.BoundField]]]:
        """Each kind with its channels' boxes, for the table of the page."""
        return [
            (kind, [self[channel_field(kind, channel)] for channel in COPY_CHANNELS])
            for kind in NotificationKind
        ]

    def choices(self) -> dict[str, list[str]]:
        self.is_valid()
        return {
            kind.value: [
                channel.value
                for channel in COPY_CHANNELS
                if self.cleaned_data.get(channel_field(kind, channel))
            ]
            for kind in NotificationKind
        }
