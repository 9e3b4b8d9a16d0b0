"""The review's electorate is fixed when voting opens, and its results need a minimum number of ballots."""

import pytest
from django.contrib.auth import get_user_model

from tests.clock import LAST_YEAR
from tests.review.conftest import make_session, make_voters, vote
from zhibu.ballots import services as ballots
from zhibu.ballots.models import Elector, Receipt
from zhibu.orgs.models import Category, Grant, Person, Role
from zhibu.review import services
from zhibu.review.models import Ballot


@pytest.fixture
def voting(tree, settings):
    settings.ZHIBU_BALLOT_MINIMUM = 5
    session = make_session(tree.orgs.committee)
    services.open_voting(session)
    session.refresh_from_db()
    return session


def _all_good(session):
    return {branch: "好" for branch in (session.reportees.get(branch__name="甲支部").branch, session.reportees.get(branch__name="乙支部").branch)}


def test_logins_and_people_created_after_opening_cannot_vote(tree, voting):
    User = get_user_model()
    # A new 党委管理员 login, a login for an existing member without one, and an invented member with a login.
    new_admin = User.objects.create_user("new_admin", password="pw-Secret-123")
    Grant.objects.create(user=new_admin, org=tree.orgs.committee, role=Role.COMMITTEE_ADMIN)
    late_login = User.objects.create_user("late_login", password="pw-Secret-123")
    tree.people.a_other.user = late_login
    tree.people.a_other.save()
    invented = make_voters(tree.orgs.a, 1, prefix="新增")[0]
    for user in (new_admin, late_login, invented):
        with pytest.raises(services.ReviewError, match="不在这次评议的投票人范围内"):
            vote(user, voting, _all_good(voting))
    assert not Receipt.objects.exists() and not Ballot.objects.exists()
    # Those who were electors at the opening still vote.
    vote(tree.users.member_a, voting, _all_good(voting))
    assert Receipt.objects.count() == 1


def test_the_electorate_is_the_one_frozen_at_opening(tree, voting):
    assert set(Elector.objects.filter(poll=voting.poll).values_list("user__username", flat=True)) == {"member_a", "secretary_a", "organiser"}
    # A voter who became a probationary member afterwards still holds the vote given at the opening...
    Person.objects.filter(user=tree.users.member_a).update(category=Category.PROBATIONARY)
    vote(tree.users.member_a, voting, _all_good(voting))
    assert Receipt.objects.count() == 1


def test_who_changed_the_electorate_is_in_the_history(tree, voting):
    ballots.change_elector(tree.users.organiser, voting.poll, tree.users.secretary_a, active=False, reason="已调离本单位")
    with pytest.raises(services.ReviewError, match="不在这次评议的投票人范围内"):
        vote(tree.users.secretary_a, voting, _all_good(voting))
    change = ballots.electorate_history(voting.poll).get()
    assert (change.history_user, change.active, change.reason, change.name) == (tree.users.organiser, False, "已调离本单位", "王书记")
    # Nobody outside the frozen list can be put in, however the request is phrased.
    with pytest.raises(ballots.BallotError, match="投票开始后新增的人员和账号不能投票"):
        ballots.change_elector(tree.users.organiser, voting.poll, tree.users.clerk_b, active=True, reason="补充")
    with pytest.raises(ballots.BallotError, match="原因"):
        ballots.change_elector(tree.users.organiser, voting.poll, tree.users.secretary_a, active=True, reason=" ")


def test_results_and_counter_are_hidden_below_the_minimum(client, tree, voting):
    voters = [tree.users.member_a, tree.users.secretary_a, tree.users.organiser]
    client.force_login(tree.users.organiser)
    assert "已投不足5人" in client.get(f"/review/{voting.pk}/").content.decode()
    for user in voters:
        vote(user, voting, _all_good(voting), {voting.reportees.first().branch: "一条只有一人写的意见"})
    page = client.get(f"/review/{voting.pk}/").content.decode()
    assert "已投不足5人" in page and "已投3人" not in page
    services.close_voting(tree.users.organiser, voting)
    response = client.get(f"/review/{voting.pk}/results/", follow=True)
    text = response.content.decode()
    assert "少于公布结果所需的5张" in text and "一条只有一人写的意见" not in text
    assert client.get(f"/review/{voting.pk}/results.xlsx").status_code == 302
    ledger = client.get(f"/records/ledgers/shuzhi/?org={tree.orgs.committee.pk}&year={voting.year}", follow=True)
    assert "少于公布结果所需的5张" in ledger.content.decode()


def test_results_show_from_the_minimum_on(client, tree, settings):
    settings.ZHIBU_BALLOT_MINIMUM = 5
    session = make_session(tree.orgs.committee)
    voters = make_voters(tree.orgs.a, 2) + [tree.users.member_a, tree.users.secretary_a, tree.users.organiser]
    services.open_voting(session)
    session.refresh_from_db()
    for user in voters[:4]:
        vote(user, session, _all_good(session))
    client.force_login(tree.users.organiser)
    assert "已投不足5人" in client.get(f"/review/{session.pk}/").content.decode()
    vote(voters[4], session, _all_good(session))
    assert "已投5人" in client.get(f"/review/{session.pk}/").content.decode()
    services.close_voting(tree.users.organiser, session)
    assert client.get(f"/review/{session.pk}/results/").status_code == 200


def test_the_minimum_is_set_per_review(client, tree):
    client.force_login(tree.users.organiser)
    form = {"year": LAST_YEAR, "title": "", "vote_weight": 40, "compliance_weight": 60, "points_good": 100,
            "points_fairly_good": 80, "points_average": 60, "points_poor": 40, "band_good": 90, "band_fairly_good": 75,
            "band_average": 60, "committee": tree.orgs.committee.pk}
    assert client.post("/review/new/", {**form, "min_ballots": 0}).status_code == 200  # the form again, nothing saved
    from zhibu.review.models import ReviewSession

    assert not ReviewSession.objects.exists()
    client.post("/review/new/", {**form, "min_ballots": 8})
    from zhibu.review.models import ReviewSession

    assert ReviewSession.objects.get().poll.min_ballots == 8
