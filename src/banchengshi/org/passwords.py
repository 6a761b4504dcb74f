"""Password rules (等保2.0 identity authentication): at least MIN_LENGTH characters of three of
the four classes, not like the person's names, not a common password nor a project word, and
changed every BANCHENGSHI_PASSWORD_MAX_AGE_DAYS days. Django's AUTH_PASSWORD_VALIDATORS run
them wherever a password is set through a form: the admin's, the workbench's change page."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from banchengshi.org.models import PasswordRecord

RULES_FILE = Path(__file__).with_name("passwords.toml")


@dataclass(frozen=True)
class PasswordLists:
    forbidden_words: tuple[str, ...]
    default_passwords: tuple[str, ...]


def _strings(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
        raise ImproperlyConfigured(f"{RULES_FILE.name}: {where} must be a list of non-empty texts.")
    return tuple(s.strip() for s in raw)


@cache
def password_lists() -> PasswordLists:
    raw = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    return PasswordLists(
        forbidden_words=tuple(
            w.lower() for w in _strings(raw.get("forbidden", {}).get("words"), "forbidden.words")
        ),
        default_passwords=_strings(raw.get("defaults", {}).get("passwords"), "defaults.passwords"),
    )


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, in words the Chinese catalogue has (Django 5.2's msgid lost its translation)."""

    def __init__(self, min_length: int = 8) -> None:
        super().__init__(min_length)

    def get_error_message(self) -> str:
        return _("The password is too short: it must have at least %(min_length)d characters.")

    def get_help_text(self) -> str:
        return _("The password must have at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's, with a Chinese message that reads as a sentence."""

    def get_error_message(self) -> str:
        return _("The password is too like your %(verbose_name)s.")


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if _classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "The password must mix at least %(count)d of: lower-case letters, capital letters, "
            "digits and other characters."
        ) % {"count": self.min_classes}


class ProjectWordValidator:
    """Not built on a word of this product or its deployments (passwords.toml)."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        lowered = password.lower()
        if any(word in lowered for word in password_lists().forbidden_words):
            raise ValidationError(
                _("The password is built on the system's or the district's name; choose another."),
                code="password_project_word",
            )

    def get_help_text(self) -> str:
        return _("The password may not contain the system's or the district's name.")


class PasswordAgeValidator:
    """Remembers when a password was set, for its expiry; refuses nothing."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        return None

    def password_changed(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if isinstance(user, User) and user.pk is not None:
            PasswordRecord.objects.update_or_create(
                user=user, defaults={"changed_at": timezone.now()}
            )

    def get_help_text(self) -> str:
        days = settings.BANCHENGSHI_PASSWORD_MAX_AGE_DAYS
        if not days:
            return ""
        return _("The password must be changed every %(days)d days.") % {"days": days}


def password_expired(user: User, now: dt.datetime) -> bool:
    """Older than BANCHENGSHI_PASSWORD_MAX_AGE_DAYS (0: never); a password set before its date
    was kept counts from the day the account was made."""
    days = settings.BANCHENGSHI_PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    record = PasswordRecord.objects.filter(user=user).values_list("changed_at", flat=True).first()
    return (record or user.date_joined) + dt.timedelta(days=days) <= now


def accounts_with_default_passwords() -> list[str]:
    """User names of active accounts whose password is a known default (passwords.toml).

    Hashing is deliberately slow, so not every account is tried: the administrators (staff,
    superusers) and every hash that more than one account shares, which is how a loader hands
    out one password to many (the demo's one hash for all). One check per distinct hash."""
    active = User.objects.filter(is_active=True)
    shared = active.values("password").annotate(n=Count("id")).filter(n__gt=1).values("password")
    candidates = active.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(password__in=shared)
    ).values_list("username", "password")
    by_hash: dict[str, list[str]] = {}
    for username, encoded in candidates:
        by_hash.setdefault(encoded, []).append(username)
    found: list[str] = []
    for encoded, names in by_hash.items():
        if any(check_password(p, encoded) for p in password_lists().default_passwords):
            found.extend(names)
    return sorted(found)
