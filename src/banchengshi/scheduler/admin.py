"""What the scheduler did, for administrators: read-only (the scheduler alone writes here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from banchengshi.scheduler.models import JobRun, Lease


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(ReadOnly):
    list_display = ("job", "slot", "state", "attempt", "started_at", "finished_at", "ran_by")
    list_filter = ("state", "job")
    ordering = ("-slot",)
    # Runs pile up by the minute: the list shows pages, not a count of them all.
    show_full_result_count = False


@admin.register(Lease)
class LeaseAdmin(ReadOnly):
    list_display = ("name", "holder", "since", "expires_at")
