"""What intake keeps beside the case: Open311 submissions and the rate limiter's counters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Case


class Open311Request(models.Model):
    """What an Open311 client sent with an appeal beyond the registration form: where, a
    media link, the sender's device and account, and the token the client exchanges for the
    tracking number (GET tokens/{token})."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="open311")
    token = models.CharField(max_length=32, unique=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    long = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    address_id = models.CharField(_("address id"), max_length=64, blank=True)
    # The sender's e-mail is personal data and is never published.
    email = models.EmailField(_("e-mail"), blank=True)
    device_id = models.CharField(max_length=64, blank=True)
    account_id = models.CharField(max_length=64, blank=True)
    media_url = models.URLField(_("media link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")


class RateCounter(models.Model):
    """Requests of one client address in one time window (intake.ratelimit)."""

    key = models.CharField(max_length=120)
    # Unix seconds at which the window ends; rows of ended windows are deleted.
    window_ends = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_ends"], name="rate_counter_unique")
        ]
        indexes = [models.Index(fields=["window_ends"], name="rate_counter_window")]


class PublicAccess(models.Model):
    """The access code of an appeal filed on a public page (portal, phone, kiosk) or
    registered at a window: shown or printed once and sent by SMS, kept only as a keyed hash
    (intake.tracking, intake.access)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="public_access")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
