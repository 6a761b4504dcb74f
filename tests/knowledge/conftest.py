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


def published(district: Org, problem: str, solution: str, **fields: object) -> Entry:
    """An entry written by handler A and published by the office administrator."""
    entry = check_create_entry(
        district.handler_a,
        EntryFields(problem=problem, solution=solution, **fields),  # type: ignore[arg-type]
    )
    return do_publish_entry(district.officeadmin, entry.pk)


@pytest.fixture
def publish(org: Org):  # type: ignore[no-untyped-def]  # noqa: F811
    return lambda problem, solution, **fields: published(org, problem, solution, **fields)
