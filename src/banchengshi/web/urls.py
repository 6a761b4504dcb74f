"""Public pages at the root, the staff workbench under /staff/ (one module per area)."""

from django.urls import path

from banchengshi.web.views import auth, case_page, hub, inspector, public, register, units, worklist

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("staff/login/", auth.sign_in_view, name="login"),
    path("staff/logout/", auth.sign_out_view, name="logout"),
    path("staff/", worklist.worklist, name="worklist"),
    path("staff/register/", register.register, name="register"),
    path("staff/cases/<int:case_id>/", case_page.case_page, name="case"),
    path("staff/hub/", hub.hub, name="hub"),
    path("staff/units/", units.units, name="units"),
    path("staff/inspect/", inspector.inspect, name="inspect"),
]
