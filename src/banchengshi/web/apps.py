from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "banchengshi.web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from banchengshi.web.session_guard import on_signed_in, on_signed_out

        user_logged_in.connect(on_signed_in, dispatch_uid="banchengshi.web.signed_in")
        user_logged_out.connect(on_signed_out, dispatch_uid="banchengshi.web.signed_out")
