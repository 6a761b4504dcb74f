from django.db import models
from django.utils.translation import gettext_lazy as _

from banchengshi.org.models import Unit


class Matter(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owning_department = models.ForeignKey(
        Unit,
        verbose_name=_("owning department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_matters",
    )
    handling_centers = models.ManyToManyField(
        Unit, verbose_name=_("handled at"), blank=True, related_name="handled_matters"
    )
    legal_limit_days = models.PositiveSmallIntegerField(
        _("legal time limit (working days)"), null=True, blank=True
    )
    materials = models.TextField(_("materials"), blank=True)
    fees = models.CharField(_("fees"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    whole_city = models.BooleanField(_("whole-city"), default=False)
    door_to_door = models.BooleanField(_("door-to-door"), default=False)
    remote = models.BooleanField(_("remote window"), default=False)
    is_public = models.BooleanField(_("public"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service matter")
        verbose_name_plural = _("service matters")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class CatalogueStamp(models.Model):
    """One row whose stamp the database sets to a new random value with every write to the
    matters or the units (catalog.stamp's triggers), so that a process may keep what it
    derives from the catalogue until the catalogue changes. Random rather than counted: a
    rolled-back write must never leave a stamp that a later, different catalogue could take
    again."""

    stamp = models.CharField(max_length=32)
