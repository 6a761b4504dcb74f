"""TOTP two-factor sign-in (RFC 6238, pyotp) for system and office administrators (等保2.0
identity authentication: two kinds of proof for those who can change everything).

After the password, a person who has an authenticator, or who must have one
(BANCHENGSHI_TWO_FACTOR_REQUIRED and an administrator's role), is signed in but held at the
second step (web.session_guard) until a right code: every other page sends them there and
the API does not know them. Wrong codes count as wrong passwords (org.login_guard): five in a
row lock the name and sign the session out."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from banchengshi.org.login_guard import count_failure
from banchengshi.org.models import LoginLock, Membership, Role, TwoFactorDevice
from banchengshi.org.security_events import SecurityEvent, record

ADMIN_ROLES = (Role.SYSADMIN, Role.OFFICE_ADMIN)
RECOVERY_CODES = 10
# Codes of the step before and after the current one are accepted too: a phone's clock may
# be 30 seconds off.
DRIFT_STEPS = 1
ISSUER = "Banchengshi"


def is_administrator(user: User) -> bool:
    return user.is_superuser or Membership.objects.filter(user=user, role__in=ADMIN_ROLES).exists()


def confirmed_device(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def second_step(user: User) -> str:
    """What the person owes after the password: "verify" (a code), "enrol" (set up an
    authenticator first) or "" (nothing)."""
    if confirmed_device(user) is not None:
        return "verify"
    if settings.BANCHENGSHI_TWO_FACTOR_REQUIRED and is_administrator(user):
        return "enrol"
    return ""


def new_secret(user: User) -> TwoFactorDevice:
    """A fresh, unconfirmed secret for the enrolment page (a confirmed one is never replaced
    here: an administrator resets it by deleting the authenticator in the admin)."""
    device, _created = TwoFactorDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    if device.confirmed_at is None and not _created:
        device.secret = pyotp.random_base32()
        device.save(update_fields=["secret"])
    return device


def provisioning_uri(user: User, device: TwoFactorDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// link as an inline SVG (no image request, no script)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, omitsize=False))


def _matching_step(secret: str, code: str, now: dt.datetime, after: int) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_hash(code: str) -> str:
    normal = code.strip().replace("-", "").replace(" ", "").lower()
    return salted_hmac("banchengshi.two_factor.recovery", normal).hexdigest()


def _new_recovery_codes() -> tuple[list[str], list[str]]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes, [_recovery_hash(c) for c in codes]


def confirm(user: User, code: str, *, request: HttpRequest | None = None) -> list[str] | None:
    """The first right code confirms the enrolment: the recovery codes (shown once), or None
    when the code is wrong."""
    now = timezone.now()
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.confirmed_at is not None:
            return None
        step = _matching_step(device.secret, code.strip(), now, device.last_step)
        if step is None:
            return None
        codes, hashes = _new_recovery_codes()
        device.confirmed_at, device.last_step, device.recovery_hashes = now, step, hashes
        device.save()
        record(SecurityEvent.TWO_FACTOR_ENROLLED, actor=user, request=request)
    return codes


class Verdict:
    PASSED = "passed"
    WRONG = "wrong"
    LOCKED = "locked"


def verify(user: User, code: str, *, request: HttpRequest | None = None) -> str:
    """A TOTP code (each good once) or an unused recovery code (struck out)."""
    now = timezone.now()
    code = code.strip()
    with transaction.atomic():
        device = (
            TwoFactorDevice.objects.select_for_update()
            .filter(user=user, confirmed_at__isnull=False)
            .first()
        )
        if device is not None:
            step = _matching_step(device.secret, code, now, device.last_step)
            if step is not None:
                device.last_step = step
                device.save(update_fields=["last_step"])
                return _passed(user, request, method="totp")
            hashed = _recovery_hash(code)
            if code and hashed in device.recovery_hashes:
                device.recovery_hashes = [h for h in device.recovery_hashes if h != hashed]
                device.save(update_fields=["recovery_hashes"])
                return _passed(
                    user, request, method="recovery_code", left=len(device.recovery_hashes)
                )
    lock = count_failure(user.get_username(), now)
    record(
        SecurityEvent.TWO_FACTOR_FAILED,
        actor=user,
        request=request,
        failures=lock.failures,
        locked=lock.locked_until is not None,
    )
    return Verdict.LOCKED if lock.locked_until else Verdict.WRONG


def _passed(user: User, request: HttpRequest | None, **details: Any) -> str:
    LoginLock.objects.filter(username=user.get_username()).delete()
    record(SecurityEvent.TWO_FACTOR_PASSED, actor=user, request=request, **details)
    return Verdict.PASSED
