"""Creating a session: the committee and weights are checked, and the secretaries listed from the tree."""

from tests.clock import TODAY
from tests.review.conftest import LAST_YEAR
from zhibu.review.models import ReviewSession, Status

FORM = {"year": LAST_YEAR, "title": "", "vote_weight": 40, "compliance_weight": 60, "points_good": 100,
        "points_fairly_good": 80, "points_average": 60, "points_poor": 40, "band_good": 90, "band_fairly_good": 75,
        "band_average": 60, "min_ballots": 5}


def test_a_new_session_lists_every_branch_with_its_secretary(client, tree):
    client.force_login(tree.users.organiser)
    response = client.post("/review/new/", {**FORM, "committee": tree.orgs.committee.pk})
    session = ReviewSession.objects.get()
    assert response.status_code == 302 and session.status == Status.PREPARING
    assert session.title == f"{LAST_YEAR}年度党支部书记抓基层党建工作述职评议"
    assert sorted(session.reportees.values_list("branch__name", "secretary_name")) == [("乙支部", ""), ("甲支部", "王书记")]
    page = client.get(f"/review/{session.pk}/").content.decode()
    assert f"/reports/?org={tree.orgs.a.pk}&amp;year={LAST_YEAR}" in page
    assert f"/reports/download/?org={tree.orgs.a.pk}&amp;year={LAST_YEAR}" in page
    assert "应投 3 人，尚未开始投票" in page


def test_weights_must_add_up_and_grades_must_fall(client, tree):
    client.force_login(tree.users.organiser)
    data = {**FORM, "committee": tree.orgs.committee.pk, "vote_weight": 50, "points_average": 90}
    page = client.post("/review/new/", data).content.decode()
    assert "两项权重合计应为100，现在是50+60=110" in page
    assert "好 &gt; 较好 &gt; 一般 &gt; 差" in page
    assert not ReviewSession.objects.exists()


def test_one_review_per_committee_and_year(client, tree):
    client.force_login(tree.users.organiser)
    client.post("/review/new/", {**FORM, "committee": tree.orgs.committee.pk})
    page = client.post("/review/new/", {**FORM, "committee": tree.orgs.committee.pk}).content.decode()
    assert "该组织这一年度已有述职评议" in page and ReviewSession.objects.count() == 1


def test_a_future_year_is_refused(client, tree):
    client.force_login(tree.users.organiser)
    page = client.post("/review/new/", {**FORM, "committee": tree.orgs.committee.pk, "year": TODAY.year + 1}).content.decode()
    assert "年度应在2000至" in page and not ReviewSession.objects.exists()


def test_a_branch_cannot_be_chosen_as_the_organiser(client, tree):
    client.force_login(tree.users.admin)
    page = client.post("/review/new/", {**FORM, "committee": tree.orgs.a.pk}).content.decode()
    assert "选择一个有效的选项" in page and not ReviewSession.objects.exists()
    client.force_login(tree.users.secretary_a)
    assert "您管理的组织中没有这类组织" in client.get("/review/new/", follow=True).content.decode()


def test_settings_are_frozen_once_voting_opens(client, tree):
    client.force_login(tree.users.organiser)
    client.post("/review/new/", {**FORM, "committee": tree.orgs.committee.pk})
    session = ReviewSession.objects.get()
    client.post(f"/review/{session.pk}/open/")
    response = client.post(f"/review/{session.pk}/edit/", {**FORM, "committee": tree.orgs.committee.pk, "vote_weight": 30,
                                                           "compliance_weight": 70}, follow=True)
    assert "投票开始后不能再修改" in response.content.decode()
    assert ReviewSession.objects.get().vote_weight == 40
    again = client.post(f"/review/{session.pk}/open/", follow=True).content.decode()
    assert "只有“准备”中的评议可以开始投票" in again
