"""Statements from the records: which records count, the example scheme, which scheme applies, and a
member's total recomputed by hand from the lines their statement page shows."""

import re
from datetime import date
from decimal import Decimal

from tests.points.conftest import YEAR, adjust, make_record
from zhibu.orgs.models import Category, Person
from zhibu.points.example import EXAMPLE_RULES
from zhibu.points.models import PointRule, PointScheme, PointVeto
from zhibu.points.statement import branch_ranking, member_statement
from zhibu.records.models import Status

TODAY = date(YEAR, 12, 31)


def test_the_example_is_the_default_scheme_and_says_it_is_an_example(example):
    assert example.is_example and example.base == 60 and example.floor == 0 and example.cap is None
    rules = {rule.activity_type.name: (rule.present, rule.leave, rule.absent) for rule in example.rules.all()}
    assert rules == EXAMPLE_RULES
    assert rules["主题党日"] == (0, 0, -2) and rules["民主评议党员"] == (1, 0, 0)


def test_a_statement_counts_the_branch_and_group_records_by_the_example(tree, example):
    member, a = tree.people.a_member, tree.orgs.a
    make_record(a, "支部党员大会", date(YEAR, 3, 1), roll={member: Status.PRESENT})
    make_record(tree.orgs.group_a, "党小组会", date(YEAR, 3, 2), roll={member: (Status.LEAVE, "出差")})
    make_record(a, "主题党日", date(YEAR, 3, 3), roll={member: Status.ABSENT})
    make_record(a, "党课", date(YEAR, 3, 4), roll={tree.people.a_other: Status.PRESENT})  # due, not listed
    make_record(a, "志愿服务", date(YEAR, 3, 5), roll={member: Status.PRESENT})  # no rule: not a line
    make_record(tree.orgs.b, "支部党员大会", date(YEAR, 3, 6), roll={tree.people.b_member: Status.PRESENT})
    statement = member_statement(member, YEAR, TODAY)
    assert [(line.day.day, line.points, line.status) for line in statement.lines] == [
        (1, 1, "出席"), (2, 0, "请假"), (3, -2, "缺席"), (4, -2, "缺席")]
    assert statement.lines[3].description.endswith("（未登记）")
    assert statement.total == 57


def test_a_committee_record_counts_for_the_members_below_it(tree, example):
    make_record(tree.orgs.committee, "党课", date(YEAR, 4, 1), roll={tree.people.a_member: Status.PRESENT})
    assert member_statement(tree.people.a_member, YEAR, TODAY).total == 61
    assert member_statement(tree.people.b_member, YEAR, TODAY).total == 58  # due at the committee's lesson, absent


def test_planned_meetings_and_other_years_do_not_count(tree, example):
    make_record(tree.orgs.a, "党课", date(YEAR, 12, 20), roll={tree.people.a_member: Status.PRESENT})
    make_record(tree.orgs.a, "党课", date(YEAR - 1, 12, 20), roll={tree.people.a_member: Status.PRESENT})
    assert member_statement(tree.people.a_member, YEAR, date(YEAR, 12, 1)).lines == []


def test_people_admitted_after_a_meeting_were_not_due_there(tree, example):
    newcomer = Person.objects.create(branch=tree.orgs.a, name="钱新人", category=Category.PROBATIONARY, admitted_on=date(YEAR, 6, 1))
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 3, 1), roll={tree.people.a_member: Status.PRESENT})
    assert member_statement(newcomer, YEAR, TODAY).total == 60


def test_the_nearest_organisations_latest_scheme_applies(tree, example):
    committee_scheme = PointScheme.objects.create(name="机关党委方案", org=tree.orgs.committee, from_year=2020, base=Decimal(70))
    later = PointScheme.objects.create(name="机关党委新方案", org=tree.orgs.committee, from_year=YEAR + 1, base=Decimal(80))
    branch_scheme = PointScheme.objects.create(name="甲支部方案", org=tree.orgs.a, from_year=2020, base=Decimal(90))
    assert PointScheme.for_org(tree.orgs.a, YEAR) == branch_scheme
    assert PointScheme.for_org(tree.orgs.group_a, YEAR) == branch_scheme
    assert PointScheme.for_org(tree.orgs.b, YEAR) == committee_scheme
    assert PointScheme.for_org(tree.orgs.b, YEAR + 1) == later
    assert PointScheme.for_org(tree.orgs.c, YEAR) == example
    assert PointScheme.for_org(tree.orgs.b, 2019) == example


def test_changing_the_scheme_changes_the_points_because_nothing_is_stored(tree, example):
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 3, 1), roll={tree.people.a_member: Status.PRESENT})
    PointRule.objects.filter(scheme=example, activity_type__name="支部党员大会").update(present=Decimal(5))
    assert member_statement(tree.people.a_member, YEAR, TODAY).total == 65


def test_the_ranking_orders_by_total_and_ties_share_a_rank(tree, example):
    a = tree.orgs.a
    make_record(a, "支部党员大会", date(YEAR, 3, 1), roll={tree.people.a_member: Status.PRESENT,
                                                       tree.people.a_secretary: Status.PRESENT, tree.people.a_other: Status.LEAVE})
    adjust(tree.people.a_other, 1)
    PointVeto.objects.create(person=tree.people.a_secretary, year=YEAR, date=date(YEAR, 5, 1), reason="违纪")
    rows = branch_ranking(a, YEAR, TODAY)
    assert [(row.rank, row.person.name, row.statement.total) for row in rows] == [
        (1, "李党员", 61), (1, "赵同志", 61), (3, "王书记", 0)]


def _points(text: str) -> Decimal:
    return Decimal(text.replace("+", ""))


def test_a_members_total_reproduces_by_hand_from_the_lines_of_their_statement_page(tree, example, client):
    member, a = tree.people.a_member, tree.orgs.a
    for day in range(1, 8):
        make_record(a, "党课", date(YEAR, 2, day), roll={member: Status.PRESENT if day % 3 else Status.ABSENT})
    make_record(a, "主题党日", date(YEAR, 2, 9), roll={member: (Status.LEAVE, "病假")})
    adjust(member, 3, "在党刊发表文章")
    adjust(member, "-1.5", "学习心得未按时完成", date(YEAR, 7, 1))
    client.force_login(tree.users.member_a)
    html = client.get(f"/points/person/{member.pk}/{YEAR}/").content.decode()
    lines = re.findall(r'<li class="points-line([^"]*)">.*?<span class="pts">([^<]*)</span>', html, re.S)
    base = _points(next(value for kind, value in lines if "base" in kind))
    items = [_points(value) for kind, value in lines if kind.strip() in ("", "plus", "minus")]
    shown_total = _points(next(value for kind, value in lines if "total" in kind))
    assert len(items) == 10  # 7 lessons, the 主题党日 on leave, two adjustments
    assert base + sum(items) == shown_total == Decimal("60") + 5 - 4 + 0 + 3 - Decimal("1.5")
    assert member_statement(member, YEAR, TODAY).total == shown_total
