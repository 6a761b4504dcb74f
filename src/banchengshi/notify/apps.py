"""Notifications leave through an outbox: rows written in the transaction of the change,
sent after commit by `banchengshi outbox send` (or the scheduler's job), so nothing is lost or
sent for a change that rolled back (R-Q-4)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "banchengshi.notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from banchengshi.notify import checks  # noqa: F401  (registers the system check)
