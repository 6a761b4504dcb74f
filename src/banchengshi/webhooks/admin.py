"""Webhook endpoints in the admin: add one (its secret is shown once, in the confirmation
message, as `banchengshi webhook add` prints it once), change its events, enable it again,
see its latest deliveries; the delivery log is read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from banchengshi.cases.events import LABELS
from banchengshi.errors import InvalidInput
from banchengshi.webhooks.actions import (
    check_new_endpoint,
    do_add_endpoint,
    do_change_endpoint,
    do_enable_endpoint,
)
from banchengshi.webhooks.models import WebhookDelivery, WebhookEndpoint
from banchengshi.webhooks.selectors import endpoints_with_last_attempt, recent_deliveries

# The action's field names as the form calls them.
FORM_FIELDS = {"url": "url", "events": "event_types", "description": "description"}


class EndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("event types"),
        choices=[(event.value, label) for event, label in LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every event."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "event_types")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        url = self.instance.url if self.instance.pk else data.get("url", "")
        try:
            self.new = check_new_endpoint(
                url=url,
                events=list(data.get("event_types") or []),
                description=data.get("description", ""),
            )
        except InvalidInput as exc:
            for field, errors in exc.errors.items():
                self.add_error(FORM_FIELDS.get(field), [str(error) for error in errors])
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("id", "url", "events", "enabled", "consecutive_failures", "last_attempt")
    list_filter = ("enabled",)
    actions = ("enable",)
    readonly = ("enabled", "consecutive_failures", "disabled_at", "disabled_reason", "deliveries")

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookEndpoint]:
        return endpoints_with_last_attempt()

    def get_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> Any:
        if obj is None:
            return ("url", "description", "event_types")
        return ("url", "description", "event_types", *self.readonly)

    def get_readonly_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> Any:
        return () if obj is None else ("url", *self.readonly)

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool
    ) -> None:
        new = form.new
        if change:
            do_change_endpoint(obj.pk, event_types=new.event_types, description=new.description)
            return
        endpoint, secret = do_add_endpoint(new)
        obj.pk = endpoint.pk
        self.message_user(
            request,
            _("Endpoint added. Copy its signing secret now, it is shown only this once: %(secret)s")
            % {"secret": secret},
            messages.WARNING,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # no relations: the action saved everything

    @admin.display(description=_("event types"))
    def events(self, obj: WebhookEndpoint) -> str:
        return ", ".join(obj.event_types) or str(_("all"))

    @admin.display(description=_("last attempt"))
    def last_attempt(self, obj: WebhookEndpoint) -> str:
        return str(getattr(obj, "last_status", None) or getattr(obj, "last_error", None) or "-")

    @admin.display(description=_("latest deliveries"))
    def deliveries(self, obj: WebhookEndpoint) -> SafeString:
        rows = format_html_join(
            "",
            "<tr>" + "<td>{}</td>" * 5 + "<td>{} ms</td><td>{}</td></tr>",
            (
                (
                    localtime(d.at).strftime("%Y-%m-%d %H:%M:%S"),
                    d.event_type,
                    d.webhook_id,
                    d.attempt,
                    d.status_code or "-",
                    d.duration_ms,
                    d.error,
                )
                for d in recent_deliveries(obj)
            ),
        )
        link = (
            reverse("admin:webhooks_webhookdelivery_changelist") + f"?endpoint__id__exact={obj.pk}"
        )
        return format_html('<table>{}</table><a href="{}">{}</a>', rows, link, _("All deliveries"))

    @admin.action(description=_("Enable the selected endpoints again"))
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        ids = list(queryset.values_list("id", flat=True))
        for endpoint_id in ids:
            do_enable_endpoint(endpoint_id)
        self.message_user(
            request,
            ngettext("%(count)d endpoint enabled.", "%(count)d endpoints enabled.", len(ids))
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "endpoint",
        "event_type",
        "webhook_id",
        "attempt",
        "status_code",
        "duration_ms",
        "error",
    )
    list_filter = ("endpoint",)
    list_select_related = ("endpoint",)
    search_fields = ("webhook_id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
