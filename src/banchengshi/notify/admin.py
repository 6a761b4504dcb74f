"""The outbox for administrators: what waits, what left, what was given up and why (filters
by status and channel). Read only: messages are written by the changes that cause
them and by the sender."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from banchengshi.identifiers import mask_phone
from banchengshi.notify.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "status",
        "channel",
        "template",
        "to",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "error",
    ]
    # Filters with fixed choices only: one over `template` would read every row for its list.
    list_filter = ["status", "channel"]
    # The payload may hold an access code until the message has left: never shown.
    fields = readonly_fields = (
        "status",
        "channel",
        "template",
        "to",
        "case",
        "attempts",
        "created_at",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
        "last_error",
    )
    list_select_related = False
    show_full_result_count = False  # a count of every row on each page is a table scan
    ordering = ["-id"]

    @admin.display(description=_("recipient"))
    def to(self, obj: OutboxMessage) -> str:
        return (
            mask_phone(obj.recipient) if obj.channel == OutboxMessage.Channel.SMS else obj.recipient
        )

    @admin.display(description=_("last error"))
    def error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
