"""Load the activity type catalogue into the table (see zhibu.records.loading)."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from zhibu.records.loading import load_catalogue as load

    load(apps.get_model("records", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
