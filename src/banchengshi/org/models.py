from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banchengshi.encryption.fields import EncryptedCharField
from banchengshi.identifiers import validate_mobile


class UnitKind(models.TextChoices):
    OFFICE = "office", _("government service office")
    HUB = "hub", _("administrative service center (dispatch hub)")
    DEPARTMENT = "department", _("department")
    CENTER = "center", _("service center")
    SUBCENTER = "subcenter", _("sub-center")
    SERVICE_POINT = "service_point", _("neighbourhood service point")
    INSPECTORATE = "inspectorate", _("discipline inspection and supervision commission")


# Units a case can be handled by; the office, hub and inspectorate only oversee.
HANDLING_KINDS = (
    UnitKind.DEPARTMENT,
    UnitKind.CENTER,
    UnitKind.SUBCENTER,
    UnitKind.SERVICE_POINT,
)
# Where a petitioner goes to get business done (and where it can fail): not the departments.
PLACE_KINDS = tuple(kind for kind in HANDLING_KINDS if kind != UnitKind.DEPARTMENT)


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", _("window clerk")
    WINDOW_HEAD = "window_head", _("window head")
    UNIT_HANDLER = "unit_handler", _("unit handling specialist")
    UNIT_LEADER = "unit_leader", _("unit leader")
    DISPATCHER = "dispatcher", _("dispatcher")
    OFFICE_ADMIN = "office_admin", _("office administrator")
    INSPECTOR = "inspector", _("inspector")
    # Staff of a neighbourhood service point or of a street's acceptance center (seed 003): they
    # see the points, sessions and door-to-door requests of their units and the units below.
    NEIGHBORHOOD_STAFF = "neighborhood", _("neighbourhood service staff")
    SYSADMIN = "sysadmin", _("system administrator")


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ids ("/1/4/9/"): a unit's subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person holds a role in a unit; a person may hold several (R-ORG-2)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


def _mobile(value: str) -> None:
    validate_mobile(value)


class StaffProfile(models.Model):
    """What a person's account does not hold itself: the mobile number their notices may be
    texted to (notify's preferences), optional."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    mobile = EncryptedCharField(_("mobile number"), max_length=20, blank=True, validators=[_mobile])

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)


class LoginLock(models.Model):
    """Failed sign-ins per user name: after too many in a row the name is locked for a while
    (org.login_guard), whatever address the attempts come from."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)


class PasswordRecord(models.Model):
    """When a person's password was last set, for its expiry (org.passwords)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="password_record",
    )
    changed_at = models.DateTimeField()


class TwoFactorDevice(models.Model):
    """A person's TOTP authenticator (org.two_factor): the shared secret (base32), confirmed
    once the person typed a first right code; the time step of the last code accepted, so a
    code is good once; and the recovery codes' hashes, each struck out when used."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="two_factor",
    )
    secret = EncryptedCharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    recovery_hashes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("two-factor authenticator")
        verbose_name_plural = _("two-factor authenticators")

    def __str__(self) -> str:
        return str(self.user)
