"""The idempotency keys of case creation (API tokens live in banchengshi.tokens)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from banchengshi.cases.models import Case


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
