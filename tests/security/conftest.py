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


def with_password(user: User, password: str = PASSWORD) -> User:
    user.set_password(password)
    user.save()
    return user
