from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhibu.stats"
    label = "stats"
    verbose_name = "党内统计"

    def ready(self):
        from zhibu.stats import ledgers  # noqa: F401  the 党内统计表 in the ledger registry
