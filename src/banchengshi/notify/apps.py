"""Notifications leave through an outbox: rows written in the transaction of the change,
sent after commit by `banchengshi outbox send` (or the scheduler's job), so nothing is lost or
sent for a change that rolled back (R-Q-4)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "banchengshi.notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from banchengshi.audit.chain import events_appended
        from banchengshi.notify import checks  # noqa: F401  (registers the system check)
        from banchengshi.notify.webhooks.emission import on_events_appended

        # Every case event is written through the audit chain: webhooks hear them there.
        events_appended.connect(on_events_appended, dispatch_uid="notify.webhooks")
