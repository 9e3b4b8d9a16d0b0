"""The rectification rate, and the words a report may use for it."""

from datetime import date
from decimal import Decimal

import pytest

from tests.lists.conftest import make_item
from zhibu.lists.metrics import (
    RateResult,
    _rate,
    may_claim_rectified,
    previous_year_rectification_rate,
    rectification_rate,
    rectification_rates,
    rectification_statement,
)
from zhibu.lists.models import ListKind, Status


def done(org, completed_on, **fields):
    return make_item(org, status=Status.DONE, completed_on=completed_on, **fields)


@pytest.fixture
def year_2024(tree):
    """甲支部: 4 problems of 2024, 3 done (one only in 2025); 乙支部: 1 open; plus items that must not count."""
    a, b = tree.orgs.a, tree.orgs.b
    return {
        "done": [done(a, date(2024, 5, 1), year=2024, content="一"), done(a, date(2024, 11, 2), year=2024, content="二"),
                 done(tree.orgs.group_a, date(2025, 2, 10), year=2024, content="三")],
        "open": [make_item(a, year=2024, content="四", status=Status.IN_PROGRESS), make_item(b, year=2024, content="五")],
        "ignored": [make_item(a, year=2024, kind=ListKind.TASK, content="任务"), make_item(a, year=2025, content="今年")],
    }


def test_it_counts_the_problems_of_the_year_in_the_subtree(tree, year_2024):
    result = rectification_rate(tree.orgs.committee, 2024, as_of=date(2025, 6, 1))
    assert (result.total, result.done, result.rate) == (5, 3, Decimal("60.0"))
    assert set(result.item_ids) == {i.pk for i in year_2024["done"] + year_2024["open"]}
    assert set(result.open_item_ids) == {i.pk for i in year_2024["open"]}


def test_without_subtree_it_counts_the_organisation_itself(tree, year_2024):
    result = rectification_rate(tree.orgs.a, 2024, as_of=date(2025, 6, 1), subtree=False)
    assert (result.total, result.done) == (3, 2)  # the group's item is left out


def test_an_item_done_after_the_as_of_day_counts_as_open(tree, year_2024):
    result = rectification_rate(tree.orgs.a, 2024, as_of=date(2024, 12, 31))
    assert (result.total, result.done, result.rate) == (4, 2, Decimal("50.0"))
    assert rectification_rate(tree.orgs.a, 2024, as_of=date(2025, 2, 10)).done == 3


def test_last_years_rate_is_taken_at_the_end_of_the_report_year(tree, year_2024):
    at_year_end = previous_year_rectification_rate(tree.orgs.a, 2025, today=date(2026, 3, 1))
    assert (at_year_end.total, at_year_end.done) == (4, 3)
    early = previous_year_rectification_rate(tree.orgs.a, 2025, today=date(2025, 1, 15))
    assert early.done == 2  # as of today, since the year has not ended


def test_no_problems_means_no_rate(tree):
    result = rectification_rate(tree.orgs.a, 2024)
    assert (result.total, result.rate) == (0, None)
    assert not may_claim_rectified(result)
    assert rectification_statement(result) == "问题清单中没有登记该年度的问题"


def test_the_rate_is_rounded_but_never_up_to_100_while_a_problem_is_open():
    rows = [(i, Status.DONE, date(2025, 1, 1)) for i in range(2499)] + [(9999, Status.IN_PROGRESS, None)]
    result = _rate(rows, date(2025, 12, 31))
    assert result.rate == Decimal("99.9")
    assert rectification_statement(result) == "整改完成率为99.9%（2500项中完成2499项）"
    assert _rate([(1, Status.DONE, date(2025, 1, 1)), (2, Status.DONE, date(2025, 1, 1)), (3, Status.NOT_STARTED, None)],
                 date(2025, 12, 31)).rate == Decimal("66.7")


def test_only_a_complete_year_may_be_called_rectified():
    complete = RateResult(total=5, done=5, rate=Decimal("100.0"), item_ids=(1, 2, 3, 4, 5), open_item_ids=())
    assert may_claim_rectified(complete)
    assert rectification_statement(complete) == "已整改完成"
    partial = RateResult(total=5, done=4, rate=Decimal("80.0"), item_ids=(1, 2, 3, 4, 5), open_item_ids=(5,))
    assert not may_claim_rectified(partial)
    assert rectification_statement(partial) == "整改完成率为80%（5项中完成4项）"


def test_rates_for_many_branches_agree_with_one_at_a_time(tree, year_2024):
    as_of = date(2025, 6, 1)
    together = rectification_rates([tree.orgs.a, tree.orgs.b, tree.orgs.committee], 2024, as_of=as_of)
    for org in (tree.orgs.a, tree.orgs.b, tree.orgs.committee):
        assert together[org.pk] == rectification_rate(org, 2024, as_of=as_of)
