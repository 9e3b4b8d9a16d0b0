from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "zhibu.lists"
    label = "lists"
    verbose_name = "三张清单与问题整改"

    def ready(self):
        from zhibu.lists import ledgers  # noqa: F401 (registers this app's ledgers)
