"""民主评议党员: who is graded, the 优秀 share at its edge, the secret 民主测评, paper tallies, the 组织评定."""

from datetime import date

import pytest

from tests.appraisal.conftest import TODAY, YEAR, add_members, grade_all
from zhibu.appraisal import services
from zhibu.appraisal.models import AppraisalBallot, Mark, Status
from zhibu.appraisal.rules import excellent_limit
from zhibu.ballots.models import Receipt
from zhibu.orgs.models import Category
from zhibu.records.models import Activity


def test_probationary_members_take_part_but_are_not_graded(tree, appraisal):
    probationary = add_members(tree.orgs.a, 1, prefix="预备", category=Category.PROBATIONARY)[0]
    services.sync_participants(appraisal)
    participant = appraisal.participants.get(person=probationary)
    assert not participant.graded and participant.category == "预备党员"
    services.open_voting(appraisal)
    # The probationary member is on nobody's ballot and has no vote in the 测评.
    assert participant.pk not in {p.pk for p in services.ballot_items(appraisal, tree.users.member_a)}
    with pytest.raises(services.AppraisalError, match="不在这次民主测评的投票人名单中"):
        services.cast(probationary.user, appraisal, {})
    services.close_voting(appraisal)
    decisions = {p.pk: ("合格", "", None) for p in appraisal.participants.filter(graded=True)}
    services.evaluate(tree.users.secretary_a, appraisal, decisions, date(2026, 11, 30), today=TODAY)
    participant.refresh_from_db()
    assert participant.grade == "不评定"


def test_a_voter_grades_everyone_but_themselves_and_once(tree, appraisal):
    services.open_voting(appraisal)
    items = services.ballot_items(appraisal, tree.users.member_a)
    assert sorted(p.name for p in items) == ["王书记", "赵同志"]
    grade_all(appraisal, tree.users.member_a)
    with pytest.raises(services.AppraisalError, match="已经投过票"):
        grade_all(appraisal, tree.users.member_a)
    assert Receipt.objects.count() == 1 and AppraisalBallot.objects.count() == 1 and Mark.objects.count() == 2


def test_a_ballot_missing_a_grade_writes_nothing(tree, appraisal):
    services.open_voting(appraisal)
    first = services.ballot_items(appraisal, tree.users.member_a)[0]
    with pytest.raises(services.AppraisalError, match="还没有选择的"):
        services.cast(tree.users.member_a, appraisal, {first.pk: "合格"})
    assert not Receipt.objects.exists() and not Mark.objects.exists()


def test_a_vote_after_the_close_is_refused(tree, appraisal):
    services.open_voting(appraisal)
    services.close_voting(appraisal)
    with pytest.raises(services.AppraisalError, match="不在投票中"):
        grade_all(appraisal, tree.users.member_a)
    assert not Receipt.objects.exists()


def test_a_login_opened_after_the_measure_starts_cannot_vote(tree, appraisal):
    services.open_voting(appraisal)
    late = add_members(tree.orgs.a, 1, prefix="后来")[0]
    with pytest.raises(services.AppraisalError, match="不在这次民主测评的投票人名单中"):
        services.cast(late.user, appraisal, {})
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("graded, limit", [(3, 1), (5, 1), (6, 2), (8, 2), (9, 3)])
def test_the_excellent_limit_is_the_share_rounded_down(graded, limit):
    from fractions import Fraction

    assert excellent_limit(graded, Fraction(1, 3)) == limit


def test_a_ballot_over_the_share_is_a_warning_the_voter_may_override(tree, appraisal):
    add_members(tree.orgs.a, 3)  # six graded → at most two 优秀
    services.sync_participants(appraisal)
    services.open_voting(appraisal)
    two = {"王书记": "优秀", "赵同志": "优秀"}
    with pytest.raises(services.TooManyExcellent, match="最多2名"):
        grade_all(appraisal, tree.users.member_a, overrides={**two, "党员0": "优秀"})
    assert not Receipt.objects.exists()
    grade_all(appraisal, tree.users.member_a, overrides={**two, "党员0": "优秀"}, confirm_over=True)
    grade_all(appraisal, tree.users.secretary_a, overrides={"李党员": "优秀", "赵同志": "优秀"})  # exactly the limit: no warning
    assert Receipt.objects.count() == 2


def _evaluating(tree, appraisal, extra=6):
    add_members(tree.orgs.a, extra)  # 9 graded → at most 3 优秀
    services.sync_participants(appraisal)
    services.open_voting(appraisal)
    services.close_voting(appraisal)
    return {p.name: p.pk for p in appraisal.participants.all()}


