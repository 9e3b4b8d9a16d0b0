"""A 政治生日 record lists the members it honoured (出席); the birthday list starts one with this month's
members ticked, a person's page shows their last one, and the report counts records and people."""

from datetime import date

from tests.clock import TODAY
from tests.points.conftest import make_record
from zhibu.orgs import access
from zhibu.orgs.models import Person
from zhibu.records.models import ActivityType, Status
from zhibu.reports.compute import FigureEvaluator as MetricEvaluator
from zhibu.reports.metric_catalogue import metric_by_key  # composed keys


def _born_this_month(person: Person) -> Person:
    person.admitted_on = date(2010, TODAY.month, TODAY.day)
    person.save()
    return person


def _roll_status(response, person) -> str:
    [line] = [line for line in response.context["roll"].lines if line.person.pk == person.pk]
    return line.status


def test_the_birthday_list_starts_a_record_with_this_months_members_present(tree, client):
    honoured = _born_this_month(tree.people.a_member)
    client.force_login(tree.users.secretary_a)
    page = client.get(f"/development/birthdays/?org={tree.orgs.a.pk}").content.decode()
    birthday = ActivityType.objects.get(name="政治生日")
    link = f"/records/new/?org={tree.orgs.a.pk}&amp;type={birthday.pk}&amp;people={honoured.pk}"
    assert "记录政治生日活动" in page and link in page
    form = client.get(link.replace("&amp;", "&"))
    assert _roll_status(form, honoured) == Status.PRESENT
    assert _roll_status(form, tree.people.a_other) == ""  # 按名单: the others are not on the record
    # The htmx roll keeps the selection when the date or organisation changes.
    part = client.get(f"/records/roll/?org={tree.orgs.a.pk}&type={birthday.pk}&date={TODAY}&people={honoured.pk}")
    assert _roll_status(part, honoured) == Status.PRESENT


def test_an_id_from_elsewhere_in_the_link_lists_nobody_from_elsewhere(tree, client):
    client.force_login(tree.users.secretary_a)
    birthday = ActivityType.objects.get(name="政治生日")
    form = client.get(f"/records/new/?org={tree.orgs.a.pk}&type={birthday.pk}&people={tree.people.c_member.pk}")
    assert tree.people.c_member.pk not in {line.person.pk for line in form.context["roll"].lines}


def test_a_persons_page_shows_their_last_political_birthday_record(tree, client):
    member = tree.people.a_member
    make_record(tree.orgs.a, "政治生日", date(2024, 7, 1), subject="七月政治生日", roll={member: Status.PRESENT})
    last = make_record(tree.orgs.a, "政治生日", date(2025, 7, 1), subject="重温入党誓词", roll={member: Status.PRESENT})
    make_record(tree.orgs.a, "政治生日", date(2025, 8, 1), roll={tree.people.a_other: Status.PRESENT})
    client.force_login(tree.users.secretary_a)
    page = client.get(f"/people/{member.pk}/").content.decode()
    assert "上次过政治生日" in page and f'/records/{last.pk}/">2025-07-01</a> 重温入党誓词' in page
    client.force_login(tree.users.member_a)
    own = client.get(f"/people/{member.pk}/").content.decode()
    assert "2025-07-01 重温入党誓词" in own and f"/records/{last.pk}/" not in own  # a member cannot open the record
    client.force_login(tree.users.secretary_a)
    assert "还没有记录" in client.get(f"/people/{tree.people.a_secretary.pk}/").content.decode()


def test_the_report_counts_birthday_records_and_the_people_they_honoured(tree):
    a, b = tree.orgs.a, tree.orgs.b
    make_record(a, "政治生日", date(2025, 7, 1), roll={tree.people.a_member: Status.PRESENT, tree.people.a_other: Status.PRESENT})
    make_record(a, "政治生日", date(2025, 8, 1), roll={tree.people.a_member: Status.PRESENT})
    make_record(b, "政治生日", date(2025, 9, 1), roll={tree.people.b_member: Status.PRESENT})
    evaluator = MetricEvaluator(access.SYSTEM, tree.orgs.committee, 2025)
    assert evaluator.evaluate(metric_by_key("count:政治生日")).value == 3
    people = evaluator.evaluate(metric_by_key("people:政治生日"))
    assert (people.value, people.metric.label()) == (3, "政治生日人数")
    assert MetricEvaluator(access.SYSTEM, a, 2025).evaluate(metric_by_key("people:政治生日")).value == 2
