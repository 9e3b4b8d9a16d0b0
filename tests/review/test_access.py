"""Every review page answers 404 to a login outside the session's committee, for reading and for changing."""

import pytest

from tests.review.conftest import make_voters, make_session, vote
from zhibu.review import services
from zhibu.review.models import ReviewSession, Status
from zhibu.ballots.models import Receipt

ORGANISER_PAGES = ["/review/{pk}/", "/review/{pk}/edit/", "/review/{pk}/results/", "/review/{pk}/results.xlsx"]
ORGANISER_POSTS = ["/review/{pk}/open/", "/review/{pk}/close/", "/review/{pk}/problems/"]


@pytest.fixture
def foreign(tree):
    """A session of 另一党委, which nobody in 测试机关党委 manages or votes in."""
    return make_session(tree.orgs.other_root)


@pytest.mark.parametrize("role", ["organiser", "secretary_a", "clerk_b", "member_a", "nobody"])
@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_an_edited_session_id_reveals_nothing(client, tree, foreign, role, page):
    client.force_login(getattr(tree.users, role))
    assert client.get(page.format(pk=foreign.pk)).status_code == 404


@pytest.mark.parametrize("role", ["organiser", "secretary_a", "member_a"])
@pytest.mark.parametrize("page", ORGANISER_POSTS)
def test_posting_to_a_foreign_session_changes_nothing(client, tree, foreign, role, page):
    client.force_login(getattr(tree.users, role))
    assert client.post(page.format(pk=foreign.pk), {"grade": "x"}).status_code == 404
    assert ReviewSession.objects.get(pk=foreign.pk).status == Status.PREPARING


@pytest.mark.parametrize("role", ["secretary_a", "clerk_b", "member_a"])
def test_branch_logins_cannot_run_their_committees_review(client, tree, session, role):
    """A 支部书记 manages the branch, not the committee: the review is the committee's."""
    client.force_login(getattr(tree.users, role))
    for page in ORGANISER_PAGES:
        assert client.get(page.format(pk=session.pk)).status_code == 404, page
    assert client.post(f"/review/{session.pk}/open/").status_code == 404


def test_a_voter_cannot_open_a_ballot_of_another_committee(client, tree, foreign):
    services.open_voting(foreign)
    client.force_login(tree.users.member_a)
    assert client.get(f"/review/vote/{foreign.pk}/").status_code == 404
    assert client.post(f"/review/vote/{foreign.pk}/", {}).status_code == 404
    assert not Receipt.objects.exists()
    assert "现在没有需要您投票的述职评议" in client.get("/review/vote/").content.decode()


def test_the_organiser_runs_the_review_of_their_committee(client, tree, session):
    client.force_login(tree.users.organiser)
    assert client.get(f"/review/{session.pk}/").status_code == 200
    client.post(f"/review/{session.pk}/open/")
    assert ReviewSession.objects.get(pk=session.pk).status == Status.VOTING
    services.cast_ballot(tree.users.organiser, session, {r.pk: ("好", "") for r in session.reportees.all()})
    client.post(f"/review/{session.pk}/close/")
    assert ReviewSession.objects.get(pk=session.pk).status == Status.ENDED
    assert client.get(f"/review/{session.pk}/results/").status_code == 200


def test_a_member_sees_only_their_committees_open_sessions(client, tree, session, foreign):
    services.open_voting(session)
    services.open_voting(foreign)
    client.force_login(tree.users.member_a)
    page = client.get("/review/vote/").content.decode()
    assert session.title in page and "另一党委" not in page
    assert client.get("/review/").status_code == 302  # members have no organiser list: sent to their ballots


def test_the_results_ledger_is_scoped_like_the_pages(client, tree, foreign):
    voter = make_voters(tree.orgs.c, 1)[0]
    services.open_voting(foreign)
    services.cast_ballot(voter, foreign, {r.pk: ("好", "") for r in foreign.reportees.all()})
    services.close_voting(tree.users.admin, foreign)
    client.force_login(tree.users.organiser)
    assert client.get(f"/records/ledgers/shuzhi/?org={tree.orgs.other_root.pk}&year={foreign.year}").status_code == 404
    client.force_login(tree.users.admin)
    response = client.get(f"/records/ledgers/shuzhi/?org={tree.orgs.other_root.pk}&year={foreign.year}")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


def test_the_ledger_says_when_there_is_no_finished_review(client, tree, session):
    client.force_login(tree.users.organiser)
    response = client.get(f"/records/ledgers/shuzhi/?org={tree.orgs.committee.pk}&year={session.year}", follow=True)
    assert "投票结束后才有结果" in response.content.decode()
    response = client.get(f"/records/ledgers/shuzhi/?org={tree.orgs.committee.pk}&year={session.year - 1}", follow=True)
    assert f"没有{session.year - 1}年度的述职评议" in response.content.decode()


def test_a_vote_through_the_page_is_taken_once(client, tree, session):
    services.open_voting(session)
    a, b = (session.reportees.get(branch=org).pk for org in (tree.orgs.a, tree.orgs.b))
    client.force_login(tree.users.member_a)
    response = client.post(f"/review/vote/{session.pk}/", {f"grade_{a}": "好", f"grade_{b}": "较好", f"comment_{b}": "  "})
    assert response.status_code == 302
    again = client.post(f"/review/vote/{session.pk}/", {f"grade_{a}": "差", f"grade_{b}": "差"})
    assert again.status_code == 400 and "已经投过票" in again.content.decode()
    assert "您已经投过票了" in client.get(f"/review/vote/{session.pk}/").content.decode()


def test_a_ballot_missing_a_grade_comes_back_filled_in(client, tree, session):
    services.open_voting(session)
    a = session.reportees.get(branch=tree.orgs.a).pk
    client.force_login(tree.users.member_a)
    response = client.post(f"/review/vote/{session.pk}/", {f"grade_{a}": "好", f"comment_{a}": "很好的意见"})
    page = response.content.decode()
    assert response.status_code == 400 and "还没有选择的：乙支部" in page
    assert 'value="好" checked' in page and "很好的意见" in page
    assert not Receipt.objects.exists()


def test_a_closed_sessions_ballot_says_so(client, tree, session):
    services.open_voting(session)
    vote(tree.users.secretary_a, session, {tree.orgs.a: "好", tree.orgs.b: "好"})
    services.close_voting(tree.users.organiser, session)
    client.force_login(tree.users.member_a)
    assert "已经结束投票" in client.get(f"/review/vote/{session.pk}/").content.decode()
    a, b = (session.reportees.get(branch=org).pk for org in (tree.orgs.a, tree.orgs.b))
    response = client.post(f"/review/vote/{session.pk}/", {f"grade_{a}": "好", f"grade_{b}": "好"})
    assert response.status_code == 400 and Receipt.objects.count() == 1
