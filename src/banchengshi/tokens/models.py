"""The bearer tokens of systems acting as a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token of a system acting as `user`. Only the SHA-256 of the secret is kept;
    the secret itself is shown once, by `banchengshi token create`."""

    name = models.CharField(_("token name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    # The first 8 characters of the token ("bcs_" and 4 more): enough to recognise it in a
    # list or a log, far too little to guess the rest.
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    token_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        # The model began in the api app; its table (and the rows of existing databases)
        # kept that name when it moved here (migrations tokens 0001 and api 0002).
        db_table = "api_apitoken"
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
