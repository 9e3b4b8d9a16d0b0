"""Membership over time: periods opened and closed by dated events, and every figure read at its date."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from zhibu.compliance.facts import load_branch_facts
from zhibu.dues.accounts import branch_ledger
from zhibu.dues.models import DuesBase
from zhibu.orgs import membership
from zhibu.orgs.membership import Change, MembershipError
from zhibu.orgs.models import Category, MembershipEvent, MembershipPeriod, Organisation, OrgKind, Person
from zhibu.records.attendance import figures, member_year
from tests.records.conftest import make_record

TODAY = date(2026, 12, 1)


def move(person, kind, on, **extra):
    return membership.record_event(person, Change(kind, on, **extra), today=TODAY)


def placement_matches_periods():
    """Person.branch / Person.group equal the open period (or the last one) for everyone."""
    for person in Person.objects.all():
        period = person.periods.filter(end__isnull=True).first() or person.periods.order_by("-start").first()
        assert (person.branch_id, person.group_id) == (period.branch_id, period.group_id), person.name


def test_a_new_person_gets_one_open_period_from_the_admission_or_the_application(tree):
    member = tree.people.a_member
    [period] = member.periods.all()
    assert (period.branch, period.group, period.start, period.end) == (tree.orgs.a, tree.orgs.group_a, date(2010, 7, 1), None)
    applicant = Person.objects.create(branch=tree.orgs.b, name="钱申请", category=Category.APPLICANT, applied_on=date(2024, 5, 6))
    assert applicant.periods.get().start == date(2024, 5, 6)


def test_the_migration_opens_one_period_per_existing_person(tree):
    MembershipPeriod.objects.all().delete()
    migration = importlib.import_module("zhibu.orgs.migrations.0004_initial_membership_periods")
    migration.open_periods(apps, None)
    assert MembershipPeriod.objects.count() == Person.objects.count()
    assert tree.people.b_member.periods.get().start == date(2010, 7, 1)
    migration.open_periods(apps, None)  # twice changes nothing
    assert MembershipPeriod.objects.count() == Person.objects.count()


def test_the_current_branch_always_equals_the_open_period_and_has_one_writer(tree):
    person = tree.people.a_other
    move(person, "内部转接", date(2025, 7, 15), target=tree.orgs.b)
    move(person, "外出流动", date(2025, 9, 1), other_party="深圳市某街道党工委")
    move(person, "内部转接", date(2026, 2, 1), target=tree.orgs.group_a)
    placement_matches_periods()
    move(tree.people.b_member, "转出", date(2026, 3, 1), other_party="某县委组织部")
    placement_matches_periods()
    person.refresh_from_db()
    assert (person.branch, person.group) == (tree.orgs.a, tree.orgs.group_a)
    person.branch = tree.orgs.b
    with pytest.raises(MembershipError, match="组织关系转接"):
        person.save()
    person.refresh_from_db()
    assert person.branch == tree.orgs.a


def test_a_member_moved_in_july_is_due_on_each_side_of_the_date(tree):
    mover = tree.people.a_other
    move(mover, "内部转接", date(2025, 7, 15), target=tree.orgs.b)
    before_a = make_record(tree.orgs.a, "支部党员大会", date(2025, 7, 14))
    after_a = make_record(tree.orgs.a, "支部党员大会", date(2025, 7, 15))
    before_b = make_record(tree.orgs.b, "支部党员大会", date(2025, 6, 30))
    after_b = make_record(tree.orgs.b, "支部党员大会", date(2025, 8, 1))
    assert mover in figures(before_a).expected and mover not in figures(after_a).expected
    assert mover not in figures(before_b).expected and mover in figures(after_b).expected
    committee_wide = make_record(tree.orgs.committee, "党课", date(2025, 8, 1))
    assert mover in figures(committee_wide).expected  # still in the unit
    old = dict(member_year(tree.orgs.a, 2025, until=date(2025, 12, 31)))
    new = dict(member_year(tree.orgs.b, 2025, until=date(2025, 12, 31)))
    assert (old[mover].expected, new[mover].expected) == (1, 1)  # each branch shows its own period
    assert mover not in dict(member_year(tree.orgs.a, 2026, until=date(2026, 12, 31)))


def test_year_end_rosters_of_both_branches_in_the_year_of_the_move_and_the_year_before(tree):
    move(tree.people.a_other, "内部转接", date(2025, 7, 15), target=tree.orgs.b)
    end_2024, end_2025 = date(2024, 12, 31), date(2025, 12, 31)
    assert membership.members_on(tree.orgs.a, end_2024).count() == 3
    assert membership.members_on(tree.orgs.b, end_2024).count() == 1
    assert membership.members_on(tree.orgs.a, end_2025).count() == 2
    assert membership.members_on(tree.orgs.b, end_2025).count() == 2
    assert membership.members_on(tree.orgs.committee, end_2025).count() == 4
    assert membership.members_on([tree.orgs.a, tree.orgs.b], end_2024).count() == 4
    assert list(membership.members_on(tree.orgs.group_a, end_2025)) == [tree.people.a_member]


def test_a_death_in_march_and_a_transfer_in_in_april_in_the_roster_figures(tree):
    move(tree.people.a_other, "死亡", date(2026, 3, 10))
    newcomer = Person.objects.create(branch=tree.orgs.a, name="钱新来", category=Category.FULL,
                                     admitted_on=date(2015, 7, 1), full_on=date(2016, 7, 1))
    move(newcomer, "转入", date(2026, 4, 20), other_party="某县统计局党支部", target=tree.orgs.a)
    assert newcomer.periods.get().start == date(2026, 4, 20)  # the 转入 says when they came
    assert membership.roster_figures(tree.orgs.a, date(2025, 12, 31)) == {"党员": 3, "正式党员": 3, "预备党员": 0}
    assert membership.roster_figures(tree.orgs.a, date(2026, 3, 31))["党员"] == 2
    assert membership.roster_figures(tree.orgs.a, date(2026, 12, 31))["党员"] == 3
    assert tree.people.a_other not in membership.members_on(tree.orgs.a, date(2026, 3, 10))
    assert tree.people.a_other in membership.members_on(tree.orgs.a, date(2026, 3, 9))


def test_the_seven_member_threshold_counts_those_there_on_the_day(tree):
    big = Organisation.objects.create_child(tree.orgs.committee, name="丁支部", kind=OrgKind.BRANCH)
    people = [Person.objects.create(branch=big, name=f"丁{n}", category=Category.FULL, admitted_on=date(2010, 1, 1),
                                    full_on=date(2011, 1, 1)) for n in range(7)]
    move(people[0], "转出", date(2025, 7, 1), other_party="外单位党支部")
    [facts] = load_branch_facts([Organisation.objects.get(pk=big.pk)], 2025)
    assert facts.full_members_on(date(2025, 6, 30)) == 7
    assert facts.full_members_on(date(2025, 7, 1)) == 6


def test_dues_months_follow_the_branch_holding_the_person_on_the_first_of_the_month(tree):
    mover = tree.people.a_other
    DuesBase.objects.create(person=mover, year=2025, base=5000)
    move(mover, "内部转接", date(2025, 7, 15), target=tree.orgs.b)
    old = next(row for row in branch_ledger(tree.orgs.a, 2025, TODAY).rows if row.person == mover)
    new = next(row for row in branch_ledger(tree.orgs.b, 2025, TODAY).rows if row.person == mover)
    owed = lambda row: [cell.month for cell in row.cells if cell.due is not None]  # noqa: E731
    assert owed(old) == [f"2025-{m:02d}" for m in range(1, 8)]
    assert owed(new) == [f"2025-{m:02d}" for m in range(8, 13)]


@pytest.mark.parametrize("change, message", [
    (lambda t: Change("转出", date(2009, 1, 1), other_party="外单位"), "早于"),
    (lambda t: Change("内部转接", date(2025, 1, 1), target=t.orgs.c), "不在本单位"),
    (lambda t: Change("内部转接", date(2025, 1, 1), target=t.orgs.committee), "只能落在党支部或党小组"),
    (lambda t: Change("转出", date(2025, 1, 1), other_party="外单位", receipt_on=date(2024, 12, 1)), "回执日期"),
    (lambda t: Change("出党", date(2025, 1, 1)), "出党方式"),
    (lambda t: Change("转出", date(2027, 1, 1), other_party="外单位"), "不能晚于今天"),
    (lambda t: Change("流动返回", date(2025, 1, 1)), "没有外出流动"),
])
def test_bad_changes_are_refused_in_chinese_and_write_nothing(tree, change, message):
    person = tree.people.a_other
    with pytest.raises(MembershipError, match=message):
        move(person, change(tree).kind, change(tree).on, **{k: v for k, v in vars(change(tree)).items() if k not in ("kind", "on")})
    assert MembershipEvent.objects.count() == 0 and person.periods.get().end is None


def test_events_out_of_order_and_after_death_are_refused(tree):
    person = tree.people.a_other
    move(person, "内部转接", date(2025, 7, 15), target=tree.orgs.b)
    with pytest.raises(MembershipError, match="不能重叠"):
        move(person, "转出", date(2025, 6, 1), other_party="外单位")
    move(person, "死亡", date(2026, 3, 1))
    with pytest.raises(MembershipError, match="死亡，之后不能"):
        move(person, "恢复党籍", date(2026, 4, 1), target=tree.orgs.b)
    assert MembershipEvent.objects.filter(person=person).count() == 2


def test_a_transfer_in_for_someone_already_here_points_to_the_internal_transfer(tree):
    move(tree.people.a_other, "内部转接", date(2025, 7, 15), target=tree.orgs.b)
    with pytest.raises(MembershipError, match="内部转接"):
        move(tree.people.a_other, "转入", date(2025, 8, 1), target=tree.orgs.a, other_party="外单位")


def test_an_internal_transfer_waits_for_the_receiving_branch(tree):
    person = tree.people.a_other
    sent = membership.send_internal(person, tree.orgs.b, date(2026, 11, 20), today=TODAY)
    person.refresh_from_db()
    assert person.branch == tree.orgs.a and list(membership.pending_for(tree.orgs.b)) == [sent]
    with pytest.raises(MembershipError, match="待接收"):
        membership.send_internal(person, tree.orgs.b, date(2026, 11, 21), today=TODAY)
    membership.accept_internal(sent, today=TODAY)
    person.refresh_from_db()
    assert person.branch == tree.orgs.b
    assert [p.start for p in person.periods.order_by("start")] == [date(2010, 7, 1), date(2026, 11, 20)]
    placement_matches_periods()


def test_a_letter_past_its_validity_without_receipt_is_overdue(tree):
    event = move(tree.people.b_member, "转出", date(2026, 8, 1), other_party="某县委组织部")
    assert event.letter_valid_until == date(2026, 11, 1) and event.letter_number == "2026-001"
    assert list(membership.letters_overdue(tree.orgs.committee, date(2026, 11, 1))) == []
    assert list(membership.letters_overdue(tree.orgs.committee, date(2026, 11, 2))) == [event]
    with pytest.raises(MembershipError, match="不能早于"):
        membership.record_receipt(event, date(2026, 7, 31), today=TODAY)
    membership.record_receipt(event, date(2026, 11, 5), today=TODAY)
    assert list(membership.letters_overdue(tree.orgs.committee, TODAY)) == []


def test_an_exempted_member_is_not_due_unless_they_came(tree):
    from zhibu.orgs.models import Exemption

    Exemption.objects.create(person=tree.people.a_other, start=date(2025, 1, 1), reason="年老体弱")
    meeting = make_record(tree.orgs.a, "支部党员大会", date(2025, 3, 1), roll={tree.people.a_other: "缺席"})
    assert tree.people.a_other not in figures(meeting).expected
    came = make_record(tree.orgs.a, "支部党员大会", date(2025, 4, 1), roll={tree.people.a_other: "出席"})
    assert tree.people.a_other in figures(came).present
