"""/open311/v2/: the format is the extension of the resource (.xml or .json)."""

from django.urls import re_path

from banchengshi.intake.open311 import views

app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FORMAT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)" + FORMAT, views.service_request, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, views.token, name="token"),
    # Anything else under the endpoint is answered in the spec's error format, not Django's;
    # [\s\S], not ".": a path with a line break in it (%0A) is anything else too.
    re_path(r"^(?P<path>[\s\S]*?)(?:\.(?P<fmt>json|xml))?$", views.unknown, name="unknown"),
]
