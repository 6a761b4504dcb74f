"""The knowledge tests build cases and people with the fixtures of tests/cases."""

from __future__ import annotations

import pytest

from banchengshi.knowledge.actions import EntryFields, check_create_entry, do_publish_entry
from banchengshi.knowledge.models import Entry
from tests.cases.conftest import (  # noqa: F401
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)


def published(org: Org, problem: str, solution: str, **fields: object) -> Entry:
    """An entry written by handler A and published by the office administrator."""
    entry = check_create_entry(
        org.handler_a, EntryFields(problem=problem, solution=solution, **fields)  # type: ignore[arg-type]
    )
    return do_publish_entry(org.officeadmin, entry.pk)


@pytest.fixture
def publish(org: Org):  # type: ignore[no-untyped-def]
    return lambda problem, solution, **fields: published(org, problem, solution, **fields)
