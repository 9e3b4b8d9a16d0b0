from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhibu.orgs"
    label = "orgs"
    verbose_name = "组织与人员"

    def ready(self):
        from zhibu.orgs import membership  # noqa: F401  connects the placement's one writer to Person saves
