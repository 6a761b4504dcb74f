"""The demo district's catalogue (about a hundred real matters and their units), which the
labelled appeals name by code; module-scoped, it is built once for the accuracy test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from banchengshi.catalog.models import Matter
from banchengshi.demo.district import ensure_district


@pytest.fixture(scope="module")
def catalogue(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Matter]]:
    with django_db_blocker.unblock():
        ensure_district()
        yield {m.code: m for m in Matter.objects.select_related("owning_department")}
        # Module-scoped rows are outside every test's transaction: remove them.
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
