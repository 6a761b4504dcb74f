"""The proposer keeps the catalogue it matched against until the database's stamp says the
matters changed (catalog.stamp), whoever changed them; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from banchengshi.catalog.models import CatalogueStamp, Matter
from banchengshi.catalog.stamp import current_stamp
from banchengshi.knowledge.proposals.proposer import ProposalInput, propose
from tests.cases.conftest import Org

TEXT = ProposalInput(description="想办食品经营许可，材料一直不全")


def proposed(data: ProposalInput = TEXT) -> str | None:
    matter = propose(data).matter
    return matter.code if matter is not None else None


def test_an_unchanged_catalogue_costs_one_short_read(
    org: Org, django_assert_num_queries: Any
) -> None:
    Matter.objects.create(code="M-F", name="食品经营许可", owning_department=org.dept_a)
    assert proposed() == "M-F"
    stamp = current_stamp()
    with django_assert_num_queries(1):
        assert proposed() == "M-F"
    assert current_stamp() == stamp


def test_every_kind_of_write_to_the_matters_is_seen_at_once(org: Org) -> None:
    food = Matter.objects.create(code="M-F", name="食品经营许可", owning_department=org.dept_a)
    assert proposed() == "M-F"
    # An UPDATE that no model signal hears.
    Matter.objects.filter(pk=food.pk).update(name="户籍迁移")
    assert proposed() is None
    Matter.objects.bulk_create(
        [Matter(code="M-G", name="食品经营许可", owning_department=org.dept_a)]
    )
    assert proposed() == "M-G"
    Matter.objects.filter(code="M-G").update(is_active=False)
    assert proposed() is None
    Matter.objects.filter(code="M-G").update(is_active=True)
    assert proposed() == "M-G"
    Matter.objects.filter(code="M-G").delete()
    assert proposed() is None


def test_a_rolled_back_change_is_forgotten_with_its_stamp(org: Org) -> None:
    Matter.objects.create(code="M-F", name="食品经营许可", owning_department=org.dept_a)
    assert proposed() == "M-F"
    with transaction.atomic():
        Matter.objects.filter(code="M-F").update(name="户籍迁移")
        assert proposed() is None
        transaction.set_rollback(True)
    assert proposed() == "M-F"


def test_without_the_stamp_nothing_is_kept(org: Org, django_assert_num_queries: Any) -> None:
    CatalogueStamp.objects.all().delete()
    food = Matter.objects.create(code="M-F", name="食品经营许可", owning_department=org.dept_a)
    assert proposed() == "M-F"
    with django_assert_num_queries(2):
        assert proposed() == "M-F"
    Matter.objects.filter(pk=food.pk).update(name="户籍迁移")
    assert current_stamp() is None
    assert proposed() is None
