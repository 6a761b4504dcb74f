"""Sign-in with a lockout: MAX_FAILURES wrong passwords in a row lock the user name for
LOCK_MINUTES, so a password cannot be guessed at the speed of a script (R-Q-3).

The guard is an authentication backend, so every path that checks a password goes through
it: the workbench's sign-in, the admin's (/admin/login/) and anything else calling Django's
`authenticate()`. A name locked on one path is locked on all of them. Wrong two-factor codes
count as wrong passwords too (org.two_factor)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from banchengshi.org.models import LoginLock
from banchengshi.org.security_events import SecurityEvent, record

MAX_FAILURES = 5
LOCK_MINUTES = 15


class LoginRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return ngettext(
        "Too many wrong passwords: this account is locked. Try again in %(minutes)d minute "
        "or ask your office administrator to unlock it.",
        "Too many wrong passwords: this account is locked. Try again in %(minutes)d minutes "
        "or ask your office administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def locked_until(username: str, now: dt.datetime) -> dt.datetime | None:
    lock = LoginLock.objects.filter(username=username).only("locked_until").first()
    if lock and lock.locked_until and lock.locked_until > now:
        return lock.locked_until
    return None


def count_failure(username: str, now: dt.datetime) -> LoginLock:
    """One more wrong secret for this name, counted under a row lock (40 at once count 40)."""
    with transaction.atomic():
        lock, _created = LoginLock.objects.select_for_update().get_or_create(username=username)
        if lock.locked_until and lock.locked_until <= now:
            lock.failures = 0
        lock.failures += 1
        lock.last_failure_at = now
        lock.locked_until = None
        if lock.failures >= MAX_FAILURES:
            lock.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        lock.save()
    return lock


class GuardedBackend(ModelBackend):
    """Django's user and password check behind the lockout: a locked name is refused before
    its password is looked at, and every wrong password is counted and audited."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        username = username.strip()
        now = timezone.now()
        if locked_until(username, now):
            record(SecurityEvent.SIGN_IN_LOCKED, actor=None, label=username, request=request)
            # PermissionDenied stops authenticate() here: no other backend is asked.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if not isinstance(user, User):
            lock = count_failure(username, now)
            record(
                SecurityEvent.SIGN_IN_FAILED,
                actor=None,
                label=username,
                request=request,
                failures=lock.failures,
                locked=lock.locked_until is not None,
            )
            return None
        LoginLock.objects.filter(username=username).delete()
        record(SecurityEvent.SIGNED_IN, actor=user, request=request)
        return user


def sign_in(request: HttpRequest, username: str, password: str) -> User:
    """The person, or LoginRefused with the message to show."""
    user = authenticate(request, username=username.strip(), password=password)
    if isinstance(user, User):
        return user
    raise LoginRefused(refusal_message(username))


def refusal_message(username: str) -> str:
    """Why `username`'s sign-in was just refused: locked, or how many attempts are left."""
    now = timezone.now()
    lock = LoginLock.objects.filter(username=username.strip()).first()
    if lock and lock.locked_until and lock.locked_until > now:
        return locked_message(lock.locked_until, now)
    return wrong_password_message(MAX_FAILURES - (lock.failures if lock else 0))


def wrong_password_message(left: int) -> str:
    return ngettext(
        "Wrong user name or password. %(left)d more attempt before the account is locked.",
        "Wrong user name or password. %(left)d more attempts before the account is locked.",
        left,
    ) % {"left": left}


def unlock(username: str) -> None:
    LoginLock.objects.filter(username=username).delete()
