from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "zhibu.elections"
    verbose_name = "换届选举"

    def ready(self):
        from zhibu.elections import ledgers  # noqa: F401 (registers the elections ledger)
