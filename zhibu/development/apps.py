from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "zhibu.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self):
        from zhibu.development import ledgers  # noqa: F401 (registers this app's ledgers)
