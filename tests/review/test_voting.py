"""Who votes, once, while voting is open — and nothing links a grade to its voter."""

import io

import openpyxl
import pytest

from tests.review.conftest import make_session, make_voters, reportee_of, vote
from zhibu.orgs.models import Category, Person
from zhibu.review import services
from zhibu.review.models import Ballot, Grade
from zhibu.ballots.models import Receipt
from zhibu.review.voters import eligible_voters, sessions_for_voter


def test_the_electorate_is_full_members_with_logins_and_committee_admins(tree, session):
    usernames = set(eligible_voters(tree.orgs.committee).values_list("username", flat=True))
    assert usernames == {"member_a", "secretary_a", "organiser"}


def test_probationary_members_and_other_committees_do_not_vote(tree, session):
    probationary = make_voters(tree.orgs.b, 1, prefix="预备")[0]
    Person.objects.filter(user=probationary).update(category=Category.PROBATIONARY, full_on=None)
    other = make_voters(tree.orgs.c, 1, prefix="外单位")[0]
    for user in (probationary, other, tree.users.clerk_b, tree.users.nobody, tree.users.admin):
        assert not sessions_for_voter(user).filter(pk=session.pk).exists(), user.username
        assert not eligible_voters(tree.orgs.committee).filter(pk=user.pk).exists(), user.username


def test_both_sides_of_the_voter_rule_agree(tree, session):
    make_voters(tree.orgs.a, 2)
    other = make_session(tree.orgs.other_root)
    make_voters(tree.orgs.c, 2)
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        for each in (session, other):
            from_session = eligible_voters(each.committee).filter(pk=user.pk).exists()
            assert from_session == sessions_for_voter(user).filter(pk=each.pk).exists(), (user.username, each.committee.name)


def test_a_ballot_is_stored_without_its_voter(tree, voting):
    vote(tree.users.member_a, voting, {tree.orgs.a: "好", tree.orgs.b: "较好"}, {tree.orgs.a: "学习抓得紧"})
    assert Receipt.objects.filter(poll=voting.poll, user=tree.users.member_a).count() == 1
    ballot = Ballot.objects.get()
    assert sorted(Grade.objects.values_list("grade", flat=True)) == ["好", "较好"]
    # No column of a ballot or a grade refers to a user, and their keys are random, not counting numbers.
    for model in (Ballot, Grade):
        assert not [f for f in model._meta.get_fields() if f.is_relation and f.related_model and f.related_model._meta.model_name == "user"]
        assert model._meta.pk.get_internal_type() == "UUIDField"
    assert ballot.pk.version == 4


def test_a_voter_cannot_vote_twice(tree, voting):
    vote(tree.users.member_a, voting, {tree.orgs.a: "好", tree.orgs.b: "好"})
    with pytest.raises(services.ReviewError, match="已经投过票"):
        vote(tree.users.member_a, voting, {tree.orgs.a: "差", tree.orgs.b: "差"})
    assert sorted(Grade.objects.values_list("grade", flat=True)) == ["好", "好"]


def test_the_database_refuses_a_second_receipt_even_past_the_check(tree, voting):
    from django.db import IntegrityError, transaction

    Receipt.objects.create(poll=voting.poll, user=tree.users.member_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(poll=voting.poll, user=tree.users.member_a)


@pytest.mark.parametrize("status_step", ["preparing", "ended"])
def test_nobody_votes_before_opening_or_after_closing(tree, session, status_step):
    if status_step == "ended":
        services.open_voting(session)
        services.close_voting(tree.users.organiser, session)
    session.refresh_from_db()
    with pytest.raises(services.ReviewError, match="不在投票中"):
        vote(tree.users.member_a, session, {tree.orgs.a: "好", tree.orgs.b: "好"})
    assert not Grade.objects.exists() and not Receipt.objects.exists()


def test_a_ballot_missing_a_grade_writes_nothing_and_names_the_branch(tree, voting):
    with pytest.raises(services.ReviewError, match="乙支部"):
        services.cast_ballot(tree.users.member_a, voting, {reportee_of(voting, tree.orgs.a).pk: ("好", ""),
                                                          reportee_of(voting, tree.orgs.b).pk: ("优秀", "")})
    assert not Grade.objects.exists() and not Receipt.objects.exists() and not Ballot.objects.exists()


def test_an_outsider_is_refused(tree, voting):
    with pytest.raises(services.ReviewError, match="不在这次评议的投票人范围内"):
        vote(tree.users.clerk_b, voting, {tree.orgs.a: "好", tree.orgs.b: "好"})


def _close(tree, session):
    services.close_voting(tree.users.organiser, session)
    session.refresh_from_db()


def test_results_page_and_export_show_counts_never_voter_names(client, tree, voting):
    vote(tree.users.member_a, voting, {tree.orgs.a: "好", tree.orgs.b: "一般"}, {tree.orgs.b: "组织生活不够经常"})
    vote(tree.users.secretary_a, voting, {tree.orgs.a: "较好", tree.orgs.b: "一般"})
    _close(tree, voting)
    client.force_login(tree.users.organiser)
    page = client.get(f"/review/{voting.pk}/results/").content.decode()
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/review/{voting.pk}/results.xlsx").content))
    exported = "\n".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert "组织生活不够经常" in page and "组织生活不够经常" in exported
    assert "共 2 张有效选票" in page
    for voter_name in ("李党员", "member_a", "secretary_a"):
        assert voter_name not in page and voter_name not in exported
    # 王书记 voted too, but appears only once: as 甲支部's secretary under review.
    assert page.count("王书记") == 1 and exported.count("王书记") == 1


def test_results_stay_hidden_while_voting(client, tree, voting):
    vote(tree.users.member_a, voting, {tree.orgs.a: "好", tree.orgs.b: "一般"})
    client.force_login(tree.users.organiser)
    response = client.get(f"/review/{voting.pk}/results/", follow=True)
    assert "投票结束后才能查看结果" in response.content.decode()
    assert client.get(f"/review/{voting.pk}/results.xlsx").status_code == 302


def test_a_second_ballot_that_slips_past_the_check_is_refused_by_the_receipt(tree, voting, monkeypatch):
    """Two submissions at the same moment both pass the "already voted?" check; the receipt's constraint stops one."""
    from types import SimpleNamespace

    vote(tree.users.member_a, voting, {tree.orgs.a: "好", tree.orgs.b: "好"})
    blind = SimpleNamespace(objects=SimpleNamespace(filter=lambda **_: SimpleNamespace(exists=lambda: False),
                                                    create=Receipt.objects.create))
    from zhibu.ballots import services as ballot_services

    monkeypatch.setattr(ballot_services, "Receipt", blind)
    with pytest.raises(services.ReviewError, match="已经投过票"):
        vote(tree.users.member_a, voting, {tree.orgs.a: "差", tree.orgs.b: "差"})
    assert Ballot.objects.count() == 1 and Grade.objects.count() == 2
