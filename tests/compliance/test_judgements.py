"""Stored judgements (compliance/judgements.py): reused while current, judged again after any change to what
the check reads, so a stored judgement always equals judging now."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.records.conftest import make_record
from zhibu.compliance import facts
from zhibu.compliance.facts import check
from zhibu.compliance.models import Judgement, Rule, RuleSetting
from zhibu.orgs import access
from zhibu.orgs.models import (
    BranchVersion, Category, Exemption, MembershipPeriod, Organisation, OrgKind, Person, PersonPost, Post,
)
from zhibu.records import bulk
from zhibu.records.models import Activity, ActivityType, Attendance, Status

YEAR = 2025
TODAY = date(2026, 1, 15)  # the year is over: every period judged


def outcome(result) -> tuple:
    findings = [(f.org_id, f.rule, f.period, f.status, f.message, tuple(f.evidence), f.person_id, f.group_id)
                for f in result.findings]
    scores = [(s.org_id, s.points, s.possible, [(line.rule.key, line.met, line.applicable) for line in s.lines])
              for s in result.scores()]
    return findings, scores


def stored_equals_fresh(root, today=TODAY) -> tuple:
    stored = outcome(check(access.SYSTEM, root, YEAR, today=today))
    assert stored == outcome(check(access.SYSTEM, root, YEAR, today=today, fresh=True))
    return stored


@pytest.fixture
def judged(tree):
    """A unit with some records, judged once (so every branch's judgement is stored)."""
    people = tree.people
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 2, 10), roll={people.a_secretary: Status.PRESENT, people.a_member: Status.ABSENT})
    make_record(tree.orgs.group_a, "党小组会", date(YEAR, 3, 5), roll={people.a_member: Status.PRESENT})
    before = stored_equals_fresh(tree.orgs.committee)
    assert Judgement.objects.filter(year=YEAR).count() == 2  # 甲支部 and 乙支部
    return tree, before


def test_a_stored_judgement_is_reused_without_reading_the_facts(judged, monkeypatch):
    tree, before = judged

    def no_facts(*args, **kwargs):
        raise AssertionError("the facts were read although nothing changed")

    monkeypatch.setattr(facts, "load_branch_facts", no_facts)
    assert outcome(check(access.SYSTEM, tree.orgs.committee, YEAR, today=TODAY)) == before


def test_only_the_changed_branch_is_judged_again(judged, monkeypatch):
    tree, before = judged
    make_record(tree.orgs.b, "支部党员大会", date(YEAR, 5, 10))
    judged_now = []
    real = facts.load_branch_facts
    monkeypatch.setattr(facts, "load_branch_facts", lambda branches, *a, **k: judged_now.extend(branches) or real(branches, *a, **k))
    after = outcome(check(access.SYSTEM, tree.orgs.committee, YEAR, today=TODAY))
    assert [b.pk for b in judged_now] == [tree.orgs.b.pk]
    assert after == outcome(check(access.SYSTEM, tree.orgs.committee, YEAR, today=TODAY, fresh=True)) != before


def _record_saved(tree):
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 5, 10), roll={tree.people.a_member: Status.PRESENT})


def _record_moved_in_bulk(tree):
    Activity.objects.filter(org=tree.orgs.a, type__name="支部党员大会").update(date=date(YEAR, 8, 1))


def _record_deleted(tree):
    Activity.objects.filter(org=tree.orgs.a, type__name="支部党员大会").delete()


def _roll_changed_in_bulk(tree):
    Attendance.objects.filter(person=tree.people.a_member).update(status=Status.ABSENT)


def _roll_added_in_bulk(tree):
    record = Activity.objects.get(org=tree.orgs.a, type__name="支部党员大会")
    Attendance.objects.bulk_create([Attendance(activity=record, person=tree.people.a_other, status=Status.ABSENT)])


def _roll_written_past_the_orm(tree):
    record = make_record(tree.orgs.b, "支部党员大会", date(YEAR, 11, 3))
    bulk.create_attendance([(record.pk, tree.people.b_member.pk, Status.ABSENT, "")], [record.pk])


def _record_written_past_the_orm(tree):
    bulk.create_activities([Activity(org=tree.orgs.b, type=ActivityType.objects.get(name="支部党员大会"), date=date(YEAR, 11, 4))])


def _category_changed_in_bulk(tree):
    Person.objects.filter(pk=tree.people.a_other.pk).update(category=Category.PROBATIONARY, full_on=None)


