from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhibu.orgs.models import Category, Person


def test_party_standing_counts_from_becoming_full(tree):
    person = tree.people.a_member  # admitted 2010-07-01, full 2011-07-01
    assert person.standing_years(date(2021, 6, 30)) == 9
    assert person.standing_years(date(2021, 7, 1)) == 10


def test_probationary_members_have_no_standing_yet(tree):
    person = Person(branch=tree.orgs.a, name="新同志", category=Category.PROBATIONARY, admitted_on=date(2025, 5, 4))
    assert person.standing_years(date(2026, 1, 1)) is None


def test_political_birthday_is_the_admission_anniversary(tree):
    person = Person(admitted_on=date(2012, 2, 29), full_on=date(2013, 3, 1))
    assert person.political_birthday(2025) == date(2025, 2, 28)
    assert person.political_birthday(2028) == date(2028, 2, 29)


def test_term_end_follows_term_years(tree):
    branch = tree.orgs.a
    assert branch.term_ends_on() == date(2027, 3, 1)
    branch.term_years = 5
    assert branch.term_ends_on() == date(2029, 3, 1)


def test_a_bad_id_number_is_rejected_with_the_expected_check_digit(tree):
    person = Person(branch=tree.orgs.a, name="测", category=Category.APPLICANT, id_number="11010519491231002Y")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "身份证号" in str(error.value)
    person.id_number = "110105194912310020"  # check digit should be X
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "应为 X" in str(error.value)


def test_a_member_without_admission_date_is_rejected(tree):
    person = Person(branch=tree.orgs.a, name="无日期", category=Category.FULL)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "入党日期" in str(error.value)


def test_people_must_belong_to_a_branch_not_a_committee(tree):
    person = Person(branch=tree.orgs.committee, name="错位", category=Category.APPLICANT)
    with pytest.raises(ValidationError, match="党支部"):
        person.full_clean()
