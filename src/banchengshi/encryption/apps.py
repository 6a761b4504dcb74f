from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "banchengshi.encryption"
    verbose_name = _("Encryption at rest")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from banchengshi.encryption import checks  # noqa: F401  (registers the deploy check)
        from banchengshi.encryption.keys import forget_keys

        setting_changed.connect(forget_keys, dispatch_uid="encryption.forget_keys")
