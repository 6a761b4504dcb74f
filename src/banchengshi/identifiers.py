"""Validation and display masking of the identifiers a registration form takes.

Pure functions, no models. The rules are those of /work/shared/reference/identifiers.md:

- resident ID number, GB 11643-1999 (weighted mod-11 check character);
- unified social credit code, GB 32100-2015 (31-character alphabet, weighted mod-31 check);
- mobile numbers (``^1[3-9]\\d{9}$``) and mainland landlines as contact numbers.

Each validator returns the normalised value or raises ``ValidationError`` with a stable
``code`` and a translatable message; variable parts travel in ``params``. The messages about
check characters never reveal what the correct character would be.

Every validator first folds compatibility characters (NFKC): a Chinese input method types
full-width digits and letters (１３８, Ｘ, ９１３１…) and the ideographic space, which are the
same digits and letters; the normalised value it returns, and every channel stores, is ASCII.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "grouped",
    "mask_id_number",
    "mask_phone",
    "validate_contact_phone",
    "validate_credit_code",
    "validate_id_number",
    "validate_mobile",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

DIGITS = frozenset("0123456789")

# --- resident ID number (GB 11643-1999) -----------------------------------------------------

ID_LENGTH = 18
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"  # indexed by (weighted sum of the first 17) mod 11
ID_EARLIEST_BIRTH_DATE = datetime.date(1800, 1, 1)

# --- unified social credit code (GB 32100-2015) ---------------------------------------------

CREDIT_LENGTH = 18
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_VALUES = {character: value for value, character in enumerate(CREDIT_ALPHABET)}
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_EXCLUDED_LETTERS = frozenset("IOSVZ")

# --- telephone numbers ----------------------------------------------------------------------

MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
# Mainland area codes: 010 and 02x are three digits long (with the 0), every other one
# (03xx-09xx) four; this is what splits an unseparated landline such as 02112345678.
AREA_CODE_RE = re.compile(r"0(?:[12][0-9]|[3-9][0-9]{2})")
SUBSCRIBER_RE = re.compile(r"[0-9]{7,8}")
EXTENSION_RE = re.compile(r"[0-9]{1,6}")
WHITESPACE_RE = re.compile(r"\s+")

MESSAGES = {
    "mobile_format": _("Enter an 11-digit mobile number starting with 1, such as 13812345678."),
    "phone_format": _(
        "Enter an 11-digit mobile number, or a landline number with its area code "
        "such as 021-12345678."
    ),
    "id_length": _("An ID number has 18 characters; this one has %(length)s. Please check it."),
    "id_characters": _(
        "Character %(position)s of the ID number (“%(character)s”) is not allowed: "
        "an ID number is 17 digits followed by a digit or X."
    ),
    "id_birth_date": _(
        "Characters 7 to 14 of the ID number (%(digits)s) are not a real date of birth: "
        "please check the number."
    ),
    "id_birth_too_early": _(
        "The date of birth in the ID number (%(date)s) is before 1800: please check the number."
    ),
    "id_birth_future": _(
        "The date of birth in the ID number (%(date)s) is in the future: please check the number."
    ),
    "id_checksum": _("The ID number's check digit is wrong: please check the number."),
    "credit_length": _(
        "A unified social credit code has 18 characters; this one has %(length)s. Please check it."
    ),
    "credit_excluded_letter": _(
        "Character %(position)s of the credit code is the letter %(character)s, which credit "
        "codes never use (they have no I, O, S, V or Z): please check the code."
    ),
    "credit_character": _(
        "Character %(position)s of the credit code (“%(character)s”) is not allowed: "
        "a credit code has only digits and capital letters."
    ),
    "credit_checksum": _("The credit code's check character is wrong: please check the code."),
}


def _folded(value: str) -> str:
    """Full-width digits, letters, hyphens and spaces as their ASCII selves (NFKC)."""
    return unicodedata.normalize("NFKC", value)


def _strip_phone(value: str) -> str:
    """Drop whitespace and hyphens and one leading +86 / 86 country prefix."""
    compact = WHITESPACE_RE.sub("", _folded(value)).replace("-", "")
    for prefix in ("+86", "86"):
        if compact.startswith(prefix):
            return compact[len(prefix) :]
    return compact


def validate_mobile(value: str) -> str:
    """A mainland mobile number; returns its 11 digits."""
    digits = _strip_phone(value)
    if not MOBILE_RE.fullmatch(digits):
        raise ValidationError(MESSAGES["mobile_format"], code="mobile_format")
    return digits


def _landline(value: str) -> str | None:
    """``"021-12345678"`` (or ``"021-12345678-123"``) for a mainland landline, else None."""
    parts = WHITESPACE_RE.sub("", _folded(value)).split("-")
    if "" in parts or len(parts) > 3:
        return None
    extension = parts[2] if len(parts) == 3 else ""
    if len(parts) == 1 or (len(parts) == 2 and AREA_CODE_RE.fullmatch(parts[0]) is None):
        # No separator after the area code (02112345678, 02112345678-123): split by the plan.
        if len(parts) == 2:
            extension = parts[1]
        area_match = AREA_CODE_RE.match(parts[0])
        if area_match is None:
            return None
        area, subscriber = area_match.group(), parts[0][area_match.end() :]
    else:
        area, subscriber = parts[0], parts[1]
        if AREA_CODE_RE.fullmatch(area) is None:
            return None
    if not SUBSCRIBER_RE.fullmatch(subscriber):
        return None
    if extension and not EXTENSION_RE.fullmatch(extension):
        return None
    normalised = f"{area}-{subscriber}"
    return f"{normalised}-{extension}" if extension else normalised


def validate_contact_phone(value: str) -> str:
    """A mobile (returned as 11 digits) or a mainland landline (returned as "021-12345678").

    A landline is an area code (0 and two or three digits: 010 and 02x have two, 03xx-09xx
    three) and a 7- or 8-digit number, optionally followed by "-" and an extension of up to
    6 digits ("021-12345678-123"). Spaces are ignored; a "-" may follow the area code.
    """
    try:
        return validate_mobile(value)
    except ValidationError:
        pass
    landline = _landline(value)
    if landline is None:
        raise ValidationError(MESSAGES["phone_format"], code="phone_format")
    return landline


def _today_in_shanghai() -> datetime.date:
    return datetime.datetime.now(SHANGHAI).date()


def validate_id_number(value: str, today: datetime.date | None = None) -> str:
    """A resident ID number (GB 11643-1999); returns it with an upper-case X check character.

    The birth date must be real, not before 1800-01-01 (ID_EARLIEST_BIRTH_DATE) and not after
    ``today``, which defaults to the current date in Asia/Shanghai.
    """
    number = _folded(value).strip()
    if len(number) != ID_LENGTH:
        raise ValidationError(
            MESSAGES["id_length"], code="id_length", params={"length": len(number)}
        )
    for position, character in enumerate(number, start=1):
        allowed = DIGITS if position < ID_LENGTH else DIGITS | {"X", "x"}
        if character not in allowed:
            raise ValidationError(
                MESSAGES["id_characters"],
                code="id_characters",
                params={"position": position, "character": character},
            )
    number = number[:-1] + number[-1].upper()
    # The check character first: a mistyped digit anywhere, the birth date included, fails it.
    total = sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS, strict=True))
    if number[17] != ID_CHECK_CHARACTERS[total % 11]:
        raise ValidationError(MESSAGES["id_checksum"], code="id_checksum")

    # Then the birth date of a number that is consistent but cannot be a real person's.
    digits = number[6:14]
    try:
        birth_date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValidationError(
            MESSAGES["id_birth_date"], code="id_birth_date", params={"digits": digits}
        ) from None
    if birth_date < ID_EARLIEST_BIRTH_DATE:
        raise ValidationError(
            MESSAGES["id_birth_too_early"],
            code="id_birth_date",
            params={"date": birth_date.isoformat()},
        )
    if birth_date > (today if today is not None else _today_in_shanghai()):
        raise ValidationError(
            MESSAGES["id_birth_future"],
            code="id_birth_future",
            params={"date": birth_date.isoformat()},
        )
    return number


def validate_credit_code(value: str) -> str:
    """A unified social credit code (GB 32100-2015); returns it in upper case."""
    code = _folded(value).strip()
    if len(code) != CREDIT_LENGTH:
        raise ValidationError(
            MESSAGES["credit_length"], code="credit_length", params={"length": len(code)}
        )
    # Only ASCII letters are upper-cased: str.upper() could change the length ("ß" -> "SS").
    code = "".join(c.upper() if "a" <= c <= "z" else c for c in code)
    for position, character in enumerate(code, start=1):
        if character in CREDIT_VALUES:
            continue
        message = (
            MESSAGES["credit_excluded_letter"]
            if character in CREDIT_EXCLUDED_LETTERS
            else MESSAGES["credit_character"]
        )
        raise ValidationError(
            message,
            code="credit_character",
            params={"position": position, "character": character},
        )
    total = sum(CREDIT_VALUES[c] * w for c, w in zip(code[:17], CREDIT_WEIGHTS, strict=True))
    if code[17] != CREDIT_ALPHABET[(31 - total % 31) % 31]:
        raise ValidationError(MESSAGES["credit_checksum"], code="credit_checksum")
    return code


def mask_phone(value: str) -> str:
    """``138****5678`` for a mobile, ``021-******78`` for a landline; "" stays "".

    A value that is neither (unvalidated legacy data) keeps at most its last two characters.
    """
    if not value:
        return value
    try:
        normalised = validate_contact_phone(value)
    except ValidationError:
        return "*" * len(value) if len(value) <= 4 else "*" * (len(value) - 2) + value[-2:]
    if "-" not in normalised:
        return f"{normalised[:3]}****{normalised[-4:]}"
    area, subscriber, *extension = normalised.split("-")
    masked = f"{area}-{'*' * (len(subscriber) - 2)}{subscriber[-2:]}"
    return masked + "".join(f"-{'*' * len(part)}" for part in extension)


def mask_id_number(value: str) -> str:
    """Keep the first 6 and the last 4 characters (``310107********2012``); "" stays "".

    A value of 10 characters or fewer is starred entirely.
    """
    number = value.strip()
    if len(number) <= 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


# --- access codes ---------------------------------------------------------------------------


def grouped(code: str) -> str:
    """ "1234 5678": an access code easier to read out and type back (on a page, in an SMS)."""
    return f"{code[:4]} {code[4:]}"
