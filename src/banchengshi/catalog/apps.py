from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "banchengshi.catalog"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from banchengshi.catalog.stamp import restore_row

        # `flush` (the tests' reset) empties the stamp's table and then sends post_migrate.
        post_migrate.connect(restore_row, sender=self, dispatch_uid="catalog.stamp")
