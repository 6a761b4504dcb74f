"""How a petitioner proves, without an account, that an appeal is theirs (R-IN-2, R-RV-2):

- the access code shown once when the appeal was filed on a public page and sent by SMS:
  8 digits (easy on a phone's or a kiosk's number pad), kept only as a keyed hash, so a copy
  of the table gives no codes;
- the last four digits of the phone given with the appeal, which works for every appeal,
  also those registered at a window or by another system;
- a signed link in the SMS that carries the reply, for rating that answer.

A tracking number and four digits are easy to guess, so guessing is bounded by the views:
each address and each tracking number may try only a few times an hour (intake.ratelimit,
limits "public_track" and "public_track_number").
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import salted_hmac

from banchengshi.cases.models import Case
from banchengshi.intake.models import PublicAccess

ACCESS_CODE_DIGITS = 8
PHONE_DIGITS = 4
RATING_SALT = "banchengshi.intake.rating"
# A rating link keeps working for two months after the reply was sent.
RATING_LINK_SECONDS = 60 * 24 * 3600


def digits_of(text: str) -> str:
    """The digits typed, whatever separates them: spaces, dashes, full-width digits (１２３４)."""
    normalised = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in normalised if ch.isascii() and ch.isdigit())


def tracking_number(text: str) -> str:
    """A tracking number as typed (lower case, full-width, spaces) in its stored form."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()[:24]


def _code_hash(code: str) -> str:
    return salted_hmac("banchengshi.intake.access-code", code, algorithm="sha256").hexdigest()


def issue_access_code(case: Case) -> str:
    """A new access code for `case`, to be shown once and sent by SMS; only its hash stays."""
    code = "".join(secrets.choice("0123456789") for _ in range(ACCESS_CODE_DIGITS))
    PublicAccess.objects.create(case=case, code_hash=_code_hash(code))
    return code


def grouped(code: str) -> str:
    """ "1234 5678": easier to read out and type back."""
    return f"{code[:4]} {code[4:]}"


def own_case(tracking_no: str, secret: str) -> Case | None:
    """The case with this tracking number if `secret` is its access code or the last four
    digits of its phone; None otherwise, without saying which of the two was wrong."""
    digits = digits_of(secret)
    if len(digits) not in (ACCESS_CODE_DIGITS, PHONE_DIGITS):
        return None
    case = (
        Case.objects.select_related("public_access")
        .filter(tracking_no=tracking_number(tracking_no))
        .first()
    )
    if case is None:
        return None
    if len(digits) == PHONE_DIGITS:
        expected = digits_of(case.phone)[-PHONE_DIGITS:]
        proven = len(expected) == PHONE_DIGITS and hmac.compare_digest(expected, digits)
    else:
        try:
            stored = case.public_access.code_hash
        except PublicAccess.DoesNotExist:
            return None
        proven = hmac.compare_digest(stored, _code_hash(digits))
    return case if proven else None


@dataclass(frozen=True)
class RatingLink:
    case_id: int
    round: int


def rating_token(case_id: int, round: int) -> str:
    """The signed part of the rating link sent with a reply: which case, which answer."""
    return signing.dumps([case_id, round], salt=RATING_SALT, compress=True)


def rating_link(token: str) -> RatingLink | None:
    """What a rating token stands for; None when it is forged, damaged or too old."""
    try:
        case_id, round = signing.loads(token, salt=RATING_SALT, max_age=RATING_LINK_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(case_id, int) or not isinstance(round, int):
        return None
    return RatingLink(case_id, round)
