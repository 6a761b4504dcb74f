"""Public pages at the root, the staff workbench under /staff/ (one module per area)."""

from django.urls import path

from banchengshi.web.views import (
    auth,
    case_page,
    guide,
    hub,
    inspector,
    kiosk,
    portal,
    register,
    tablet,
    tracking,
    units,
    worklist,
)

app_name = "web"

urlpatterns = [
    # The online window (PC and phone) and the self-service terminal: no sign-in.
    path("", portal.home, name="home"),
    path("report/", portal.report, name="report"),
    path("report/check/<str:field>/", portal.report_check, name="report_check"),
    path("report/done/", portal.report_done, name="report_done"),
    path("track/", tracking.track, name="track"),
    path("track/<str:tracking_no>/", tracking.track_case, name="track_case"),
    path("track/<str:tracking_no>/rate/", tracking.track_rate, name="track_rate"),
    path("r/<str:token>/", tracking.rating_link_page, name="rating_link"),
    path("guide/", guide.guide, name="guide"),
    path("guide/<str:code>/", guide.guide_matter, name="guide_matter"),
    path("elder/", portal.elder_switch, name="elder"),
    path("kiosk/", kiosk.start, name="kiosk"),
    path("kiosk/report/", kiosk.report, name="kiosk_report"),
    path("kiosk/report/check/<str:field>/", kiosk.report_check, name="kiosk_report_check"),
    path("kiosk/report/done/", kiosk.report_done, name="kiosk_report_done"),
    path("kiosk/track/", kiosk.track, name="kiosk_track"),
    path("kiosk/track/<str:tracking_no>/", kiosk.case, name="kiosk_case"),
    path("kiosk/track/<str:tracking_no>/rate/", kiosk.rate, name="kiosk_rate"),
    path("kiosk/reset/", kiosk.reset, name="kiosk_reset"),
    path("staff/login/", auth.sign_in_view, name="login"),
    path("staff/logout/", auth.sign_out_view, name="logout"),
    path("staff/", worklist.worklist, name="worklist"),
    path("staff/work/rows/", worklist.worklist_rows, name="worklist_rows"),
    path("staff/register/", register.register, name="register"),
    path("staff/register/check/<str:field>/", register.register_check, name="register_check"),
    path("staff/register/matters/", register.register_matters, name="register_matters"),
    path(
        "staff/register/matters/<int:matter_id>/",
        register.register_matter,
        name="register_matter",
    ),
    path("staff/register/hints/", register.register_hints, name="register_hints"),
    path("staff/cases/<int:case_id>/registered/", register.register_done, name="register_done"),
    path("staff/cases/<int:case_id>/print/slip/", register.print_slip, name="print_slip"),
    path(
        "staff/cases/<int:case_id>/print/handling/",
        register.print_handling,
        name="print_handling",
    ),
    path("staff/cases/<int:case_id>/", case_page.case_page, name="case"),
    path("staff/cases/<int:case_id>/act/<slug:act>/", case_page.case_act, name="case_act"),
    path("staff/cases/<int:case_id>/attachments/", case_page.case_attach, name="case_attach"),
    path(
        "staff/cases/<int:case_id>/attachments/<int:attachment_id>/",
        case_page.case_attachment,
        name="case_attachment",
    ),
    # The window's tablet: the petitioner rates the answer in the clerk's session.
    path("staff/tablet/", tablet.waiting, name="tablet"),
    path("staff/tablet/thanks/", tablet.thanks, name="tablet_thanks"),
    path("staff/tablet/<int:handoff_id>/", tablet.rate, name="tablet_rate"),
    path("staff/hub/", hub.hub, name="hub"),
    path("staff/hub/dispatch/", hub.hub_dispatch, name="hub_dispatch"),
    path(
        "staff/hub/cases/<int:case_id>/requests/<int:request_id>/",
        hub.hub_decide,
        name="hub_decide",
    ),
    path("staff/units/", units.units, name="units"),
    path("staff/units/<int:unit_id>/", units.unit, name="unit"),
    path("staff/inspect/", inspector.inspect, name="inspect"),
    path(
        "staff/inspect/cases/<int:case_id>/audit/",
        inspector.inspect_audit,
        name="inspect_audit",
    ),
    path("staff/inspect/verify/", inspector.inspect_verify, name="inspect_verify"),
]
