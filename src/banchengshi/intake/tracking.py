"""How a petitioner proves, without an account, that an appeal is theirs (R-IN-2, R-RV-2):

- the access code shown once when the appeal was filed on a public page, or printed once on
  the registration form at a window, and sent by SMS (intake.access): 8 digits (easy on a
  phone's or a kiosk's number pad), kept only as a keyed hash, so a copy of the table gives
  no codes;
- the last four digits of the phone given with the appeal, for appeals that have no code
  (imported, sent by another system, or registered at a window before codes were given);
- a signed link in the SMS that carries the reply, for rating that answer.

What a proof allows differs: the last four digits stand in every masked number the staff see
(138****5678), so they open the tracking page but never rate; rating needs the access code or
the SMS link, which no member of the staff ever sees (cases.actions.answer.PROOFS_TO_RATE).

Guessing is bounded: every address may try only a few times (the views' rate limits), and the
four digits of one tracking number may be got wrong only a few times an hour from all
addresses together ("public_track_number"); a wrong four digits from many numbers is still
one in 10,000 each. An appeal with an access code is opened only with the code.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing
from django.utils.crypto import salted_hmac

from banchengshi.cases.models import Case
from banchengshi.intake.models import PublicAccess
from banchengshi.intake.ratelimit import hit, limit_named, peek

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


class ProofKind(StrEnum):
    ACCESS_CODE = "access_code"
    PHONE_DIGITS = "phone_digits"
    SMS_LINK = "sms_link"


@dataclass(frozen=True)
class Proof:
    case_id: int
    tracking_no: str
    kind: ProofKind


class TooManyTries(Exception):
    """The four digits of this tracking number were got wrong too often this hour."""


def prove(tracking_no: str, secret: str) -> Proof | None:
    """The proof that the appeal with this tracking number is the caller's, if `secret` is
    its access code or (for an appeal without one) the last four digits of its phone; None
    otherwise, without saying which of the two was wrong."""
    number = tracking_number(tracking_no)
    digits = digits_of(secret)
    if len(digits) == ACCESS_CODE_DIGITS:
        case = _case(number)
        if case is None or not hasattr(case, "public_access"):
            return None
        if not hmac.compare_digest(case.public_access.code_hash, _code_hash(digits)):
            return None
        return Proof(case.pk, case.tracking_no, ProofKind.ACCESS_CODE)
    if len(digits) != PHONE_DIGITS:
        return None
    wrong_digits = limit_named("public_track_number")
    if not peek(wrong_digits, number).allowed:
        raise TooManyTries
    case = _case(number)
    if case is not None and not hasattr(case, "public_access"):
        expected = digits_of(case.phone)[-PHONE_DIGITS:]
        if len(expected) == PHONE_DIGITS and hmac.compare_digest(expected, digits):
            return Proof(case.pk, case.tracking_no, ProofKind.PHONE_DIGITS)
    hit(wrong_digits, number)
    return None


def _case(number: str) -> Case | None:
    return Case.objects.select_related("public_access").filter(tracking_no=number).first()


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
