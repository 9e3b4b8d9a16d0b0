"""Every person registered before periods existed gets one open period where they are now, from their 入党日期
(or, for people in development, the earliest date of their development; the migration day when they carry none)."""

from datetime import date

from django.db import migrations

MEMBER_CATEGORIES = ("正式党员", "预备党员")


def start_of(person) -> date:
    if person.category in MEMBER_CATEGORIES and person.admitted_on:
        return person.admitted_on
    dates = [d for d in (person.applied_on, person.activist_on, person.candidate_on, person.admitted_on) if d]
    return min(dates) if dates else date.today()


def open_periods(apps, schema_editor):
    Person = apps.get_model("orgs", "Person")
    Period = apps.get_model("orgs", "MembershipPeriod")
    have = set(Period.objects.values_list("person_id", flat=True))
    Period.objects.bulk_create(
        [
            Period(person_id=p.pk, branch_id=p.branch_id, group_id=p.group_id, start=start_of(p))
            for p in Person.objects.exclude(pk__in=have).iterator()
        ],
        batch_size=500,
    )


def drop_periods(apps, schema_editor):
    apps.get_model("orgs", "MembershipPeriod").objects.filter(opened_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_membership_periods")]
    operations = [migrations.RunPython(open_periods, drop_periods)]
