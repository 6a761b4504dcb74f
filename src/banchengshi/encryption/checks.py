"""`banchengshi check --deploy`: the configured keys read what the database holds."""

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError

from banchengshi.encryption.keys import UnreadableValue
from banchengshi.encryption.rotation import encrypted_tables


@register(Tags.security, deploy=True)
def check_keys_read_the_data(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The newest row of each encrypted table decrypts: a site started with the wrong keys
    would otherwise fail on the first case page rather than here."""
    problems: list[CheckMessage] = []
    for table in encrypted_tables():
        names = [f.name for f in table.encrypted]
        try:
            table.model._default_manager.order_by("-pk").values_list(*names).first()
        except UnreadableValue as exc:
            problems.append(Error(f"{table.model._meta.label}: {exc}", id="banchengshi.E503"))
        except DatabaseError as exc:
            return [
                Warning(
                    f"The encrypted tables could not be read ({exc}); run it after migrate.",
                    id="banchengshi.W503",
                )
            ]
    return problems
