from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhibu.orgs"
    label = "orgs"
    verbose_name = "组织与人员"

    def ready(self):
        from zhibu.lib import sqlite_prefetch
        from zhibu.orgs import ledgers, membership  # noqa: F401  the transfer ledger; the placement's one writer

        from zhibu.orgs import versions

        sqlite_prefetch.install()
        versions.track_orgs_models()  # a change to a branch's people, posts or periods shows on the next check  # prefetching over a thousand rows on SQLite (see the module)
