"""The one task every periodic job goes through: a worker (db_worker, rqworker) runs it."""

from __future__ import annotations

from django_tasks import task

from banchengshi.scheduler.actions import execute_run
from banchengshi.scheduler.lease import this_process
from banchengshi.scheduler.models import RunState


class JobFailed(Exception):
    """Raised after a failed run is recorded, so that the task backend shows the task failed."""


@task()
def run_job(run_id: int, attempt: int) -> str:
    """Run attempt `attempt` of the run `run_id` (arguments are plain numbers: a task's
    arguments travel as JSON)."""
    run = execute_run(run_id, attempt, process=this_process())
    if run is None:
        return "not run"
    if run.state == RunState.FAILED:
        raise JobFailed(f"{run.job}: {run.error}")
    return str(run.state)
