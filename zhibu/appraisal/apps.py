from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "zhibu.appraisal"
    verbose_name = "民主评议党员"

    def ready(self):
        from zhibu.appraisal import ledgers  # noqa: F401 (registers the results ledgers)
