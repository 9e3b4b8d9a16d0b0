from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "zhibu.dues"
    label = "dues"
    verbose_name = "党费"

    def ready(self):
        from zhibu.dues import ledgers  # noqa: F401 (registers this app's ledgers)
