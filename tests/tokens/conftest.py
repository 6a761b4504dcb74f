"""The API tests' small district (its people each hold a token), reused here."""

from tests.api.conftest import (  # noqa: F401  (fixtures, found by pytest by name)
    _fast_passwords,
    _fresh_policy_versions,
    district,
    known_years,
)
