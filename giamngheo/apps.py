from django.apps import AppConfig


class GiamngheoConfig(AppConfig):
    name = "giamngheo"
    verbose_name = "Người dùng và cấu hình"

    def ready(self) -> None:
        from giamngheo import (
            checks,  # noqa: F401  (registers the checks)
            sessions,  # noqa: F401  (records the login time)
        )
