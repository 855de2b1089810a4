from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Sổ hộ gia đình"

    def ready(self) -> None:
        from households import figures, status_history

        status_history.connect()
        figures.connect()
