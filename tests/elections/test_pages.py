"""The election's pages and documents: scoped to the branch's managers; a member's phone ballot; the .docx."""

import io
from datetime import date

import docx

from tests.appraisal.conftest import add_members
from zhibu.ballots.models import Receipt
from zhibu.elections import services
from zhibu.elections.models import Election, Status


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_secretary_runs_an_election_on_the_pages(client, tree, clock):
    clock.move_to(date(2026, 12, 1))  # the election of November 2026, entered once it is over
    add_members(tree.orgs.a, 3)  # six full members
    client.force_login(tree.users.secretary_a)
    client.post("/elections/", {"branch": tree.orgs.a.pk, "seats": 1, "margin_percent": 20, "quorum_numerator": 4, "quorum_denominator": 5})
    election = Election.objects.get()
    people = {p.name: p for p in tree.orgs.a.people.all()}
    for name in ("王书记", "李党员"):
        client.post(f"/elections/{election.pk}/candidates/", {"person": people[name].pk})
    page = client.post(f"/elections/{election.pk}/candidates/", {"person": tree.people.b_member.pk}, follow=True)
    assert page.status_code == 404  # outside the secretary's scope
    request_text = _text(client.get(f"/elections/{election.pk}/request.docx").content)
    assert "关于甲支部换届选举的请示" in request_text and "李党员、王书记" in request_text.replace("王书记、李党员", "李党员、王书记")
    assert "本支部现有正式党员6名" in request_text
    client.post(f"/elections/{election.pk}/approved/", {"on": "2026-11-01", "ref": "机党发〔2026〕1号"})
    page = client.post(f"/elections/{election.pk}/meeting/", {"meeting_on": "2026-11-20", "attended": "4"}, follow=True).content.decode()
    assert "应到6人，实到4人，不足应到的4/5" in page
    client.post(f"/elections/{election.pk}/meeting/", {"meeting_on": "2026-11-20", "attended": "6"})
    election.refresh_from_db()
    assert election.status == Status.VOTING
    client.force_login(tree.users.member_a)
    entries = {e.candidate.name: e.pk for e in election.current_round().entries.select_related("candidate")}
    assert "甲支部书记换届选举" in client.get("/me/").content.decode()
    too_many = client.post(f"/elections/mine/{election.pk}/vote/", {f"entry_{pk}": "1" for pk in entries.values()})
    assert too_many.status_code == 400 and "本轮应选1名，您选了2名" in too_many.content.decode()
    client.post(f"/elections/mine/{election.pk}/vote/", {f"entry_{entries['王书记']}": "1"})
    assert Receipt.objects.filter(user=tree.users.member_a).count() == 1
    client.force_login(tree.users.secretary_a)
    client.post(f"/elections/{election.pk}/paper/", {"count": "5", f"votes_{entries['王书记']}": "4", f"votes_{entries['李党员']}": "1"})
    client.post(f"/elections/{election.pk}/close/")
    election.refresh_from_db()
    assert election.status == Status.COUNTED and election.secretary.name == "王书记"
    report = _text(client.get(f"/elections/{election.pk}/report.docx").content)
    assert "应到会有选举权的党员6名，实到6名" in report and "当选：王书记" in report
    client.post(f"/elections/{election.pk}/result/", {"on": "2026-11-25", "ref": "机党发〔2026〕9号"})
    tree.orgs.a.refresh_from_db()
    assert tree.orgs.a.elected_on == date(2026, 11, 20)
    ledger = client.get(f"/records/ledgers/huanjie/?org={tree.orgs.a.pk}&year=2026")
    assert ledger.status_code == 200


def test_other_logins_get_404(client, tree):
    election = services.create(tree.users.secretary_a, tree.orgs.a, 1)
    client.force_login(tree.users.clerk_b)
    for url in (f"/elections/{election.pk}/", f"/elections/{election.pk}/request.docx", f"/elections/mine/{election.pk}/vote/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/elections/{election.pk}/close/").status_code == 404


def test_bad_input_is_answered_in_chinese(client, tree):
    client.force_login(tree.users.secretary_a)
    page = client.post("/elections/", {"branch": tree.orgs.a.pk, "seats": "x", "margin_percent": 20,
                                       "quorum_numerator": 4, "quorum_denominator": 5}, follow=True)
    assert page.status_code == 200 and "“应选名额”应填0或正整数" in page.content.decode()
    election = services.create(tree.users.secretary_a, tree.orgs.a, 1)
    page = client.post(f"/elections/{election.pk}/approved/", {"on": "bad"}, follow=True).content.decode()
    assert "请填写“批复日期”" in page
    page = client.post(f"/elections/{election.pk}/close/", follow=True).content.decode()
    assert "只有在“党员大会投票”阶段可以结束投票" in page
