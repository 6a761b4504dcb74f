"""Filters for the case page."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import User

from banchengshi.org.names import full_name

register = template.Library()


@register.filter
def person(user: User | None) -> str:
    """A person's name as the audit trail writes it (surname first)."""
    return full_name(user) if user is not None else ""
