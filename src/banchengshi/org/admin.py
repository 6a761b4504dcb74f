"""Units, people and their memberships, and locked sign-ins, for the office administrator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from banchengshi.identifiers import validate_mobile
from banchengshi.ids import parse_number
from banchengshi.org.actions import (
    check_unit_parent,
    do_revoke_role,
    do_save_membership,
    do_save_unit,
)
from banchengshi.org.login_guard import unlock
from banchengshi.org.models import LoginLock, Membership, StaffProfile, TwoFactorDevice, Unit
from banchengshi.org.names import full_name


def _person(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class IdAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete looks up the chosen row by the value as given, so a value that is
    no id ("?unit=²" on the add page, or posted) raised a server error; such a value is shown
    as nothing chosen, and the form says the choice is not valid."""

    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> Any:
        ids = [v for v in value if parse_number(str(v)) is not None]
        return super().optgroups(name, ids, attr)


class IdAutocomplete:
    """For admins and inlines whose autocomplete fields point at rows with integer ids."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            admin_site = self.admin_site  # type: ignore[attr-defined]
            kwargs["widget"] = IdAutocompleteSelect(db_field, admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ("code", "name", "kind", "parent", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_unit_parent(self.instance, cleaned.get("parent"))
        return cleaned


class MembershipInline(IdAutocomplete, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("unit",)


@admin.register(Unit)
class UnitAdmin(IdAutocomplete, admin.ModelAdmin):
    form = UnitForm
    list_display = ("name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    ordering = ("path",)

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        do_save_unit(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return False  # cases keep pointing at units; a unit that closes is made inactive


@admin.register(Membership)
class MembershipAdmin(IdAutocomplete, admin.ModelAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    autocomplete_fields = ("user", "unit")

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        do_save_membership(obj, actor=_person(request), request=request)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        do_revoke_role(obj, actor=_person(request), request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "unit"):
            do_revoke_role(membership, actor=_person(request), request=request)


class StaffProfileForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ("mobile",)

    def clean_mobile(self) -> str:
        """Kept as its 11 digits, however it was typed (spaces, dashes, full-width)."""
        mobile: str = self.cleaned_data["mobile"]
        return validate_mobile(mobile) if mobile else ""


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """Django's user administration with the person's roles in units on the same page."""

    inlines = (StaffProfileInline, MembershipInline)
    list_display = ("username", "name", "email", "is_staff")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """The memberships of the person's page pass through the role actions (audited)."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        memberships = formset.save(commit=False)
        for gone in formset.deleted_objects:
            do_revoke_role(gone, actor=_person(request), request=request)
        for membership in memberships:
            do_save_membership(membership, actor=_person(request), request=request)

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, user: User) -> str:
        return full_name(user)


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    list_display = ("username", "failures", "last_failure_at", "locked_until")
    search_fields = ("username",)
    readonly_fields = ("username", "failures", "last_failure_at", "locked_until")
    actions = ("unlock_selected",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock_selected(self, request: HttpRequest, queryset: QuerySet[LoginLock]) -> None:
        names = list(queryset.values_list("username", flat=True))
        for name in names:
            unlock(name)
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", len(names))
            % {"count": len(names)},
            messages.SUCCESS,
        )


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Who has an authenticator; deleting one resets it (the person sets up a new one at the
    next sign-in). The secret is never shown."""

    list_display = ("user", "confirmed_at")
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at")
    readonly_fields = ("user", "confirmed_at")

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> TwoFactorDevice | None:
        # Its key is the person's (a one-to-one field): Django's guard against numbers no
        # column holds covers integer fields, not relations, and SQLite overflows on them.
        if parse_number(object_id) is None:
            return None
        return super().get_object(request, object_id, from_field)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
