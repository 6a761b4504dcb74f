"""The knowledge tests build cases with the fixtures of tests/cases."""

from tests.cases.conftest import (  # noqa: F401
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)
