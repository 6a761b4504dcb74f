from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "banchengshi.catalog"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from banchengshi.catalog.stamp import ensure_stamp

        # After every migrate and `flush`: see catalog.stamp.
        post_migrate.connect(ensure_stamp, sender=self, dispatch_uid="catalog.stamp")
