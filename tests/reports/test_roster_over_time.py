"""The report's roster figures ("截止**年年底，支部有党员*名") count each person where they were on that day."""

from datetime import date

from zhibu.orgs import access
from zhibu.orgs import membership
from zhibu.orgs.membership import Change
from zhibu.orgs.models import Category, Person
from zhibu.reports.fill import fill_placeholders

TODAY = date(2026, 12, 1)
ROSTER = "截止年底，支部有党员*名，其中正式党员*名。"


def move(person, kind, on, **extra):
    return membership.record_event(person, Change(kind, on, **extra), today=TODAY)


def roster(org, year):
    return [item.value for item in fill_placeholders(access.SYSTEM, org, year, ROSTER, today=TODAY)]


def test_a_member_moved_in_july_counts_in_each_branch_on_the_right_side_of_the_move(tree):
    assert roster(tree.orgs.a, 2024) == [3, 3] and roster(tree.orgs.b, 2024) == [1, 1]
    move(tree.people.a_other, "内部转接", date(2025, 7, 15), target=tree.orgs.b)
    # The year before the move: unchanged, the mover still in the old branch's figures.
    assert roster(tree.orgs.a, 2024) == [3, 3] and roster(tree.orgs.b, 2024) == [1, 1]
    # The year of the move: at its end the mover is in the new branch.
    assert roster(tree.orgs.a, 2025) == [2, 2] and roster(tree.orgs.b, 2025) == [2, 2]
    # The committee counts them once either way.
    assert roster(tree.orgs.committee, 2024) == roster(tree.orgs.committee, 2025) == [4, 4]


def test_a_death_in_march_and_a_transfer_in_in_april(tree):
    move(tree.people.a_other, "死亡", date(2026, 3, 10))
    newcomer = Person.objects.create(branch=tree.orgs.a, name="钱新来", category=Category.FULL,
                                     admitted_on=date(2015, 7, 1), full_on=date(2016, 7, 1))
    move(newcomer, "转入", date(2026, 4, 20), other_party="某县统计局党支部", target=tree.orgs.a)
    # Last year's report still counts the member who died this year, and not the newcomer.
    assert roster(tree.orgs.a, 2025) == [3, 3]
    # This year's (counted to today, 1 December): the newcomer instead of the member who died.
    assert roster(tree.orgs.a, 2026) == [3, 3]
    names = {p.name for p in membership.members_on(tree.orgs.a, TODAY)}
    assert "赵同志" not in names and "钱新来" in names
