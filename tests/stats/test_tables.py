"""The 党内统计 tables recomputed by hand on the fixture's 2025 (see conftest.py)."""

from datetime import date

from zhibu.stats.tables import Statistics

TODAY = date(2026, 3, 1)


def values(org, year=2025):
    stats = Statistics(org, year, today=TODAY)
    return stats, {cell.key: cell.value for table in stats.tables for cell in table.cells()}


def test_first_table_by_hand(unit):
    stats, v = values(unit.committee)
    # 上年底: 甲一 甲二 甲三 甲四 乙一 乙四 (乙二 suspended in 2024; 乙三 and 甲五 not yet there).
    assert v["t1.start"] == 6
    assert (v["t1.developed"], v["t1.restored"], v["t1.transfer_in"], v["t1.whole_in"]) == (1, 1, 1, 1)
    assert v["t1.increase"] == 3
    assert (v["t1.expelled"], v["t1.suspended"], v["t1.died"], v["t1.transfer_out"], v["t1.whole_out"]) == (1, 0, 1, 1, 0)
    assert v["t1.decrease"] == 3
    assert v["t1.internal_in"] == v["t1.internal_out"] == 0  # 甲三's move stays inside the committee
    assert (v["t1.expected"], v["t1.actual"], v["t1.difference"]) == (6, 6, 0)
    assert all(check.ok for table in stats.tables for check in table.checks), [
        check.text for table in stats.tables for check in table.checks if not check.ok]


def test_branch_tables_by_hand_and_they_add_up(unit):
    _, committee = values(unit.committee)
    _, a = values(unit.a)
    _, b = values(unit.b)
    assert (a["t1.start"], a["t1.increase"], a["t1.decrease"], a["t1.actual"]) == (4, 1, 3, 2)
    assert (a["t1.transfer_out"], a["t1.internal_out"]) == (2, 1)  # 转出 甲四 and 甲三's move to 乙
    assert (b["t1.start"], b["t1.increase"], b["t1.decrease"], b["t1.actual"]) == (2, 3, 1, 4)
    assert (b["t1.transfer_in"], b["t1.internal_in"]) == (2, 1)
    moves_between_branches = 1
    for key in committee:
        if not key.startswith(("t1.", "t2.", "t3.")):
            continue
        total = a[key] + b[key]
        if key in ("t1.transfer_in", "t1.transfer_out", "t1.internal_in", "t1.internal_out", "t1.increase", "t1.decrease"):
            total -= moves_between_branches
        assert total == committee[key], key


def test_members_and_development_by_hand(unit):
    stats, v = values(unit.committee)
    # Year-end roll: 甲一 甲五 乙一 乙二 乙三 甲三.
    assert (v["t2.total"], v["t2.female"], v["t2.minority"], v["t2.probationary"]) == (6, 2, 1, 1)
    assert (v["t2.age30"], v["t2.age45"], v["t2.age55"], v["t2.age_unknown"]) == (1, 1, 1, 3)  # 27, 45, 55
    assert (v["t2.edu_pg"], v["t2.edu_msc"], v["t2.edu_ba"], v["t2.edu_unknown"]) == (1, 1, 2, 3)
    assert (v["t2.a2002"], v["t2.a2002on"], v["t2.a2017on"]) == (1, 5, 1)  # 乙一 2000; 甲五 2025
    assert v["t2.job0"] == 1 and v["t2.job_unknown"] == 5  # 甲一 公务员
    assert (v["t3.total"], v["t3.female"], v["t3.age35"], v["t3.edu_ba"]) == (1, 1, 1, 1)
    assert [row["姓名"] for row in stats.members("t3.total")] == ["甲五"]
    assert sorted(row["姓名"] for row in stats.members("t1.increase")) == ["乙三", "乙二", "甲五"]


def test_organisations(unit):
    _, v = values(unit.committee)
    assert (v["t4.committees"], v["t4.branches"], v["t4.groups"], v["t4.with_committee"]) == (1, 2, 1, 1)
    # 甲 elected 2022-05 for 3 years: due in 2025, overdue by 2025-12-31; the committee (2020) too; 乙 unknown.
    assert (v["t4.due"], v["t4.overdue"], v["t4.no_election"]) == (1, 2, 1)


def test_difference_is_explained_person_by_person(unit):
    from zhibu.orgs.models import Person

    # A member typed in later with a 入党日期 in 2025 but placed since 2020 has no change explaining them.
    ghost = Person.objects.create(branch=unit.a, name="补录", category="正式党员", admitted_on=date(2019, 1, 1))
    Person.objects.filter(pk=ghost.pk).update(category="入党积极分子")
    stats, v = values(unit.committee)
    assert v["t1.difference"] == 0
    Person.objects.filter(pk=unit.people.a1.pk).update(category="入党积极分子")  # 甲一 vanishes from both rolls
    # Kill 乙一 without an event: on neither roll's change list, yet gone.
    from zhibu.orgs.models import MembershipPeriod

    MembershipPeriod.objects.filter(person=unit.people.b1).update(end=date(2025, 10, 1))
    stats, v = values(unit.committee)
    assert v["t1.difference"] == -1
    failing = [c for t in stats.tables for c in t.checks if not c.ok]
    assert len(failing) == 1 and failing[0].details[0].startswith("乙一：按上年底名册和本年变动应在册")


def test_fixed_number_of_queries(unit, django_assert_num_queries):
    from zhibu.orgs.models import Organisation, OrgKind

    with django_assert_num_queries(8):
        Statistics(unit.committee, 2025, today=TODAY)
    for n in range(3):
        Organisation.objects.create_child(unit.committee, name=f"新增支部{n}", kind=OrgKind.BRANCH)
    committee = Organisation.objects.get(pk=unit.committee.pk)
    with django_assert_num_queries(8):
        Statistics(committee, 2025, today=TODAY)
