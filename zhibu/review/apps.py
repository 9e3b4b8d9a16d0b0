from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhibu.review"
    label = "review"
    verbose_name = "述职评议"

    def ready(self):
        from zhibu.review import ledgers  # noqa: F401 (registers the results ledger)
