"""Special groups (seed 004 绿色通道, R-NB-3): elderly, disabled, limited mobility. A person
flagged in one of them, with their consent to being so recorded, goes by the fast channel.
The same fields sit on an appeal (cases.Case) and on a door-to-door request
(neighborhood.assistance), so both are one abstract model here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SpecialGroup(models.TextChoices):
    """Each value is the name of its flag field on SpecialGroupFields."""

    ELDERLY = "elderly", _("elderly")
    DISABLED = "disabled", pgettext_lazy("special group", "disabled")
    LIMITED_MOBILITY = "limited_mobility", _("limited mobility")


class ConsentMethod(models.TextChoices):
    ORAL = "oral", _("orally, in person")
    WRITTEN = "written", _("signed form")
    PHONE = "phone", _("by telephone")
    ONLINE = "online", _("online, ticked by the person")


class SpecialGroupFields(models.Model):
    """The flags and the consent that they may be recorded: who gave it (the person or a
    named relative or guardian), when and how. No flag without consent (the actions check)."""

    elderly = models.BooleanField(_("elderly"), default=False)
    disabled = models.BooleanField(pgettext_lazy("special group", "disabled"), default=False)
    limited_mobility = models.BooleanField(_("limited mobility"), default=False)
    fast_channel = models.BooleanField(_("fast channel"), default=False)
    consent_by = models.CharField(_("consent given by"), max_length=100, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(
        _("consent given how"), max_length=12, choices=ConsentMethod.choices, blank=True
    )

    class Meta:
        abstract = True

    @property
    def special_groups(self) -> list[SpecialGroup]:
        return groups_of(self)


def groups_of(row: object) -> list[SpecialGroup]:
    """The groups flagged on a row (a model's, or the demo's rows being built)."""
    return [group for group in SpecialGroup if getattr(row, group.value)]


@dataclass(frozen=True)
class SpecialGroupInput:
    """What a form or the API says of the groups and the consent, before it is checked."""

    groups: tuple[str, ...] = ()
    consent_by: str = ""
    consent_method: str = ""


def clean_special_groups(
    data: SpecialGroupInput, *, consent_required: bool = False
) -> tuple[SpecialGroupInput, dict[str, list[str | Promise]]]:
    """The input normalised and the problems per field. A flag needs the consent: who gave it
    and how (`consent_required`: even without a flag). Consent given with no flag and not
    required is dropped, as nothing is recorded under it."""
    errors: dict[str, list[str | Promise]] = {}
    unknown = [group for group in data.groups if group not in SpecialGroup.values]
    if unknown:
        errors["special_groups"] = [_("Unknown special group.")]
    groups = tuple(group for group in SpecialGroup.values if group in data.groups)
    if not groups and not consent_required:
        return SpecialGroupInput(), errors
    by = (data.consent_by or "").strip()
    if not by:
        errors["consent_by"] = [
            _("Record who gave consent: the person, or a relative or guardian by name.")
        ]
    elif len(by) > 100:
        errors["consent_by"] = [_("The name is too long (at most 100 characters).")]
    if data.consent_method not in ConsentMethod.values:
        errors["consent_method"] = [_("Record how the consent was given.")]
    return SpecialGroupInput(groups, by, data.consent_method), errors


def apply_special_groups(
    row: SpecialGroupFields, data: SpecialGroupInput, at: dt.datetime | None
) -> None:
    """Sets the flags, the fast channel and the consent (given at `at`) on an unsaved row."""
    for group in SpecialGroup:
        setattr(row, group.value, group.value in data.groups)
    row.fast_channel = bool(data.groups)
    if data.consent_by:
        row.consent_by, row.consent_method, row.consent_at = (
            data.consent_by,
            data.consent_method,
            at,
        )
