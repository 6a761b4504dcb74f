"""API tokens in the admin: see them, revoke them. A token is created by the command
`banchengshi token create USERNAME NAME`, which prints its secret once; the admin never can,
because only the secret's hash is stored."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from banchengshi.api.models import ApiToken
from banchengshi.api.tokens import do_revoke_tokens


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "prefix", "token_hash", "created_at", "last_used_at")
    fields = ("name", "user", "prefix", "token_hash", "created_at", "last_used_at", "revoked")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # `banchengshi token create` shows the secret once; a form could not

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = do_revoke_tokens(queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
