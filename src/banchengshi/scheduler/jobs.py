"""The scheduler's own housekeeping job."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.management import call_command
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from banchengshi.scheduler.models import JobRun
from banchengshi.scheduler.registry import periodic

log = logging.getLogger("banchengshi.scheduler")


@periodic(name="scheduler.prune", daily_at=dt.time(3, 30))
def prune(slot: dt.datetime) -> None:
    """Forget runs (and the database backend's task results) older than
    BANCHENGSHI_SCHEDULER_KEEP_DAYS, counted from the slot, so a rerun deletes the same."""
    days = settings.BANCHENGSHI_SCHEDULER_KEEP_DAYS
    deleted, _ = JobRun.objects.filter(slot__lt=slot - dt.timedelta(days=days)).delete()
    log.info("prune: %d job runs older than %d days deleted", deleted, days)
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        call_command(
            "prune_db_task_results", "--queue-name=*", f"--min-age-days={days}", verbosity=0
        )
