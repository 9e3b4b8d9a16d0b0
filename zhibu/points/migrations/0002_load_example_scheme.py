"""Load the example scheme as the default (see zhibu.points.example); labelled as an example, editable."""

from django.db import migrations


def load_example(apps, schema_editor):
    from zhibu.points.example import load_example as load

    load(apps.get_model("points", "PointScheme"), apps.get_model("points", "PointRule"), apps.get_model("records", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial"), ("records", "0002_load_activity_types")]
    operations = [migrations.RunPython(load_example, migrations.RunPython.noop)]
