"""The history of activity types keeps each version's key too (the key is set once, so every version has its type's)."""

from django.db import migrations, models


def fill_history_keys(apps, schema_editor):
    ActivityType = apps.get_model("records", "ActivityType")
    History = apps.get_model("records", "HistoricalActivityType")
    for pk, key in ActivityType.objects.values_list("pk", "key"):
        History.objects.filter(id=pk).update(key=key)


class Migration(migrations.Migration):
    dependencies = [("records", "0007_merge_20261201_2024")]
    operations = [
        migrations.AddField(
            model_name="historicalactivitytype",
            name="key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=40, verbose_name="标识"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_history_keys, migrations.RunPython.noop),
    ]
