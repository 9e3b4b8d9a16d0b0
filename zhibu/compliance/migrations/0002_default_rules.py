from django.db import migrations


def add_default_rules(apps, schema_editor):
    from zhibu.compliance.rules import add_missing_rules

    add_missing_rules(apps.get_model("compliance", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(add_default_rules, migrations.RunPython.noop)]
