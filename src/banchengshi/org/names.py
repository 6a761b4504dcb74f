"""How a person's name is written wherever it is shown: Chinese names surname first with no
space (邓桂英), names in Latin script given name first (Anna Schmidt). Django's
`get_full_name()` always writes "given surname", which reads "桂英 邓"."""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import User


def written_name(given: str, surname: str) -> str:
    """The two parts joined as their script writes them; "" when both are empty."""
    given, surname = given.strip(), surname.strip()
    if _latin(given + surname):
        return f"{given} {surname}".strip()
    return f"{surname}{given}"


def full_name(user: User) -> str:
    """A person's name for the header, lists, the API and the audit trail; the user name
    when no name is recorded."""
    return written_name(user.first_name, user.last_name) or user.get_username()


def _latin(text: str) -> bool:
    """Every letter is a Latin one (Müller too); spaces, hyphens and dots do not count."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())
