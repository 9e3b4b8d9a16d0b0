"""Overdue at the deadline's edge, carry-over into the next years, owners, and the rules every item keeps."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.lists.conftest import make_item
from zhibu.lists.models import ListItem, Status, resolve_owner
from zhibu.orgs.models import Category, Person

DEADLINE = date(2025, 6, 30)


@pytest.mark.parametrize("today, overdue", [
    (date(2025, 6, 29), False),
    (DEADLINE, False),  # the deadline day itself is still in time
    (date(2025, 7, 1), True),
])
def test_an_item_is_overdue_only_after_its_deadline_day(tree, today, overdue):
    item = make_item(tree.orgs.a, deadline=DEADLINE, status=Status.IN_PROGRESS)
    assert item.is_overdue(today) is overdue
    assert ListItem.objects.overdue(today).filter(pk=item.pk).exists() is overdue


def test_a_done_item_or_one_without_deadline_is_never_overdue(tree):
    done = make_item(tree.orgs.a, deadline=DEADLINE, status=Status.DONE, completed_on=date(2025, 7, 3))
    open_ended = make_item(tree.orgs.a, content="没有时限")
    later = date(2026, 1, 1)
    assert not done.is_overdue(later) and not open_ended.is_overdue(later)
    assert not ListItem.objects.overdue(later).exists()


def test_an_unfinished_item_shows_in_every_later_year_until_done(tree):
    item = make_item(tree.orgs.a, year=2024)
    assert list(ListItem.objects.of_year(2024)) == [item]
    assert list(ListItem.objects.of_year(2025)) == [item]
    assert list(ListItem.objects.of_year(2026)) == [item]
    assert not ListItem.objects.of_year(2023).exists()


def test_an_item_finished_during_the_next_year_shows_there_once_and_not_after(tree):
    item = make_item(tree.orgs.a, year=2024, status=Status.DONE, completed_on=date(2025, 3, 1))
    assert ListItem.objects.of_year(2025).filter(pk=item.pk).exists()
    assert not ListItem.objects.of_year(2026).filter(pk=item.pk).exists()


def test_an_item_finished_on_the_last_day_of_its_year_is_not_carried(tree):
    item = make_item(tree.orgs.a, year=2024, status=Status.DONE, completed_on=date(2024, 12, 31))
    assert not ListItem.objects.of_year(2025).filter(pk=item.pk).exists()


def test_carry_over_is_computed_not_copied(tree):
    make_item(tree.orgs.a, year=2024)
    assert ListItem.objects.of_year(2025).count() == 1
    assert ListItem.objects.count() == 1


def test_the_owner_name_resolves_to_the_one_person_of_that_name_in_the_subtree(tree):
    assert resolve_owner(tree.orgs.a, "李党员") == tree.people.a_member
    assert resolve_owner(tree.orgs.committee, "孙党员") == tree.people.b_member
    assert resolve_owner(tree.orgs.group_a, "王书记") == tree.people.a_secretary  # a group answers for its branch
    assert resolve_owner(tree.orgs.a, "孙党员") is None  # another branch
    assert resolve_owner(tree.orgs.a, "外单位联络员") is None


def test_an_owner_name_two_branches_share_stays_text(tree):
    Person.objects.create(branch=tree.orgs.b, name="李党员", category=Category.FULL, admitted_on=date(2010, 7, 1))
    assert resolve_owner(tree.orgs.committee, "李党员") is None
    assert resolve_owner(tree.orgs.a, "李党员") == tree.people.a_member


def test_an_owner_outside_the_organisation_is_refused(tree):
    item = ListItem(org=tree.orgs.a, kind="问题清单", year=2025, content="x", owner=tree.people.b_member)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "不是甲支部或其下级组织的人员" in str(error.value)


@pytest.mark.parametrize("fields, field, message", [
    ({"year": 1999}, "year", "年度应在2000至"),
    ({"deadline": date(2024, 12, 31)}, "deadline", "早于事项所在的2025年度"),
    ({"status": Status.DONE, "completed_on": date(2024, 6, 1)}, "year", "年度不能晚于2024年"),
])
def test_item_dates_are_checked_against_its_year(tree, fields, field, message):
    values = {"org": tree.orgs.a, "kind": "问题清单", "year": 2025, "content": "x", **fields}
    with pytest.raises(ValidationError) as error:
        ListItem(**values).full_clean()
    assert message in error.value.message_dict[field][0]


def test_the_database_refuses_a_done_item_without_completion_date(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_item(tree.orgs.a, status=Status.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_item(tree.orgs.a, status=Status.IN_PROGRESS, completed_on=date(2025, 3, 1))


def test_a_member_sees_only_the_items_they_own(tree, items):
    visible = set(ListItem.objects.visible_to(tree.users.member_a))
    assert visible == {items.a}
    assert not ListItem.objects.managed_by(tree.users.member_a).exists()


def test_managers_see_their_subtree_only(tree, items):
    assert set(ListItem.objects.visible_to(tree.users.secretary_a)) == {items.a}
    assert set(ListItem.objects.visible_to(tree.users.organiser)) == {items.a, items.b, items.committee}
    assert not ListItem.objects.visible_to(tree.users.nobody).exists()
