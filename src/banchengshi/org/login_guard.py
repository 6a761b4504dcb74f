"""Sign-in with a lockout: MAX_FAILURES wrong passwords in a row lock the user name for
LOCK_MINUTES, so a password cannot be guessed at the speed of a script (R-Q-3)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from banchengshi.org.models import LoginLock

MAX_FAILURES = 5
LOCK_MINUTES = 15


class LoginRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return ngettext(
        "Too many wrong passwords: this account is locked. Try again in %(minutes)d minute "
        "or ask your office administrator to unlock it.",
        "Too many wrong passwords: this account is locked. Try again in %(minutes)d minutes "
        "or ask your office administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def sign_in(request: HttpRequest, username: str, password: str) -> User:
    """The person, or LoginRefused with the message to show."""
    username = username.strip()
    now = timezone.now()
    lock = LoginLock.objects.filter(username=username).first()
    if lock and lock.locked_until and lock.locked_until > now:
        raise LoginRefused(_locked_message(lock.locked_until, now))
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User):
        if lock:
            lock.delete()
        return user
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
    if lock.locked_until:
        raise LoginRefused(_locked_message(lock.locked_until, now))
    left = MAX_FAILURES - lock.failures
    raise LoginRefused(
        ngettext(
            "Wrong user name or password. %(left)d more attempt before the account is locked.",
            "Wrong user name or password. %(left)d more attempts before the account is locked.",
            left,
        )
        % {"left": left}
    )


def unlock(username: str) -> None:
    LoginLock.objects.filter(username=username).delete()
