from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from banchengshi.workdays.actions import check_load_calendar_year, do_load_calendar_year
from banchengshi.workdays.models import CalendarYear
from banchengshi.workdays.schedule import ScheduleError


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Schedule file (TOML)"))


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source_name", "loaded_by", "loaded_at"]
    readonly_fields = ["year", "source_name", "loaded_by", "loaded_at", "days", "content"]
    exclude = ["schedule"]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # years come only through the validated upload

    @admin.display(description=_("holidays and make-up workdays"))
    def days(self, obj: CalendarYear) -> str:
        schedule = obj.as_schedule()
        rows = [(f"{h.start} – {h.end}", h.name) for h in schedule.holidays]
        rows += [(str(d), str(_("make-up workday"))) for d in schedule.workdays]
        return format_html_join("", "<div>{}: {}</div>", rows)

    def get_urls(self) -> list:
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name="workdays_calendaryear_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                schedule = check_load_calendar_year(content, upload.name)
            except ScheduleError as exc:
                form.add_error("file", str(exc))
            else:
                loaded = do_load_calendar_year(schedule, content, upload.name, request.user)
                self.message_user(
                    request,
                    _(
                        "Loaded the schedule of %(year)s. Provisional deadlines: %(moved)s "
                        "moved in %(cases)s cases, %(confirmed)s confirmed."
                    )
                    % {
                        "year": schedule.year,
                        "moved": loaded.recomputed.clocks_changed,
                        "cases": loaded.recomputed.cases_changed,
                        "confirmed": loaded.recomputed.clocks_confirmed,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:workdays_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Load a year's statutory schedule"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/upload.html", context)
