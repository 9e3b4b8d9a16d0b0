from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhibu.records"
    label = "records"
    verbose_name = "工作记录"

    def ready(self):
        from zhibu.records import ledgers  # noqa: F401 (registers the records' ledgers)
        from zhibu.records import hours_ledger  # noqa: F401  the 党员教育培训学时台账 in the ledger registry
        from zhibu.orgs import versions
        from zhibu.records.models import Activity, Attendance

        # A saved record or roll shows on the next compliance check (orgs/versions.py).
        versions.track(Activity, org="org_id")
        versions.track(Attendance, via=("activity_id", Activity, "org_id"))
