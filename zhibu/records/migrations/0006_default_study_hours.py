"""Default 学时 for the study types (practice: half a day 4 学时; a warning-education film 2)."""

from decimal import Decimal

from django.db import migrations

DEFAULT_HOURS = {"党课": Decimal(4), "理论学习": Decimal(4), "领导干部上讲堂": Decimal(4), "警示教育": Decimal(2)}


def set_defaults(apps, schema_editor):
    ActivityType = apps.get_model("records", "ActivityType")
    for name, hours in DEFAULT_HOURS.items():
        ActivityType.objects.filter(name=name, study_hours=0).update(study_hours=hours)


class Migration(migrations.Migration):
    dependencies = [("records", "0005_study_hours")]
    operations = [migrations.RunPython(set_defaults, migrations.RunPython.noop)]