def _cadre_marked(tree):
    person = Person.objects.get(pk=tree.people.a_member.pk)
    person.is_leading_cadre = True
    person.save()


def _secretary_appointed(tree):
    PersonPost.objects.create(person=tree.people.b_member, post=Post.SECRETARY)


def _posts_removed_in_bulk(tree):
    PersonPost.objects.filter(person=tree.people.a_secretary).delete()


def _exempted(tree):
    Exemption.objects.create(person=tree.people.a_member, start=date(YEAR, 1, 1), reason="年老体弱")


def _period_ended_in_bulk(tree):
    MembershipPeriod.objects.filter(person=tree.people.a_other).update(end=date(YEAR, 2, 1))


def _branch_renamed(tree):
    branch = Organisation.objects.get(pk=tree.orgs.a.pk)
    branch.name = "甲支部（更名）"
    branch.save()


def _term_recorded_in_bulk(tree):
    Organisation.objects.filter(pk=tree.orgs.b.pk).update(elected_on=date(2021, 1, 1))


def _group_added(tree):
    Organisation.objects.create_child(Organisation.objects.get(pk=tree.orgs.b.pk), name="乙一小组", kind=OrgKind.GROUP)


def _group_deleted(tree):
    Activity.objects.filter(org=tree.orgs.group_a).delete()
    Person.objects.filter(group=tree.orgs.group_a).update(group=None)
    MembershipPeriod.objects.filter(group=tree.orgs.group_a).update(group=None)
    Organisation.objects.get(pk=tree.orgs.group_a.pk).delete()


def _group_moved(tree):
    Activity.objects.filter(org=tree.orgs.group_a).update(org=tree.orgs.a)
    Person.objects.filter(group=tree.orgs.group_a).update(group=None)
    MembershipPeriod.objects.filter(group=tree.orgs.group_a).update(group=None)
    Organisation.objects.place(Organisation.objects.get(pk=tree.orgs.group_a.pk), Organisation.objects.get(pk=tree.orgs.b.pk))


def _rule_set_by_the_committee(tree):
    RuleSetting.objects.create(org=tree.orgs.committee, rule=Rule.objects.get(key="congress_quarterly"), minimum=2,
                               severity="违规", points=10, params={})


def _rule_disabled(tree):
    Rule.objects.filter(key="lesson_quarterly").update(enabled=False)


def _type_hours_changed(tree):
    ActivityType.objects.filter(name="支部党员大会").update(study_hours=Decimal("30"))


CHANGES = [
    _record_saved, _record_moved_in_bulk, _record_deleted, _roll_changed_in_bulk, _roll_added_in_bulk,
    _roll_written_past_the_orm, _record_written_past_the_orm, _category_changed_in_bulk, _cadre_marked, _secretary_appointed, _posts_removed_in_bulk,
    _exempted, _period_ended_in_bulk, _branch_renamed, _term_recorded_in_bulk, _group_added, _group_deleted,
    _group_moved, _rule_set_by_the_committee, _rule_disabled, _type_hours_changed,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_after_a_change_the_stored_judgement_equals_judging_now(judged, change):
    tree, _before = judged
    change(tree)
    stored_equals_fresh(tree.orgs.committee)
    # And the branch's own page (a root of one branch) agrees as well.
    stored_equals_fresh(Organisation.objects.get(pk=tree.orgs.a.pk))


def test_changes_that_matter_change_what_is_shown(judged):
    tree, before = judged
    _record_deleted(tree)
    assert stored_equals_fresh(tree.orgs.committee) != before


def test_a_new_day_judges_again(judged):
    tree, _before = judged
    running = date(YEAR, 5, 20)  # during the year: the second quarter's meeting is due, not missed
    during = stored_equals_fresh(tree.orgs.committee, today=running)
    assert any(status == "due" for _o, _r, _p, status, *_ in during[0])
    assert stored_equals_fresh(tree.orgs.committee, today=running + timedelta(days=45)) != during


def test_a_judgement_read_before_a_change_committed_is_not_reused(judged):
    """Facts read, then a change commits, then the (old) judgement is stored: it must not be taken as current."""
    tree, _before = judged
    stale_version = BranchVersion.objects.get(branch=tree.orgs.a).version
    _record_saved(tree)
    Judgement.objects.filter(branch=tree.orgs.a).update(version=stale_version)  # as if stored by the slower request
    stored_equals_fresh(tree.orgs.committee)


def test_the_dashboard_shows_a_record_saved_a_moment_ago(client, tree):
    client.force_login(tree.users.organiser)
    url = reverse("compliance_dashboard") + f"?year={YEAR}"
    missed = "2025年第1季度支部党员大会未召开"
    shown = client.get(url).content.decode().count(missed)  # 甲支部 and 乙支部 both missed it
    assert shown and Judgement.objects.filter(branch=tree.orgs.a, year=YEAR).exists()
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 3, 20))
    assert client.get(url).content.decode().count(missed) == shown // 2


