from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Nhiệm vụ"

    def ready(self) -> None:
        # The villages' plans forecast their escapes for the targets' progress page:
        # `targets` lies below `tasks` and does not import it (README, arrows).
        from targets import village_forecasts
        from tasks import plan_forecast

        village_forecasts.provide(plan_forecast.expected_escapes)
