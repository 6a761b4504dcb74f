"""The service catalogue: matters, their owning department, where they are handled, flags."""

from django.contrib import admin

from banchengshi.catalog.models import Matter


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "owning_department",
        "legal_limit_days",
        "online",
        "whole_city",
        "door_to_door",
        "remote",
        "is_public",
        "is_active",
    )
    list_filter = ("online", "whole_city", "door_to_door", "remote", "is_public", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("owning_department",)
    filter_horizontal = ("handling_centers",)
    list_select_related = ("owning_department",)