def test_a_leading_cadre_below_the_rate_is_cited_with_every_meeting_expected_of_them(tree):
    """The facts list a cadre's meetings only below the rules' rate (facts.attendance_tallies): the one cited
    still has all of them, the one above it none needed."""
    Person.objects.filter(pk__in=[tree.people.a_member.pk, tree.people.a_other.pk]).update(is_leading_cadre=True)
    roll = [{tree.people.a_member: Status.ABSENT, tree.people.a_other: Status.PRESENT} for _ in range(2)]
    roll.append({tree.people.a_member: Status.PRESENT, tree.people.a_other: Status.PRESENT})
    records = [make_record(tree.orgs.a, "支部党员大会", date(YEAR, 3 * n + 2, 10), roll=r) for n, r in enumerate(roll)]
    result = check(access.SYSTEM, tree.orgs.a, YEAR, today=TODAY, fresh=True)
    [finding] = [f for f in result.findings if f.rule == "cadre_attendance"]
    assert finding.person_id == tree.people.a_member.pk and finding.evidence == sorted(r.pk for r in records)


def test_facts_read_by_id_are_those_read_by_path(tree):
    """Branches that are a few of those under the path they share (here 甲支部 and 丙支部, under two roots: every
    organisation's path starts with the path they share) are read by id, so the unit's other rows are not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = tree.people
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 2, 10), roll={people.a_secretary: Status.PRESENT, people.a_member: Status.ABSENT})
    make_record(tree.orgs.group_a, "党小组会", date(YEAR, 3, 5), roll={people.a_member: Status.PRESENT})
    make_record(tree.orgs.c, "支部党员大会", date(YEAR, 4, 1), roll={people.c_member: Status.LEAVE})
    make_record(tree.orgs.b, "支部党员大会", date(YEAR, 4, 2), roll={people.b_member: Status.PRESENT})
    Exemption.objects.create(person=people.a_member, start=date(YEAR, 3, 1), reason="年老体弱")
    branches = list(Organisation.objects.filter(pk__in=[tree.orgs.a.pk, tree.orgs.c.pk]).order_by("path"))
    assert facts.subtree_prefix(branches) == ""
    by_path = facts.load_branch_facts(branches, YEAR, TODAY)
    with CaptureQueriesContext(connection) as queries:
        by_id = facts.load_branch_facts(branches, YEAR, TODAY, by_id=True)
    assert by_id == by_path and by_id[0].meetings and by_id[0].members[0].tallies
    reading_rolls = [q["sql"] for q in queries.captured_queries if "records_attendance" in q["sql"]]
    assert reading_rolls and not any("LIKE" in sql for sql in reading_rolls)


def test_the_refresh_judges_every_out_of_date_branch_so_the_next_view_judges_none(judged, monkeypatch):
    tree, _before = judged
    next_day = TODAY + timedelta(days=1)
    # One branch at a time: each part is a piece of a larger subtree, read by id.
    assert facts.refresh_judgements(YEAR, next_day, chunk=1) == 3  # 甲支部, 乙支部 and 丙支部 (another root)
    assert facts.refresh_judgements(YEAR, next_day, chunk=1) == 0
    expected = outcome(check(access.SYSTEM, tree.orgs.committee, YEAR, today=next_day, fresh=True))

    def no_facts(*args, **kwargs):
        raise AssertionError("the page judged a branch the refresh had judged")

    monkeypatch.setattr(facts, "load_branch_facts", no_facts)
    assert outcome(check(access.SYSTEM, tree.orgs.committee, YEAR, today=next_day)) == expected
    assert outcome(check(access.SYSTEM, tree.orgs.other_root, YEAR, today=next_day))[1]


def test_the_refresh_judges_only_what_changed(judged):
    tree, _before = judged
    make_record(tree.orgs.b, "支部党员大会", date(YEAR, 5, 10))
    assert facts.refresh_judgements(YEAR, TODAY) == 2  # 乙支部 changed; 丙支部 was never judged
    assert stored_equals_fresh(tree.orgs.committee)
