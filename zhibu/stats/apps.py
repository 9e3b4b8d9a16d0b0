from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhibu.stats"
    label = "stats"
    verbose_name = "党内统计"
