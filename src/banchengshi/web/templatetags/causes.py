"""`{{ code|cause_label }}`: a coded cause (cases/causes.toml) in the reader's words."""

from __future__ import annotations

from django import template

from banchengshi.cases import causes

register = template.Library()


@register.filter
def cause_label(code: str) -> str:
    cause = causes.get(code) if code else None
    return str(cause.label) if cause is not None else code
