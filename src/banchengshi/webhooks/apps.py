"""Signed outbound webhooks (R-API-3): an app of their own above cases, audit and notify, which
plugs into them here rather than being imported by them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "banchengshi.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from banchengshi.audit.chain import events_appended
        from banchengshi.notify.models import OutboxMessage
        from banchengshi.notify.senders import register_sender
        from banchengshi.webhooks.delivery import deliver_webhook
        from banchengshi.webhooks.emission import on_events_appended

        register_sender(OutboxMessage.Channel.WEBHOOK, deliver_webhook)
        # Every case event is written through the audit chain: webhooks hear them there.
        events_appended.connect(on_events_appended, dispatch_uid="webhooks")
