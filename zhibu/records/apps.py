from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhibu.records"
    label = "records"
    verbose_name = "工作记录"

    def ready(self):
        from zhibu.records import ledgers  # noqa: F401 (registers the records' ledgers)
        from zhibu.records import hours_ledger  # noqa: F401  the 党员教育培训学时台账 in the ledger registry
