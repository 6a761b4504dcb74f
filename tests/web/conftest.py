"""Workbench page tests: the organisation and case builder of tests/cases, plus a client signed
in as one of its people (`signed_in("clerk")`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.cases.conftest import (  # noqa: F401
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)

SignedIn = Callable[[str], Client]


@pytest.fixture
def signed_in(org: Org) -> SignedIn:  # noqa: F811
    def client_for(name: str) -> Client:
        client = Client()
        client.force_login(org.user(name))
        return client

    return client_for


@pytest.fixture
def staff(signed_in: SignedIn) -> SignedIn:
    """Like `signed_in`, reading the pages in English."""

    def client_for(name: str) -> Client:
        client = signed_in(name)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return client_for
