"""The appraisal's pages: scoped to the branch's managers, the member's phone ballot and own grade."""

from datetime import date

from tests.appraisal.conftest import YEAR
from zhibu.appraisal import services
from zhibu.appraisal.models import Appraisal, Status
from zhibu.ballots.models import Receipt


def test_a_secretary_creates_opens_and_evaluates_on_the_pages(client, tree):
    client.force_login(tree.users.secretary_a)
    response = client.post("/appraisal/", {"branch": tree.orgs.a.pk, "year": YEAR, "excellent_numerator": 1,
                                           "excellent_denominator": 3, "participation_target": 95, "min_ballots": 1})
    appraisal = Appraisal.objects.get()
    assert response.status_code == 302 and appraisal.participants.count() == 3
    client.post(f"/appraisal/{appraisal.pk}/open/")
    appraisal.refresh_from_db()
    assert appraisal.status == Status.VOTING
    client.force_login(tree.users.member_a)
    assert "甲支部2026年度民主评议党员" in client.get("/me/").content.decode()
    items = services.ballot_items(appraisal, tree.users.member_a)
    page = client.post(f"/appraisal/mine/{appraisal.pk}/vote/", {f"grade_{items[0].pk}": "优秀"})
    assert page.status_code == 400 and "还没有选择的" in page.content.decode()
    client.post(f"/appraisal/mine/{appraisal.pk}/vote/", {f"grade_{p.pk}": "合格" for p in items})
    assert Receipt.objects.filter(user=tree.users.member_a).count() == 1
    client.force_login(tree.users.secretary_a)
    assert "已投1人" in client.get(f"/appraisal/{appraisal.pk}/").content.decode()
    client.post(f"/appraisal/{appraisal.pk}/close/")
    ids = {p.name: p.pk for p in appraisal.participants.all()}
    form = {"evaluated_on": "2026-11-30", **{f"grade_{pk}": "合格" for pk in ids.values()}}
    form[f"grade_{ids['李党员']}"] = "不合格"
    page = client.post(f"/appraisal/{appraisal.pk}/evaluate/", form, follow=True).content.decode()
    assert "李党员评为不合格，请选择处置" in page
    form.update({f"disposal_{ids['李党员']}": "限期改正", f"follow_up_{ids['李党员']}": "2027-05-31"})
    client.post(f"/appraisal/{appraisal.pk}/evaluate/", form)
    appraisal.refresh_from_db()
    assert appraisal.status == Status.DONE
    for identifier in ("minzhu_pingyi", "minzhu_pingyi_docx"):
        download = client.get(f"/records/ledgers/{identifier}/?org={tree.orgs.a.pk}&year={YEAR}")
        assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(tree.users.member_a)
    assert "不合格" in client.get("/appraisal/mine/").content.decode()


def test_other_branches_and_members_get_404(client, tree):
    appraisal = services.create(tree.users.secretary_a, tree.orgs.a, YEAR)
    services.open_voting(appraisal)
    client.force_login(tree.users.clerk_b)
    assert client.get(f"/appraisal/{appraisal.pk}/").status_code == 404
    assert client.post(f"/appraisal/{appraisal.pk}/close/").status_code == 404
    assert client.get(f"/appraisal/mine/{appraisal.pk}/vote/").status_code == 404
    client.force_login(tree.users.member_a)
    assert client.get(f"/appraisal/{appraisal.pk}/").status_code == 404


def test_bad_numbers_get_a_message_not_an_error(client, tree):
    client.force_login(tree.users.secretary_a)
    page = client.post("/appraisal/", {"branch": tree.orgs.a.pk, "year": "abc", "excellent_numerator": 1,
                                       "excellent_denominator": 3, "participation_target": 95, "min_ballots": 5}, follow=True)
    assert page.status_code == 200 and "“年度”应填0或正整数" in page.content.decode()
    assert client.post("/appraisal/", {"branch": "x"}).status_code == 404
    assert not Appraisal.objects.exists()
