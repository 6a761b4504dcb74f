"""A server taking writes during a backup: `python -m tests.backup.writer STOPFILE` builds the
test organisation, then registers and receives cases through the real actions, one transaction
each, until STOPFILE exists; it prints `ready` after its first case and the count at the end."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(stop: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    from django.db import transaction

    from banchengshi.cases.actions.registration import check_register_case
    from tests.cases.conftest import build_org, registration

    with transaction.atomic():
        org = build_org()
    count = 0
    while count == 0 or not stop.exists():
        check_register_case(org.clerk, registration(petitioner_name=f"申请人{count}"))
        count += 1
        if count == 1:
            print("ready", flush=True)
    print(count, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
