"""Production topology and faults: the organisation of tests/cases."""

from typing import Any

import pytest

from tests.cases.conftest import (  # noqa: F401
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
