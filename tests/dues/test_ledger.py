"""The monthly ledger: due from the year's base, paid, owed, pending, and the 提醒 / 警告 runs."""

from datetime import date
from decimal import Decimal

import pytest

from tests.dues.conftest import give_base, months, pay
from zhibu.dues.calculator import ArrearsLevel
from zhibu.dues.accounts import branch_ledger, person_years
from zhibu.dues.models import BranchDuesSettings, DuesBase
from zhibu.dues.services import seed_bases
from zhibu.orgs.models import Category

TODAY = date(2026, 5, 20)  # May is the current month: January to April are over


def row_for(person, year=2026, today=TODAY):
    [row] = person_years([person], year, today)
    return row


def test_due_is_computed_from_the_base_for_every_month_since_admission(tree):
    person = tree.people.a_member
    person.admitted_on = date(2025, 4, 10)
    person.save()
    give_base(person, 2025, "6000")
    row = row_for(person, 2025, date(2026, 1, 15))
    assert row.monthly_due == Decimal("90.00")
    assert [cell.due for cell in row.cells[:3]] == [None, None, None]  # before admission: nothing due
    assert all(cell.due == Decimal("90.00") for cell in row.cells[3:])
    assert row.due_total == Decimal("810.00")


def test_months_over_are_owed_and_the_current_month_is_pending(tree):
    person = tree.people.a_member
    give_base(person, 2026)
    pay(person, *months(2026, 1, 3))
    row = row_for(person)
    assert [cell.state for cell in row.cells[:6]] == ["paid", "paid", "paid", "unpaid", "pending", "upcoming"]
    assert row.due_total == Decimal("225.00")  # January to May
    assert row.paid_total == Decimal("135.00")
    assert row.owed_total == Decimal("45.00")  # April only
    assert row.pending_total == Decimal("45.00")  # May may still be paid


def test_a_short_payment_is_owed_but_still_breaks_the_unpaid_run(tree):
    person = tree.people.a_member
    give_base(person, 2026)
    pay(person, *months(2026, 1, 3))
    pay(person, "2026-04", amount="20.00")
    row = row_for(person)
    assert row.cells[3].state == "short"
    assert row.owed_total == Decimal("25.00")
    assert row.unpaid_run == 0


@pytest.mark.parametrize(("paid_up_to", "run", "level"), [(2, 2, None), (1, 3, ArrearsLevel.REMINDER), (0, 4, ArrearsLevel.REMINDER)])
def test_three_unpaid_months_give_a_reminder(tree, paid_up_to, run, level):
    person = tree.people.a_member
    give_base(person, 2026)
    pay(person, *months(2026, 1, paid_up_to))
    row = row_for(person)
    assert (row.unpaid_run, row.level) == (run, level)


def test_five_unpaid_months_across_the_year_end_give_a_warning(tree):
    person = tree.people.a_member
    give_base(person, 2025)
    give_base(person, 2026)
    pay(person, *months(2025, 1, 10))
    row = row_for(person, 2026, date(2026, 4, 2))  # Nov, Dec, Jan, Feb, Mar unpaid; April is current
    assert (row.unpaid_run, row.level) == (5, ArrearsLevel.WARNING)


def test_a_year_without_a_base_is_not_tracked_so_starting_the_system_raises_no_warning(tree):
    person = tree.people.a_member
    give_base(person, 2026)
    row = row_for(person, 2026, date(2026, 2, 10))
    assert row.unpaid_run == 1  # January 2026 only, not the whole of 2025


def test_an_exempt_member_owes_nothing_and_is_never_warned(tree):
    person = tree.people.a_member
    give_base(person, 2026, base=None, category="困难减免", reduced="0")
    row = row_for(person)
    assert row.monthly_due == Decimal("0.00")
    assert (row.owed_total, row.unpaid_run, row.level) == (Decimal("0.00"), 0, None)


def test_thresholds_are_branch_settings(tree):
    person = tree.people.a_member
    BranchDuesSettings.objects.create(branch=tree.orgs.a, reminder_after=2, warning_after=4)
    give_base(person, 2026)
    pay(person, *months(2026, 1, 2))
    assert row_for(person).level == ArrearsLevel.REMINDER


def test_farmer_amount_and_rounding_come_from_the_branch(tree):
    BranchDuesSettings.objects.create(branch=tree.orgs.a, farmer_amount=Decimal("0.50"), rounding="进位到角")
    give_base(tree.people.a_member, 2026, base=None, category="农民")
    give_base(tree.people.a_other, 2026, base="3333")
    assert row_for(tree.people.a_member).monthly_due == Decimal("0.50")
    assert row_for(tree.people.a_other).monthly_due == Decimal("33.40")  # 33.33 rounded up to the jiao


def test_a_base_the_rules_reject_is_shown_as_a_problem_instead_of_an_amount(tree):
    give_base(tree.people.a_member, 2026, base=None)
    row = row_for(tree.people.a_member)
    assert row.monthly_due is None
    assert "须填写月缴费基数" in row.problem
    assert row.due_total == 0


def test_a_member_without_a_base_is_listed_as_missing_one(tree):
    ledger = branch_ledger(tree.orgs.a, 2026, TODAY)
    assert {row.person.name for row in ledger.without_base} == {"王书记", "李党员", "赵同志"}
    assert all(row.problem == "未确定本年度缴费基数" for row in ledger.rows)


def test_the_branch_ledger_holds_only_that_branch_and_adds_up(tree):
    for person in (tree.people.a_member, tree.people.a_other):
        give_base(person, 2026)
        pay(person, *months(2026, 1, 4))
    give_base(tree.people.b_member, 2026)
    ledger = branch_ledger(tree.orgs.a, 2026, TODAY)
    assert "孙党员" not in {row.person.name for row in ledger.rows}
    assert ledger.paid_total == Decimal("360.00")
    assert ledger.month_paid_totals[:5] == [Decimal("90.00")] * 4 + [Decimal("0.00")]


def test_seeding_takes_the_roster_values_and_keeps_bases_already_set(tree):
    people = tree.people
    people.a_member.dues_base = Decimal("8000")
    people.a_member.save()
    people.a_other.dues_category, people.a_other.dues_base = "离退休", Decimal("4000")
    people.a_other.save()
    kept = give_base(people.a_secretary, 2026, "12000")
    people.a_secretary.dues_base = Decimal("1")
    people.a_secretary.save()
    applicant = type(people.a_member).objects.create(branch=tree.orgs.a, name="申请人", category=Category.APPLICANT)

    assert seed_bases(tree.orgs.a, 2026) == 2
    assert DuesBase.objects.get(person=people.a_member, year=2026).base == Decimal("8000")
    assert DuesBase.objects.get(person=people.a_other, year=2026).category == "离退休"
    assert DuesBase.objects.get(person=people.a_secretary, year=2026).base == kept.base
    assert not DuesBase.objects.filter(person=applicant).exists()
    assert seed_bases(tree.orgs.a, 2026) == 0
