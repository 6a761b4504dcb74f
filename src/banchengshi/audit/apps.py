from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "banchengshi.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from banchengshi.audit.security import on_security_event
        from banchengshi.org.security_events import security_event

        security_event.connect(on_security_event, dispatch_uid="audit.security_event")
