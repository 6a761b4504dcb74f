"""The person's notices: the bell in the header (refreshed by htmx), the list newest first,
opening one (read, then its case), marking all read, and the choice of channels per kind."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banchengshi.errors import InvalidInput
from banchengshi.notify.actions import check_mark_read, check_save_preferences, do_mark_all_read
from banchengshi.notify.models import NotificationKind
from banchengshi.notify.preferences import preferences_of
from banchengshi.notify.selectors import PER_PAGE, inbox_page
from banchengshi.org.models import StaffProfile
from banchengshi.web.forms.notifications import InboxForm, PreferencesForm
from banchengshi.web.staff import signed_in, staff_view


@require_GET
@staff_view
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxForm(request.GET)
    form.is_valid()
    page = form.cleaned_data.get("page") or 1
    unread_only = bool(form.cleaned_data.get("unread"))
    notices = inbox_page(
        signed_in(request).user.pk,
        offset=(page - 1) * PER_PAGE,
        limit=PER_PAGE,
        unread_only=unread_only,
    )
    context = {"notices": notices, "page": page, "unread_only": unread_only}
    return render(request, "web/notifications.html", context)


@require_GET
@staff_view
def bell(request: HttpRequest) -> HttpResponse:
    """The bell alone, for the header's periodic refresh."""
    return render(request, "web/notifications_bell.html")


# A bad review's notice opens its rating's page (the notice names no case).
BAD_REVIEW_KINDS = frozenset(
    {
        NotificationKind.BAD_REVIEW_OPENED,
        NotificationKind.BAD_REVIEW_DUE_SOON,
        NotificationKind.BAD_REVIEW_OVERDUE,
    }
)


@require_POST
@staff_view
def open_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = check_mark_read(signed_in(request).user, notice_id)
    if notice.kind == NotificationKind.HOTSPOT_RAISED:
        return redirect("web:hotspots")
    if notice.kind in BAD_REVIEW_KINDS:
        evaluation_id = notice.params.get("evaluation") if isinstance(notice.params, dict) else None
        if isinstance(evaluation_id, int):
            return redirect("web:evaluation", evaluation_id)
    if notice.case_id is None:
        return redirect("web:notifications")
    return redirect("web:case", notice.case_id)


@require_POST
@staff_view
def read_all(request: HttpRequest) -> HttpResponse:
    count = do_mark_all_read(signed_in(request).user)
    messages.success(
        request,
        ngettext("%(count)d notice marked read.", "%(count)d notices marked read.", count)
        % {"count": count},
    )
    return redirect("web:notifications")


@require_http_methods(["GET", "POST"])
@staff_view
def preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in(request).user
    mobile = StaffProfile.objects.filter(user=user).values_list("mobile", flat=True).first()
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        current=preferences_of(user.pk),
        mobile=mobile or "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            check_save_preferences(
                user, choices=form.choices(), mobile=form.cleaned_data["mobile"] or ""
            )
        except InvalidInput as exc:
            form.show_errors(exc.errors)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect(reverse("web:notification_settings"))
    status = 422 if form.errors else 200
    return render(
        request,
        "web/notifications_settings.html",
        {"form": form, "email": user.email},
        status=status,
    )
