"""An appraisal of 甲支部 in the shared `tree`: 王书记, 李党员 and 赵同志 are full members; helpers add more."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from zhibu.appraisal import services
from zhibu.orgs.models import Category, Person

YEAR = 2026
TODAY = date(2026, 12, 1)  # 民主评议党员 comes at the year's end


@pytest.fixture(autouse=True)
def _at_the_years_end(clock):
    """The pages read the clock: they see the day the services here are given as today=."""
    clock.move_to(TODAY)


def add_members(branch, count: int, prefix: str = "党员", category=Category.FULL, login: bool = True):
    User = get_user_model()
    people = []
    for number in range(count):
        user = User.objects.create_user(username=f"a{branch.pk}-{prefix}{number}", password="pw-Secret-123") if login else None
        people.append(Person.objects.create(
            branch=branch, name=f"{prefix}{number}", category=category, admitted_on=date(2010, 7, 1),
            full_on=date(2011, 7, 1) if category == Category.FULL else None, user=user))
    return people


@pytest.fixture
def appraisal(tree):
    return services.create(tree.users.secretary_a, tree.orgs.a, YEAR, min_ballots=1)


def grade_all(appraisal, user, grade="合格", overrides=None, **kwargs):
    overrides = overrides or {}
    choices = {p.pk: overrides.get(p.name, grade) for p in services.ballot_items(appraisal, user)}
    services.cast(user, appraisal, choices, **kwargs)
