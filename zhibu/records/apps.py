from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhibu.records"
    label = "records"
    verbose_name = "工作记录"

    def ready(self):
        from zhibu.records import ledgers  # noqa: F401 (registers the records' ledgers)
