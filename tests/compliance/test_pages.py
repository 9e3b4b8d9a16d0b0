"""The dashboard and a branch's calendar: scoped to the user, and a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.records.conftest import make_record
from zhibu.compliance.models import Rule
from zhibu.orgs.models import Category, Organisation, OrgKind, Person


def test_the_dashboard_shows_the_subtree_and_its_findings(client, tree):
    make_record(tree.orgs.a, "支部党员大会", date(2025, 2, 10))
    client.force_login(tree.users.organiser)
    content = client.get(reverse("compliance_dashboard") + "?year=2025").content.decode()
    assert "甲支部" in content and "乙支部" in content and "丙支部" not in content
    assert "2025年第2季度支部党员大会未召开" in content


def test_a_secretary_sees_only_their_branch(client, tree):
    client.force_login(tree.users.secretary_a)
    content = client.get(reverse("compliance_dashboard")).content.decode()
    assert "甲支部" in content and "乙支部" not in content


@pytest.mark.parametrize("role, status", [("secretary_a", 404), ("member_a", 404), ("organiser", 200)])
def test_an_edited_branch_id_reveals_nothing(client, tree, role, status):
    client.force_login(getattr(tree.users, role))
    assert client.get(reverse("compliance_branch", args=[tree.orgs.b.pk])).status_code == status
    assert client.get(reverse("compliance_dashboard") + f"?org={tree.orgs.c.pk}").status_code == 404


def test_members_have_no_dashboard(client, tree):
    client.force_login(tree.users.member_a)
    assert client.get(reverse("compliance_dashboard")).status_code == 404


def test_the_branch_calendar_counts_secretary_lessons_only(client, tree):
    make_record(tree.orgs.a, "党课", date(2025, 3, 1), lecturer=tree.people.a_member)
    make_record(tree.orgs.a, "党课", date(2025, 5, 1), lecturer=tree.people.a_secretary)
    client.force_login(tree.users.secretary_a)
    response = client.get(reverse("compliance_branch", args=[tree.orgs.a.pk]) + "?year=2025")
    lines = {line.rule_title: line for line in response.context["calendar"]}
    assert lines["支部书记每年至少讲1次党课"].cells[0][1] == "全年 1次"
    assert lines["党课每季度至少1次"].cells[0][1] == "1季度 1次"
    assert any("甲一小组" in title for title in lines)


def test_only_committee_admins_edit_rules_and_only_for_their_own_subtree(client, tree):
    from zhibu.compliance.models import RuleSetting

    rule = Rule.objects.get(key="cadre_attendance")
    client.force_login(tree.users.secretary_a)
    assert client.get(reverse("rule_edit", args=[rule.pk])).status_code == 404
    client.force_login(tree.users.organiser)
    form = client.get(reverse("rule_edit", args=[rule.pk])).content.decode()
    assert "出席率下限" in form and "JSON" not in form and "%" in form  # a labelled field with its unit
    response = client.post(reverse("rule_edit", args=[rule.pk]), {
        "severity": "违规", "points": 8, "param_min_rate": 80, "enabled": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.params == {"min_rate": 0.6} and rule.severity == "提醒"  # the defaults stay as they were
    setting = RuleSetting.objects.get(rule=rule)
    assert setting.org == tree.orgs.committee and setting.params == {"min_rate": 0.8} and setting.severity == "违规"
    mine = {spec.key: spec for spec in Rule.objects.specs(tree.orgs.a)}["cadre_attendance"]
    theirs = {spec.key: spec for spec in Rule.objects.specs(tree.orgs.c)}["cadre_attendance"]
    assert (mine.params["min_rate"], theirs.params["min_rate"]) == (0.8, 0.6)


def _add_branches(parent, first, count):
    for index in range(first, first + count):
        branch = Organisation.objects.create_child(parent, name=f"加支部{index}", kind=OrgKind.BRANCH)
        for number in range(8):
            Person.objects.create(branch=branch, name=f"加{index}党员{number}", category=Category.FULL, admitted_on=date(2010, 1, 1))
        make_record(branch, "主题党日", date(2025, 4, 1), roll={branch.people.first(): "出席"})


def test_the_dashboard_makes_the_same_number_of_queries_for_more_branches(client, tree):
    client.force_login(tree.users.organiser)
    url = reverse("compliance_dashboard") + "?year=2025"
    _add_branches(tree.orgs.committee, 0, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_branches(Organisation.objects.get(pk=tree.orgs.committee.pk), 1, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:80] for q in many]
