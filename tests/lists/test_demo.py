"""The demo unit's lists: last year nearly all rectified with evidence, one carried over, some items overdue now."""

from datetime import date

import pytest

from zhibu.demo.build import COMMITTEE_NAME, build_demo
from zhibu.lists.metrics import previous_year_rectification_rate, rectification_statement
from zhibu.lists.models import ListItem, ListKind, Status
from zhibu.orgs.models import Organisation

TODAY = date(2026, 3, 15)


@pytest.fixture
def demo(db):
    build_demo(today=TODAY)
    return Organisation.objects.get(name=COMMITTEE_NAME)


def test_last_years_problems_are_all_but_one_rectified_with_evidence(demo):
    result = previous_year_rectification_rate(demo, 2026, today=TODAY)
    assert result.total - result.done == 1
    assert rectification_statement(result).startswith("整改完成率为")
    closed = ListItem.objects.filter(year=2025, status=Status.DONE)
    assert closed.exists() and all(item.attachments.exists() and item.completion_note for item in closed)


def test_the_unfinished_problem_is_carried_into_this_year_and_overdue(demo):
    [carried] = ListItem.objects.of_year(2026).filter(year=2025)
    assert carried.kind == ListKind.PROBLEM and carried.is_overdue(TODAY)


def test_this_year_has_overdue_items_and_two_for_the_member_login(demo):
    assert ListItem.objects.filter(year=2026).overdue(TODAY).count() >= 4
    mine = ListItem.objects.filter(owner__user__username="dy1")
    assert mine.count() == 2 and any(item.is_overdue(TODAY) for item in mine)



def test_closed_problems_cite_the_meeting_that_checked_them(demo):
    closed = ListItem.objects.filter(year=2025, kind=ListKind.PROBLEM, status=Status.DONE).prefetch_related("record_links__activity")
    for item in closed:
        [link] = item.record_links.all()
        assert link.activity.date <= item.completed_on and link.activity.org == item.org
