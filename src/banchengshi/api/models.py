"""API tokens for systems, and the idempotency keys of case creation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Case


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
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyKey(models.Model):
    """A case created through POST /cases with an Idempotency-Key header: the same person
    sending the same key again gets the same case, never a second one (R-Q-4)."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # SHA-256 of the canonical JSON of the request body: a key reused for another body is refused.
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_unique")
        ]
