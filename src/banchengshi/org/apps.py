from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "banchengshi.org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from banchengshi.org import checks  # noqa: F401  (registers the deploy checks)
        from banchengshi.org.security_events import on_admin_logged

        post_save.connect(on_admin_logged, sender=LogEntry, dispatch_uid="org.admin_logged")
        # Deleting several rows at once writes the admin's log in bulk, past post_save; so
        # deletions go one at a time, each in the audit trail.
        admin.site.disable_action("delete_selected")
