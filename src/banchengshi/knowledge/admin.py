"""The knowledge app's administration pages."""

from django.contrib import admin

from banchengshi.knowledge.models import ProposalRecord


@admin.register(ProposalRecord)
class ProposalRecordAdmin(admin.ModelAdmin):
    """What was proposed for each case and what it was registered with (read only)."""

    list_display = (
        "case",
        "channel",
        "by_staff",
        "proposed_category",
        "final_category",
        "proposed_complexity",
        "final_complexity",
        "proposed_matter",
        "final_matter",
        "proposed_unit",
        "final_unit",
        "created_at",
    )
    list_filter = ("by_staff", "channel", "proposed_category", "final_category")
    list_select_related = ("case", "proposed_matter", "final_matter", "proposed_unit", "final_unit")
    search_fields = ("case__tracking_no",)
    ordering = ("-id",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
