"""People's names in templates, written as everywhere else (org.names): `{{ user|person }}`."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import User

from banchengshi.org.names import full_name

register = template.Library()


@register.filter
def person(user: User | None) -> str:
    """Surname first for a Chinese name (邓桂英); "" for nobody."""
    return full_name(user) if user is not None else ""
