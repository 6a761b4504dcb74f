"""Policies as cases were accepted under them, and which one is in force: read-only, because a
policy changes only through its validated file (docs/policies.md) and old cases keep theirs."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import PolicyVersion
from banchengshi.policy.rules import policy_in_force


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "version", "in_force")
    readonly_fields = ("key", "name", "version", "in_force", "content")
    search_fields = ("key",)

    @admin.display(boolean=True, description=_("in force"))
    def in_force(self, obj: PolicyVersion) -> bool:
        return obj.key == policy_in_force().key

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):  # type: ignore[no-untyped-def]
        policy = policy_in_force()
        context = {
            **(extra_context or {}),
            "title": _("Policies: %(title)s (%(key)s) is in force")
            % {"title": policy.title, "key": policy.key},
        }
        return super().changelist_view(request, context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PolicyVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PolicyVersion | None = None) -> bool:
        return False
