"""Administration tests use the organisation of tests/cases."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.cases.conftest import (  # noqa: F401
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)


@pytest.fixture
def admin_client_en(org: Org) -> Client:  # noqa: F811 (the fixture imported above)
    User.objects.create_superuser("root", password="x-very-long-password")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="root"))
    return client
