"""Remote virtual window sessions (R-NB-2, seed 003): a petitioner at a neighbourhood service
point is served by video by the staff of the acceptance center the point connects to; the
point's staff assist (ID reading, scanning, printing). Each session is logged with its matter,
outcome and the circulation of the paper materials (材料流转) between point and center."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.encryption.fields import EncryptedCharField

MAX_NOTE = 2000
MAX_MATERIALS = 20


class Side(StrEnum):
    """The two ends of a session's video link: who records a step, what counts are grouped by."""

    POINT = "point"
    CENTER = "center"


class Outcome(models.TextChoices):
    DONE = "done", pgettext_lazy("remote session outcome", "done")
    ACCEPTED = "accepted", _("accepted for processing")
    REFERRED = "referred", _("referred")
    FAILED = "failed", pgettext_lazy("remote session outcome", "failed")


class Circulation(models.TextChoices):
    """Where the session's paper materials are; the order of the members is the order of the
    steps. NONE: the session took in no paper."""

    NONE = "none", _("no materials")
    LISTED = "listed", _("listed")
    SCANNED = "scanned", _("scanned")
    SENT = "sent", pgettext_lazy("materials", "sent")
    RECEIVED = "received", _("received at the center")
    RETURNED = "returned", _("originals returned")


class RemoteSession(models.Model):
    point = models.ForeignKey(
        "neighborhood.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    # The center the point connected to then: a point may later be moved to another center.
    center = models.ForeignKey(
        "org.Unit",
        verbose_name=_("acceptance center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    point_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assisting staff at the point"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    center_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handling staff at the center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        "catalog.Matter", verbose_name=_("service matter"), on_delete=models.PROTECT
    )
    # The petitioner as cases.Case keeps them: validated, stored whole, masked when shown.
    petitioner_name = models.CharField(_("name"), max_length=100)
    phone = EncryptedCharField(_("phone"), max_length=24)
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    circulation = models.CharField(
        _("material circulation"),
        max_length=12,
        choices=Circulation.choices,
        default=Circulation.NONE,
    )
    # The 办不成事 case a failed session became.
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remote_session",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("remote window session")
        verbose_name_plural = _("remote window sessions")
        indexes = [
            models.Index(fields=["-started_at", "-id"], name="session_started"),
            models.Index(fields=["point", "-started_at"], name="session_point_started"),
            models.Index(fields=["center", "-started_at"], name="session_center_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gte=models.F("started_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.point_id} · {self.started_at:%Y-%m-%d %H:%M}"


class SessionMaterial(models.Model):
    session = models.ForeignKey(RemoteSession, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("material"), max_length=100)
    copies = models.PositiveSmallIntegerField(_("copies"))
    original = models.BooleanField(_("original"))

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="material_position")
        ]


class CirculationStep(models.Model):
    """A step the materials took: when and who (the session's `circulation` is the last)."""

    session = models.ForeignKey(RemoteSession, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField(max_length=12, choices=Circulation.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["session", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "state"], name="circulation_step_once")
        ]
