from django.db import migrations


def add_study_hours_rule(apps, schema_editor):
    from zhibu.compliance.rules import add_missing_rules

    add_missing_rules(apps.get_model("compliance", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0004_rule_settings_per_organisation")]
    operations = [migrations.RunPython(add_study_hours_rule, migrations.RunPython.noop)]