def test_the_organisation_may_grade_exactly_the_share_excellent_not_one_more(tree, appraisal):
    ids = _evaluating(tree, appraisal)
    excellent = ["王书记", "李党员", "赵同志"]
    decisions = {pk: ("优秀" if name in excellent else "合格", "", None) for name, pk in ids.items()}
    over = {**decisions, ids["党员0"]: ("优秀", "", None)}
    with pytest.raises(services.AppraisalError, match="评为优秀的有4名，超过优秀比例1/3（参加评定的9名正式党员中最多3名）"):
        services.evaluate(tree.users.secretary_a, appraisal, over, date(2026, 11, 30), today=TODAY)
    assert not appraisal.participants.exclude(grade="").exists() and not Activity.objects.exists()
    services.evaluate(tree.users.secretary_a, appraisal, decisions, date(2026, 11, 30), today=TODAY)
    appraisal.refresh_from_db()
    assert appraisal.status == Status.DONE
    assert services.grade_counts(appraisal)["优秀"] == 3


def test_unqualified_needs_a_disposal_and_a_follow_up_date(tree, appraisal):
    ids = _evaluating(tree, appraisal)
    decisions = {pk: ("合格", "", None) for pk in ids.values()}
    decisions[ids["党员0"]] = ("不合格", "", None)
    with pytest.raises(services.AppraisalError, match="党员0评为不合格，请选择处置.*党员0评为不合格，请填写跟踪回访日期"):
        services.evaluate(tree.users.secretary_a, appraisal, decisions, date(2026, 11, 30), today=TODAY)
    decisions[ids["党员0"]] = ("不合格", "限期改正", date(2026, 11, 1))
    with pytest.raises(services.AppraisalError, match="跟踪回访日期应晚于组织评定日期"):
        services.evaluate(tree.users.secretary_a, appraisal, decisions, date(2026, 11, 30), today=TODAY)
    decisions[ids["党员0"]] = ("不合格", "限期改正", date(2027, 5, 30))
    services.evaluate(tree.users.secretary_a, appraisal, decisions, date(2026, 11, 30), today=TODAY)
    p = appraisal.participants.get(pk=ids["党员0"])
    assert (p.grade, p.disposal, p.follow_up_on) == ("不合格", "限期改正", date(2027, 5, 30))


def test_the_organisation_creates_the_record_on_its_day(tree, appraisal):
    ids = _evaluating(tree, appraisal, extra=0)
    services.evaluate(tree.users.secretary_a, appraisal, {pk: ("合格", "", None) for pk in ids.values()}, date(2026, 11, 28), today=TODAY)
    activity = Activity.objects.get()
    assert (activity.org, activity.type.name, activity.date) == (tree.orgs.a, "民主评议党员", date(2026, 11, 28))
    appraisal.refresh_from_db()
    assert appraisal.activity == activity


def test_paper_tallies_cannot_exceed_the_ballots_cast(tree, appraisal):
    services.open_voting(appraisal)
    wang = appraisal.participants.get(name="王书记")
    with pytest.raises(services.AppraisalError, match="王书记的各等次票数合计4张，多于纸质选票3张"):
        services.enter_paper_ballots(tree.users.secretary_a, appraisal, 3, {wang.pk: {"优秀": 2, "合格": 2}})
    wang.refresh_from_db()
    assert wang.paper_excellent == 0 and appraisal.poll.paper_ballots == 0
    services.enter_paper_ballots(tree.users.secretary_a, appraisal, 3, {wang.pk: {"优秀": 2, "合格": 1}})
    grade_all(appraisal, tree.users.member_a, overrides={"王书记": "优秀"})
    counts = {t.participant.name: t.counts for t in services.tallies(appraisal)}
    assert counts["王书记"]["优秀"] == 3 and counts["王书记"]["合格"] == 1


def test_tallies_are_hidden_below_the_minimum(tree):
    appraisal = services.create(tree.users.secretary_a, tree.orgs.a, YEAR)  # default minimum: 5
    services.open_voting(appraisal)
    grade_all(appraisal, tree.users.member_a)
    assert services.tallies(appraisal) is None
    services.enter_paper_ballots(tree.users.secretary_a, appraisal, 4, {})
    assert services.tallies(appraisal) is not None


def test_participation_rate_counts_against_full_members(tree, appraisal):
    add_members(tree.orgs.a, 1, prefix="预备", category=Category.PROBATIONARY)
    services.sync_participants(appraisal)
    services.open_voting(appraisal)
    grade_all(appraisal, tree.users.member_a)
    rate = services.participation(appraisal)
    assert (rate.due, rate.took_part, rate.percent, rate.meets_target) == (3, 1, 33.3, False)
