"""Review sessions in the shared `tree`: 测试机关党委 reviews 甲支部 (王书记) and 乙支部 (no 书记 yet).

Voters in the tree: member_a (李党员), secretary_a (王书记) and organiser (党委管理员) — three in all.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from tests.clock import LAST_YEAR
from zhibu.orgs.models import Category, Person
from zhibu.review import services
from zhibu.review.models import ReviewSession


def make_session(committee, *, year=LAST_YEAR, **fields) -> ReviewSession:
    session = ReviewSession.objects.create(committee=committee, year=year, title=f"{year}年度述职评议", **fields)
    services.sync_reportees(session)
    return session


def make_voters(branch, count: int, prefix: str = "投票人"):
    """`count` full members of `branch`, each with a login."""
    User = get_user_model()
    voters = []
    for number in range(count):
        user = User.objects.create_user(username=f"v{branch.pk}-{prefix}{number}", password="pw-Secret-123")
        Person.objects.create(branch=branch, name=f"{prefix}{number}", category=Category.FULL,
                              admitted_on=date(2010, 7, 1), full_on=date(2011, 7, 1), user=user)
        voters.append(user)
    return voters


def reportee_of(session, branch):
    return session.reportees.get(branch=branch)


def vote(user, session, grades: dict, comments: dict | None = None):
    """grades/comments keyed by branch."""
    comments = comments or {}
    services.cast_ballot(user, session, {
        reportee_of(session, branch).pk: (grade, comments.get(branch, "")) for branch, grade in grades.items()
    })


@pytest.fixture(autouse=True)
def _results_from_one_ballot(settings):
    # These tests count the results of two or three voters; the minimum before results show has its own tests.
    settings.ZHIBU_BALLOT_MINIMUM = 1


@pytest.fixture
def session(tree):
    return make_session(tree.orgs.committee)


@pytest.fixture
def voting(session):
    services.open_voting(session)
    session.refresh_from_db()
    return session
