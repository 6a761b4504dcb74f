"""`{{ code|cause_label }}`: a coded cause (cases/causes.toml) in the reader's words; the
office's order of a rectification (knowledge.models.ORDERED_CAUSE) named as such."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from banchengshi.cases import causes
from banchengshi.knowledge.models import ORDERED_CAUSE

register = template.Library()


@register.filter
def cause_label(code: str) -> str:
    if code == ORDERED_CAUSE:
        return _("ordered by the office (accountability list)")
    cause = causes.get(code) if code else None
    return str(cause.label) if cause is not None else code
