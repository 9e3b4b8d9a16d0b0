"""换届选举: who may stand, the 差额 share, the quorum at its edge, 应到 as the denominator, a tie going to a
second round, the committee's officers and the approval that updates the posts and the 换届日期."""

from datetime import date

import pytest

from tests.appraisal.conftest import add_members
from zhibu.ballots.models import Receipt
from zhibu.elections import services
from zhibu.elections.models import Candidate, ElectionMark, Status
from zhibu.elections.rules import has_quorum, minimum_candidates, needed_to_win
from zhibu.orgs.models import Category, Organisation, PersonPost

TODAY = date(2026, 12, 1)
MEETING = date(2026, 11, 20)


@pytest.fixture
def branch(tree):
    """甲支部 with ten full members (王书记, 李党员, 赵同志 and seven more), all with logins but 赵同志."""
    add_members(tree.orgs.a, 7)
    return tree.orgs.a


def _people(branch):
    return {p.name: p for p in branch.people.all()}


def _approved(tree, branch, seats=3, names=("王书记", "李党员", "党员0", "党员1")):
    election = services.create(tree.users.secretary_a, branch, seats)
    for name in names:
        services.add_candidate(election, _people(branch)[name])
    services.approve_candidates(election, date(2026, 11, 1), "机党发〔2026〕1号", today=TODAY)
    election.refresh_from_db()
    return election


def _ids(election):
    return {c.name: c.pk for c in election.candidates.all()}


def _entries(election):
    round_ = election.current_round()
    return round_, {e.candidate.name: e.pk for e in round_.entries.select_related("candidate")}


@pytest.mark.parametrize("seats, margin, least", [(3, 20, 4), (5, 20, 6), (6, 20, 8), (7, 20, 9), (1, 20, 2)])
def test_the_margin_asks_for_more_candidates_than_seats(seats, margin, least):
    assert minimum_candidates(seats, margin) == least


def test_the_margin_is_enforced_at_its_edge(tree, branch):
    election = services.create(tree.users.secretary_a, branch, 5)
    for name in ("王书记", "李党员", "党员0", "党员1", "党员2"):
        services.add_candidate(election, _people(branch)[name])
    with pytest.raises(services.ElectionError, match="应选5名，候选人至少6名（差额不少于20%），现在只有5名"):
        services.approve_candidates(election, date(2026, 11, 1), today=TODAY)
    services.add_candidate(election, _people(branch)["党员3"])
    services.approve_candidates(election, date(2026, 11, 1), today=TODAY)
    election.refresh_from_db()
    assert election.status == Status.APPROVED


def test_a_candidate_who_may_not_stand_is_refused(tree, branch):
    probationary = add_members(branch, 1, prefix="预备", category=Category.PROBATIONARY)[0]
    election = services.create(tree.users.secretary_a, branch, 3)
    with pytest.raises(services.ElectionError, match="预备党员，没有被选举权"):
        services.add_candidate(election, probationary)
    with pytest.raises(services.ElectionError, match="不是甲支部的党员"):
        services.add_candidate(election, tree.people.b_member)
    assert not Candidate.objects.exists()


def test_the_quorum_at_its_edge(tree, branch):
    election = _approved(tree, branch)
    assert has_quorum(8, 10, election.quorum) and not has_quorum(7, 10, election.quorum)
    with pytest.raises(services.ElectionError, match="应到10人，实到7人，不足应到的4/5"):
        services.open_meeting(election, MEETING, 7, today=TODAY)
    election.refresh_from_db()
    assert election.status == Status.APPROVED and not election.rounds.exists()
    services.open_meeting(election, MEETING, 8, today=TODAY)
    election.refresh_from_db()
    assert (election.status, election.expected, election.attended) == (Status.VOTING, 10, 8)


def test_probationary_members_are_not_counted_in_the_expected_nor_vote(tree, branch):
    probationary = add_members(branch, 1, prefix="预备", category=Category.PROBATIONARY)[0]
    election = _approved(tree, branch)
    services.open_meeting(election, MEETING, 9, today=TODAY)
    election.refresh_from_db()
    assert election.expected == 10
    with pytest.raises(services.ElectionError, match="不在这一轮选举的投票人名单中"):
        services.cast(probationary.user, election, [])


