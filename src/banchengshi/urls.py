from django.contrib import admin
from django.urls import include, path

from banchengshi.api.api import api
from banchengshi.web.forms.auth import AdminSignInForm

# The admin's sign-in reads the user name as the workbench's does.
admin.site.login_form = AdminSignInForm
# A database that cannot be reached answers 503 in words; any other failure a 500 in words.
handler500 = "banchengshi.web.unavailable.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("banchengshi.intake.open311.urls")),
    path("", include("banchengshi.web.urls")),
]
