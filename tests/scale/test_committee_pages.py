"""Committee pages at any size: branches searched and paginated, figures never stale, and the 工作台's reminders
counted, linked to the record they ask for, and shown as planned when the meeting is on the calendar."""

from datetime import date, timedelta

from django.urls import reverse

from tests.clock import TODAY
from tests.records.conftest import make_record
from tests.scale.conftest import YEAR, add_branches
from zhibu.orgs.branchlist import BRANCHES_PER_PAGE


def test_the_dashboard_changes_as_soon_as_a_record_is_added(client, tree):
    client.force_login(tree.users.organiser)
    url = reverse("compliance_dashboard") + f"?year={YEAR}&q=甲支部"
    assert "2025年第1季度支部党员大会未召开" in client.get(url).content.decode()
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 2, 10))
    assert "2025年第1季度支部党员大会未召开" not in client.get(url).content.decode()


def test_branches_are_searched_and_paginated(client, tree):
    add_branches(tree.orgs.committee, BRANCHES_PER_PAGE + 1, members=1)
    client.force_login(tree.users.organiser)
    for name in ("compliance_dashboard", "dues_home"):
        first = client.get(reverse(name) + f"?year={YEAR}")
        assert len(first.context["listing"].branches) == BRANCHES_PER_PAGE and "第 1 / 2 页" in first.content.decode()
        found = client.get(reverse(name) + f"?year={YEAR}&q=批量第7支部")
        assert [b.name for b in found.context["listing"].branches] == ["批量第7支部"]
        assert client.get(reverse(name) + f"?year={YEAR}&within={tree.orgs.other_root.pk}").status_code == 404


def test_the_workbench_counts_every_kind_and_links_to_the_record_asked_for(client, tree):
    add_branches(tree.orgs.committee, 10, members=1)
    client.force_login(tree.users.organiser)
    response = client.get(reverse("home"))
    bench, content = response.context["bench"], response.content.decode()
    assert bench.due_count > len(bench.due_now) and f"还有 {bench.more['due']} 项" in content
    finding, plan, type_id = bench.due_planned[0]
    assert plan is None and type_id and f"{reverse('activity_new')}?org={finding.group_id or finding.org_id}&amp;type={type_id}" in content


def test_a_meeting_already_planned_shows_as_planned(client, tree):
    client.force_login(tree.users.secretary_a)
    monthly = next(f for f in client.get(reverse("home")).context["bench"].due_now if f.period == f"{TODAY:%Y-%m}"
                   and f.type == "主题党日")
    assert "尚未召开" in monthly.message
    day = TODAY + timedelta(days=1)  # TODAY is mid-month: tomorrow still counts for this month
    planned = make_record(tree.orgs.a, "主题党日", day)
    content = client.get(reverse("home")).content.decode()
    assert f"主题党日已计划于{day.month}月{day.day}日召开" in content and reverse("activity_detail", args=[planned.pk]) in content
