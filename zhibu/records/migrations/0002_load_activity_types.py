"""Load the activity type catalogue (zhibu.records.catalogue.ACTIVITY_TYPES, the one source) into the table.

Types already present (by name) are left as an administrator edited them; running it again adds only new ones.
"""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from zhibu.records.catalogue import ACTIVITY_TYPES
    from zhibu.records.expected import Expected, expected_for

    ActivityType = apps.get_model("records", "ActivityType")
    existing = set(ActivityType.objects.values_list("name", flat=True))
    for position, spec in enumerate(ACTIVITY_TYPES, start=1):
        if spec.name in existing:
            continue
        ActivityType.objects.create(
            name=spec.name,
            aliases="、".join(spec.aliases),
            group=spec.group,
            takes_attendance=spec.takes_attendance,
            expected=expected_for(spec.name).value if spec.takes_attendance else Expected.LISTED.value,
            measure=str(spec.measure),
            unit=spec.unit,
            position=position * 10,
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
