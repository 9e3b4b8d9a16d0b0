from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "zhibu.ballots"
    verbose_name = "不记名投票"