def test_elected_means_more_than_half_of_those_who_should_attend(tree, branch):
    """应到 10, 实到 8: 6 votes elect (more than 5), 5 do not — although 5 is more than half of the 8 present."""
    election = _approved(tree, branch)
    services.open_meeting(election, MEETING, 8, today=TODAY)
    election.refresh_from_db()
    assert needed_to_win(election.expected) == 6
    round_, entries = _entries(election)
    services.enter_paper_ballots(election, 8, {entries["王书记"]: 8, entries["李党员"]: 6, entries["党员0"]: 5, entries["党员1"]: 5})
    outcome = services.close_round(election)
    election.refresh_from_db()
    ids = _ids(election)
    assert sorted(outcome.elected) == sorted([ids["王书记"], ids["李党员"]]) and outcome.seats_left == 1
    # One seat left: a second round among those not elected.
    second, entries2 = _entries(election)
    assert second.number == 2 and second.seats == 1 and set(entries2) == {"党员0", "党员1"}


def test_a_tie_at_the_last_seat_goes_to_a_second_round(tree, branch):
    election = _approved(tree, branch, seats=2, names=("王书记", "李党员", "党员0"))
    services.open_meeting(election, MEETING, 10, today=TODAY)
    election.refresh_from_db()
    round_, entries = _entries(election)
    services.enter_paper_ballots(election, 10, {entries["王书记"]: 8, entries["李党员"]: 6, entries["党员0"]: 6})
    outcome = services.close_round(election)
    ids = _ids(election)
    assert outcome.elected == [ids["王书记"]] and sorted(outcome.tied) == sorted([ids["李党员"], ids["党员0"]])
    election.refresh_from_db()
    second, entries2 = _entries(election)
    assert (second.number, second.seats, set(entries2)) == (2, 1, {"李党员", "党员0"})
    # The second round is voted on the site by the same electorate, frozen at the meeting's opening.
    voters = [p.user for p in branch.people.filter(user__isnull=False).order_by("name")][:6]
    for user in voters:
        services.cast(user, election, [entries2["党员0"]])
    services.close_round(election)
    election.refresh_from_db()
    assert election.status == Status.COUNTED
    assert sorted(election.candidates.filter(elected_in__isnull=False).values_list("name", "elected_in")) == [("党员0", 2), ("王书记", 1)]


def test_online_ballots_once_and_within_the_seats(tree, branch):
    election = _approved(tree, branch)
    services.open_meeting(election, MEETING, 10, today=TODAY)
    election.refresh_from_db()
    round_, entries = _entries(election)
    with pytest.raises(services.ElectionError, match="本轮应选3名，您选了4名"):
        services.cast(tree.users.member_a, election, list(entries.values()))
    services.cast(tree.users.member_a, election, [entries["王书记"]])
    with pytest.raises(services.ElectionError, match="已经投过票"):
        services.cast(tree.users.member_a, election, [entries["李党员"]])
    assert Receipt.objects.count() == 1 and ElectionMark.objects.count() == 1
    # Paper ballots cannot make the ballots cast more than those present.
    with pytest.raises(services.ElectionError, match="多于实到会的10人"):
        services.enter_paper_ballots(election, 10, {})
    with pytest.raises(services.ElectionError, match="得票多于纸质选票3张"):
        services.enter_paper_ballots(election, 3, {entries["王书记"]: 4})


def test_approval_updates_the_posts_and_restarts_the_term(tree, branch):
    election = _approved(tree, branch)
    services.open_meeting(election, MEETING, 10, today=TODAY)
    election.refresh_from_db()
    round_, entries = _entries(election)
    services.enter_paper_ballots(election, 10, {entries["王书记"]: 6, entries["李党员"]: 9, entries["党员0"]: 8, entries["党员1"]: 3})
    services.close_round(election)
    election.refresh_from_db()
    ids = _ids(election)
    with pytest.raises(services.ElectionError, match="从当选的委员中选出"):
        services.choose_officers(election, ids["党员1"], None, {})
    services.choose_officers(election, ids["李党员"], ids["党员0"], {ids["王书记"]: "组织委员"})
    services.approve_result(tree.users.organiser, election, date(2026, 11, 25), "机党发〔2026〕9号", today=TODAY)
    posts = sorted(PersonPost.objects.filter(person__branch=branch).values_list("person__name", "post"))
    assert posts == [("党员0", "副书记"), ("李党员", "书记"), ("王书记", "组织委员")]
    a = Organisation.objects.get(pk=branch.pk)
    assert a.elected_on == MEETING and a.term_ends_on() == date(2029, 11, 20)
    assert a.history.first().history_user == tree.users.organiser
