"""The scheduler's two tables: who leads (Lease) and what ran for which slot (JobRun)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Every identity of a process (host:pid:random) fits here.
PROCESS_LENGTH = 200


class Lease(models.Model):
    """A named lease: the process named in `holder` leads until `expires_at`.

    Taken and renewed by one conditional UPDATE (scheduler/lease.py), so of several
    schedulers exactly one holds it; a leader that dies stops renewing and is replaced when
    the lease expires."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    holder = models.CharField(_("held by"), max_length=PROCESS_LENGTH)
    since = models.DateTimeField(_("held since"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("scheduler lease")
        verbose_name_plural = _("scheduler leases")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"


class RunState(models.TextChoices):
    CLAIMED = "claimed", _("claimed")
    ENQUEUED = "enqueued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    # A later slot had begun before a worker took the run: only the latest slot is run.
    SKIPPED = "skipped", _("skipped")


# A run in one of these states may still be waiting for, or in, a process that died.
UNFINISHED = (RunState.CLAIMED, RunState.ENQUEUED, RunState.RUNNING)


class JobRun(models.Model):
    """One job's run for one slot. The unique constraint on (job, slot) is what makes a job run
    at most once per slot across processes, servers and database engines: whoever inserts the
    row runs the slot. `attempt` grows when a lost or failed run is taken over, so a task
    queued for an earlier attempt finds it is no longer its run."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    claimed_by = models.CharField(_("claimed by"), max_length=PROCESS_LENGTH)
    claimed_at = models.DateTimeField(_("claimed at"))
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    ran_by = models.CharField(_("run by"), max_length=PROCESS_LENGTH, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduler_run_once_per_slot")
        ]
        # The admin's newest-first list and the pruning of old runs.
        indexes = [models.Index(fields=["slot"], name="scheduler_run_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot.isoformat()}"
