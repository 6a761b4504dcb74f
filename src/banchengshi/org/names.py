"""How a person's name is written."""

from __future__ import annotations

from django.contrib.auth.models import User


def full_name(user: User) -> str:
    """A person's name as Chinese writes it: surname first, no space."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()
