"""Webhook tests use the organisation, clock and case builder of tests/cases, the admin client
of tests/admin and a local receiver that verifies what it gets."""

from tests.admin.conftest import admin_client_en  # noqa: F401
from tests.cases.conftest import (  # noqa: F401
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
)
from tests.webhooks.receiver import receiver  # noqa: F401
