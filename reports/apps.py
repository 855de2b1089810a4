from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        # The report side offers its reports to the tasks that send them: `tasks`
        # lies below `reports` and does not import it (README, dependency arrows).
        from reports import task_attachments
        from tasks import attachments

        attachments.register(task_attachments.offer)
