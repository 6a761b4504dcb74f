"""The rectification pages' forms (R-KB-2): the list's filters, reporting the fix done with
its evidence, the office's verification or sending back, and choosing the knowledge entry
that records the fix. They only map fields to the actions' arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.cases import attachments
from banchengshi.cases.models import MAX_TEXT
from banchengshi.cases.selectors import COUNT_CAP
from banchengshi.knowledge.models import FixTarget
from banchengshi.knowledge.rectification.actions import MAX_FILES
from banchengshi.knowledge.rectification.selectors import ListStatus
from banchengshi.web.forms.fields import NumberField, TextField, page_field
from banchengshi.web.forms.lists import ANY
from banchengshi.web.forms.public_report import MultipleFileField, MultipleFiles

PER_PAGE = 25
STATUS_CHOICES = [
    (ListStatus.OPEN.value, pgettext_lazy("rectification", "Open")),
    (ListStatus.OVERDUE.value, _("Overdue")),
    (ListStatus.DONE.value, _("Done, awaiting verification")),
    (ListStatus.VERIFIED.value, _("Verified")),
]


class RectificationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    target = forms.ChoiceField(
        label=_("What to fix"), choices=[ANY, *FixTarget.choices], required=False
    )
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    page = page_field(COUNT_CAP // PER_PAGE)

    def __init__(self, data: Any, units: list[tuple[int, str]]) -> None:
        super().__init__(data, label_suffix="")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = [ANY, *units]
        if len(units) < 2:  # nothing to choose between
            unit_field.widget = forms.HiddenInput()

    def chosen(self) -> dict[str, Any]:
        """The valid filters; a field given a wrong value filters nothing and says why."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "status": ListStatus(data.get("status") or ListStatus.OPEN),
            "target": FixTarget(data["target"]) if data.get("target") else None,
            "unit_id": data.get("unit"),
            "page": data.get("page") or 1,
        }


class DoneForm(forms.Form):
    evidence = TextField(
        label=_("What was fixed"),
        help_text=_("The list, process, guide, system or conduct changed, and from when."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
    )
    evidence_files = MultipleFileField(
        label=_("Evidence files (optional)"),
        required=False,
        widget=MultipleFiles(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.docx,.xlsx,.txt"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_files"].help_text = _(
            "Up to %(count)d files: PDF, JPEG, PNG or GIF images, Word or Excel documents, or "
            "text files; each at most %(limit)s."
        ) % {"count": MAX_FILES, "limit": filesizeformat(attachments.MAX_BYTES)}

    def uploads(self) -> list[Any]:
        files = self.cleaned_data.get("evidence_files") or []
        return list(files) if isinstance(files, list | tuple) else [files]


class VerifyForm(forms.Form):
    note = TextField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_TEXT}),
    )


class SendBackForm(forms.Form):
    reason = TextField(
        label=_("Why it is sent back"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_TEXT}),
    )


class EntrySearchForm(forms.Form):
    entry_q = TextField(label=_("Find a knowledge entry"), max_length=100, required=False)


class EntryLinkForm(forms.Form):
    entry_id = NumberField(label=_("Knowledge entry"), required=False)
    unlink = forms.BooleanField(required=False, widget=forms.HiddenInput)
