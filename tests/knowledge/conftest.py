"""The knowledge tests use the organisation and case builder of tests/cases."""

from tests.cases.conftest import (  # noqa: F401
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)
