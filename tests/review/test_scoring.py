"""The arithmetic, checked by hand, and the grade bands at their edges."""

from decimal import Decimal

import pytest

from tests.review.conftest import make_voters, vote
from zhibu.review import scoring, services
from zhibu.review.models import ReviewSession
from zhibu.review.results import session_results
from zhibu.review.scoring import DEFAULT_SCHEME, Scheme


def test_the_default_vote_score_is_the_common_conversion():
    # 6 好, 3 较好, 1 一般 of 10: (600 + 240 + 60) / 10 = 90.00
    assert scoring.vote_score({"好": 6, "较好": 3, "一般": 1, "差": 0}, DEFAULT_SCHEME) == Decimal("90.00")
    # 1 好, 1 较好, 1 差 of 3: (100 + 80 + 40) / 3 = 73.333… → 73.33
    assert scoring.vote_score({"好": 1, "较好": 1, "差": 1}, DEFAULT_SCHEME) == Decimal("73.33")
    # 1 好, 1 一般, 1 差: 200 / 3 = 66.666… → 66.67 (half up)
    assert scoring.vote_score({"好": 1, "一般": 1, "差": 1}, DEFAULT_SCHEME) == Decimal("66.67")


def test_no_votes_give_no_score_rather_than_zero():
    assert scoring.vote_score({}, DEFAULT_SCHEME) is None
    assert scoring.combined_score(None, 80, DEFAULT_SCHEME) is None
    assert scoring.band(None, DEFAULT_SCHEME) == ""


def test_the_total_weighs_vote_and_standardisation_score():
    # 90 × 40% + 85 × 60% = 36 + 51 = 87.00
    assert scoring.combined_score(Decimal("90.00"), 85, DEFAULT_SCHEME) == Decimal("87.00")
    # 73.33 × 40% + 70 × 60% = 29.332 + 42 = 71.332 → 71.33
    assert scoring.combined_score(Decimal("73.33"), 70, DEFAULT_SCHEME) == Decimal("71.33")
    half = Scheme(DEFAULT_SCHEME.points, 50, 50, DEFAULT_SCHEME.bands)
    assert scoring.combined_score(Decimal("90.00"), 70, half) == Decimal("80.00")


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "好"), ("90.00", "好"), ("89.99", "较好"), ("75.00", "较好"), ("74.99", "一般"),
    ("60.00", "一般"), ("59.99", "差"), ("0", "差"),
])
def test_bands_at_their_edges(total, grade):
    assert scoring.band(Decimal(total), DEFAULT_SCHEME) == grade


def test_equal_totals_share_a_rank_and_no_total_has_none():
    assert scoring.ranks([Decimal("80"), Decimal("90"), Decimal("80"), None, Decimal("70")]) == [2, 1, 2, None, 4]


def test_a_session_scores_ten_ballots_as_worked_out_by_hand(tree, session):
    a, b = tree.orgs.a, tree.orgs.b
    voters = make_voters(a, 10)  # members before voting opens: the electorate is fixed then
    services.open_voting(session)
    voting = ReviewSession.objects.get(pk=session.pk)
    # 甲支部: 6 好, 3 较好, 1 一般 → 90.00; 乙支部: 2 好, 2 较好, 4 一般, 2 差 → (200+160+240+80)/10 = 68.00
    grades_a = ["好"] * 6 + ["较好"] * 3 + ["一般"]
    grades_b = ["好"] * 2 + ["较好"] * 2 + ["一般"] * 4 + ["差"] * 2
    for user, grade_a, grade_b in zip(voters, grades_a, grades_b):
        vote(user, voting, {a: grade_a, b: grade_b})
    services.close_voting(tree.users.organiser, voting)
    # The standardisation scores fixed at closing come from the compliance engine; set them to known values here.
    voting.reportees.filter(branch=a).update(compliance_percent=85)
    voting.reportees.filter(branch=b).update(compliance_percent=90)

    by_branch = {r.reportee.branch_id: r for r in session_results(ReviewSession.objects.get(pk=voting.pk))}
    result_a, result_b = by_branch[a.pk], by_branch[b.pk]
    assert (result_a.count_list(), result_a.valid_votes) == ([6, 3, 1, 0], 10)
    assert (result_a.vote_score, result_a.total, result_a.band, result_a.rank) == (Decimal("90.00"), Decimal("87.00"), "较好", 1)
    # 68 × 0.4 + 90 × 0.6 = 27.2 + 54 = 81.20
    assert (result_b.count_list(), result_b.vote_score, result_b.total, result_b.band, result_b.rank) == (
        [2, 2, 4, 2], Decimal("68.00"), Decimal("81.20"), "较好", 2)


def test_a_sessions_own_weights_and_bands_are_used(tree):
    from tests.review.conftest import make_session

    session = make_session(tree.orgs.committee, vote_weight=100, compliance_weight=0, band_good=95,
                           points_good=10, points_fairly_good=8, points_average=6, points_poor=4)
    scheme = session.scheme()
    vote_score = scoring.vote_score({"好": 1, "较好": 1}, scheme)
    assert vote_score == Decimal("9.00")
    assert scoring.combined_score(Decimal("94.99"), 0, scheme) == Decimal("94.99")
    assert scoring.band(Decimal("94.99"), scheme) == "较好"


def test_closing_fixes_the_compliance_engines_score_for_the_year(tree, voting):
    from zhibu.compliance import facts

    expected = {s.org_id: s.percent for s in facts.check(tree.users.organiser, tree.orgs.committee, voting.year).scores()}
    services.close_voting(tree.users.organiser, voting)
    fixed = dict(voting.reportees.values_list("branch_id", "compliance_percent"))
    assert fixed == {tree.orgs.a.pk: expected[tree.orgs.a.pk], tree.orgs.b.pk: expected[tree.orgs.b.pk]}
    assert all(value is not None for value in fixed.values())
