"""The fast channel's fields (绿色通道: special groups and the consent to record them), shared
by the window's registration form, the public report form and the door-to-door request form.
They convert types only; the rules (no flag without consent) are cases.special_groups'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.special_groups import ConsentMethod, SpecialGroup, SpecialGroupInput
from banchengshi.web.forms.fields import TextField

SPECIAL_FIELDS = ("special_groups", "consent_by", "consent_method")


def special_group_fields(*, self_service: bool = False) -> dict[str, forms.Field]:
    """`self_service`: the person fills the form themselves (public pages): the consent is
    theirs, given online by ticking a box."""
    if self_service:
        return {
            "special_groups": _groups_field(),
            "consent": forms.BooleanField(
                label=_("I agree that this is recorded with my appeal."),
                required=False,
            ),
        }
    return {
        "special_groups": _groups_field(),
        "consent_by": TextField(
            label=_("Consent to record this given by"),
            max_length=100,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
            help_text=_("The person, or a relative or guardian by name."),
        ),
        "consent_method": TextField(
            label=_("Consent given how"),
            required=False,
            widget=forms.Select(choices=[("", "—"), *ConsentMethod.choices]),
        ),
    }


def _groups_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Special group (fast channel)"),
        required=False,
        choices=SpecialGroup.choices,
        widget=forms.CheckboxSelectMultiple(),
        help_text=_(
            "Elderly, disabled or limited in mobility: the appeal goes by the fast channel."
        ),
    )


def special_input(form: forms.Form) -> SpecialGroupInput:
    """What the form says of the groups and the consent, for the engine. On a public form the
    person ticks the consent themselves: it is theirs (the name they gave), given online."""
    form.is_valid()  # cleans once; a field it could not convert is left out
    data: dict[str, Any] = getattr(form, "cleaned_data", {})
    groups = tuple(data.get("special_groups") or ())
    if "consent" in form.fields:
        if not data.get("consent"):
            return SpecialGroupInput(groups)
        by = (data.get("petitioner_name") or "").strip() or "-"
        return SpecialGroupInput(groups, by, ConsentMethod.ONLINE.value)
    return SpecialGroupInput(groups, data.get("consent_by") or "", data.get("consent_method") or "")
