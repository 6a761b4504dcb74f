from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "banchengshi.notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from banchengshi.audit.chain import events_appended
        from banchengshi.notify.webhooks.emission import on_events_appended

        # Every case event is written through the audit chain: webhooks hear them there.
        events_appended.connect(on_events_appended, dispatch_uid="notify.webhooks")
