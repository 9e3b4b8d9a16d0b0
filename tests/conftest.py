"""Shared fixtures: the clock, a small organisation tree with a login for every role, and an outsider branch."""

import os
from datetime import date
from types import SimpleNamespace

import pytest

from tests.clock import CLOCK, SETUP, START

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in the test thread


@pytest.fixture(scope="session", autouse=True)
def _travelling_clock():
    """The whole session, the migrations and module-wide fixtures included, runs on tests.clock's day (at SETUP)."""
    CLOCK.start(SETUP)
    yield
    CLOCK.stop()


@pytest.fixture(autouse=True)
def clock(request, _travelling_clock):
    """Each test starts at tests.clock.START, whatever the test before it did; `clock.move_to(day)` goes elsewhere.

    When the test is over the clock goes back to SETUP for the fixtures that run between tests. A test marked
    `real_clock` (its work crosses into processes of its own, which read the real clock) runs on the real clock.
    """
    if request.node.get_closest_marker("real_clock"):
        CLOCK.stop()
        yield CLOCK
        CLOCK.start(SETUP)
    else:
        CLOCK.reset(START)
        yield CLOCK
        CLOCK.reset(SETUP)


def make_tree():
    from django.contrib.auth import get_user_model

    from zhibu.orgs.models import Category, Grant, Organisation, OrgKind, Person, PersonPost, Post, Role

    User = get_user_model()
    tree = Organisation.objects
    committee = tree.create_root(name="测试机关党委", kind=OrgKind.ORGAN_COMMITTEE, unit="测试局", line_of_work="统计")
    branch_a = tree.create_child(committee, name="甲支部", kind=OrgKind.BRANCH, elected_on=date(2024, 3, 1))
    branch_b = tree.create_child(committee, name="乙支部", kind=OrgKind.BRANCH)
    group_a = tree.create_child(branch_a, name="甲一小组", kind=OrgKind.GROUP)
    other_root = tree.create_root(name="另一党委", kind=OrgKind.PARTY_COMMITTEE)
    branch_c = tree.create_child(other_root, name="丙支部", kind=OrgKind.BRANCH)

    def person(branch, name, **extra):
        values = {"category": Category.FULL, "admitted_on": date(2010, 7, 1), "full_on": date(2011, 7, 1)}
        values.update(extra)
        return Person.objects.create(branch=branch, name=name, **values)

    def user(username, **extra):
        return User.objects.create_user(username=username, password="pw-Secret-123", **extra)

    people = SimpleNamespace(
        a_secretary=person(branch_a, "王书记"),
        a_member=person(branch_a, "李党员", group=group_a),
        a_other=person(branch_a, "赵同志"),
        b_member=person(branch_b, "孙党员"),
        c_member=person(branch_c, "周党员"),
    )
    PersonPost.objects.create(person=people.a_secretary, post=Post.SECRETARY)
    users = SimpleNamespace(
        admin=user("admin", is_superuser=True, is_staff=True),
        organiser=user("organiser"),
        secretary_a=user("secretary_a"),
        clerk_b=user("clerk_b"),
        member_a=user("member_a"),
        nobody=user("nobody"),
    )
    Grant.objects.create(user=users.organiser, org=committee, role=Role.COMMITTEE_ADMIN)
    Grant.objects.create(user=users.secretary_a, org=branch_a, role=Role.SECRETARY)
    Grant.objects.create(user=users.clerk_b, org=branch_b, role=Role.CLERK)
    people.a_secretary.user = users.secretary_a
    people.a_secretary.save()
    people.a_member.user = users.member_a
    people.a_member.save()
    orgs = SimpleNamespace(committee=committee, a=branch_a, b=branch_b, group_a=group_a, other_root=other_root, c=branch_c)
    for name, org in vars(orgs).items():
        setattr(orgs, name, Organisation.objects.get(pk=org.pk))
    return SimpleNamespace(orgs=orgs, people=people, users=users)


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs about a second per `tree` (six logins); tests check who may see what, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
