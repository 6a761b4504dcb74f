"""Security tests use the organisation of tests/cases; passwords hash with the fast hasher
(each wrong sign-in hashes one)."""

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.cases.conftest import (  # noqa: F401
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)

PASSWORD = "Right-pass-2026"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _deployed_session_limits(settings: Any, _sessions_outlast_moved_clocks: None) -> None:
    """The settings' defaults, which the other suites lift (tests/conftest.py)."""
    settings.BANCHENGSHI_SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 12 * 3600
    settings.BANCHENGSHI_PASSWORD_MAX_AGE_DAYS = 90


def with_password(user: User, password: str = PASSWORD) -> User:
    user.set_password(password)
    user.save()
    return user
