from django.urls import path

from banchengshi.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
