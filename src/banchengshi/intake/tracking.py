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

Guessing is bounded without letting a stranger lock the petitioner out (tracking numbers are
sequential, so anyone can pick one):

- every guess (code or digits) first takes one try of its address's budget
  ("public_track_guess", 10 an hour; "kiosk_track_guess" on a named terminal), taken and read
  in one atomic UPDATE … RETURNING, so 40 simultaneous wrong guesses against a budget of 10
  have exactly 10 checked; a right answer gives its try back;
- the wrong guesses at one number are counted from all addresses ("public_track_number", 10
  an hour). Over that count the number is being guessed at: a further guess at it still is
  checked (the right answer still opens the page for anyone whose own address has tries
  left), but costs half its address's budget, given back if right. A stranger then gets two
  guesses per address per hour at that number instead of ten, and the petitioner, who knows
  the answer, is never refused because of others' guesses: only their own address's wrong
  guesses can hold them up, and one typo does not.

A wrong four digits from many numbers is still one in 10,000 each. An appeal with an access
code is opened only with the code.
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
from banchengshi.intake.ratelimit import give_back, hit, limit_named, peek

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
    """This address got the code or digits wrong too often; it may try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def prove(
    tracking_no: str, secret: str, *, address: str, guesses: str = "public_track_guess"
) -> Proof | None:
    """The proof that the appeal with this tracking number is the caller's, if `secret` is
    its access code or (for an appeal without one) the last four digits of its phone; None
    otherwise, without saying which of the two was wrong. `address` is the caller's, whose
    budget of guesses is the limit named `guesses`; TooManyTries when it is spent."""
    number = tracking_number(tracking_no)
    budget = limit_named(guesses)
    wrong_at_number = limit_named("public_track_number")
    weight = 1 if peek(wrong_at_number, number).allowed else max(1, budget.requests // 2)
    verdict = hit(budget, address, weight=weight)
    if not verdict.allowed:
        raise TooManyTries(verdict.retry_after)
    proof = _check(number, digits_of(secret))
    if proof is not None:
        give_back(budget, address, weight=weight)
        return proof
    hit(wrong_at_number, number)
    return None


def _check(number: str, digits: str) -> Proof | None:
    if len(digits) not in (ACCESS_CODE_DIGITS, PHONE_DIGITS):
        return None
    case = _case(number)
    if case is None:
        return None
    if hasattr(case, "public_access"):
        if len(digits) == ACCESS_CODE_DIGITS and hmac.compare_digest(
            case.public_access.code_hash, _code_hash(digits)
        ):
            return Proof(case.pk, case.tracking_no, ProofKind.ACCESS_CODE)
        return None
    expected = digits_of(case.phone)[-PHONE_DIGITS:]
    if (
        len(digits) == PHONE_DIGITS
        and len(expected) == PHONE_DIGITS
        and hmac.compare_digest(expected, digits)
    ):
        return Proof(case.pk, case.tracking_no, ProofKind.PHONE_DIGITS)
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
