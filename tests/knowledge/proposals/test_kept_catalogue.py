"""The proposer keeps the catalogue it matched against until the database's stamp says the
matters or the units changed (catalog.stamp), whoever changed them; on SQLite and PostgreSQL
alike."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from banchengshi.catalog.models import CatalogueStamp, Matter
from banchengshi.catalog.stamp import TABLE, WATCHED, current_stamp, ensure_stamp
from banchengshi.knowledge.proposals.proposer import ProposalInput, propose
from banchengshi.org.models import Unit
from tests.cases.conftest import Org

TEXT = ProposalInput(description="想办食品经营许可，材料一直不全")


def proposed(data: ProposalInput = TEXT) -> str | None:
    matter = propose(data).matter
    return matter.code if matter is not None else None


def test_an_unchanged_catalogue_costs_one_short_read(org: Org) -> None:
    Matter.objects.create(code="M-F", name="食品经营许可", owning_department=org.dept_a)
    assert proposed() == "M-F"
    stamp = current_stamp()
    with CaptureQueriesContext(connection) as reads:
        assert proposed() == "M-F"
    assert [query["sql"] for query in reads.captured_queries] == [
        f"SELECT stamp FROM {TABLE} WHERE id = 1"
    ]
    assert current_stamp() == stamp


def test_of_two_matters_the_text_covers_alike_the_first_by_code_wins(org: Org) -> None:
    Matter.objects.create(code="M-Y", name="食品经营许可", owning_department=org.dept_a)
    Matter.objects.create(code="M-X", name="食品经营许可", owning_department=org.dept_b)
    assert proposed() == "M-X"
    Matter.objects.filter(code="M-X").update(code="M-Z")
    assert proposed() == "M-Y"


def test_a_renamed_department_is_shown_at_once(org: Org) -> None:
    Matter.objects.create(code="M-F", name="食品经营许可", owning_department=org.dept_a)
    assert propose(TEXT).unit == org.dept_a
    Unit.objects.filter(pk=org.dept_a.pk).update(name="区食品药品监督管理局")
    unit = propose(TEXT).unit
    assert unit is not None
    assert unit.name == "区食品药品监督管理局"


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


def test_lost_triggers_are_made_again_after_migrate(org: Org) -> None:
    # A migration that rebuilds a table on SQLite drops its triggers; post_migrate remakes them.
    with connection.cursor() as cursor:
        for table in WATCHED:
            if connection.vendor == "sqlite":
                for name in ("ai", "au", "ad"):
                    cursor.execute(f"DROP TRIGGER {table}_stamp_{name}")
            else:
                cursor.execute(f"DROP TRIGGER {table}_stamp ON {table}")
    stamp = current_stamp()
    Unit.objects.filter(pk=org.dept_a.pk).update(name="区食品药品监督管理局")
    assert current_stamp() == stamp
    ensure_stamp()
    for write in (
        lambda: Unit.objects.filter(pk=org.dept_a.pk).update(name="区市场监管局"),
        lambda: Matter.objects.filter(pk=org.matter_a.pk).update(name="营业执照登记"),
    ):
        write()
        assert current_stamp() != stamp
        stamp = current_stamp()
