from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo commune Cao Ngọc and its year 2024: sample data only, no models.

    It imports the domain apps and nothing imports it but its command
    (`manage.py seed_demo`) and the tests.
    """

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
