"""A member grades the 民主测评 on a 390 px phone; a secretary closes an election whose result updates the committee."""

from tests.appraisal.conftest import add_members
from tests.clock import TODAY
from zhibu.appraisal import services as appraisal_services
from zhibu.appraisal.models import Mark
from zhibu.ballots.models import Receipt
from zhibu.elections import services as election_services
from zhibu.orgs.models import Organisation, PersonPost


def test_a_member_grades_the_appraisal_on_a_phone(phone, live_tree):
    tree = live_tree
    add_members(tree.orgs.a, 3)  # six graded: at most two 优秀
    appraisal = appraisal_services.create(tree.users.secretary_a, tree.orgs.a, TODAY.year, min_ballots=1)
    appraisal_services.open_voting(appraisal)
    phone.login("member_a")
    assert "正在投票" in phone.page.locator("#open-votes").inner_text()
    phone.click_and_wait("#open-votes a.item-card-link")
    names = phone.page.locator("fieldset.ballot-item legend").all_inner_texts()
    assert sorted(names) == ["党员0", "党员1", "党员2", "王书记", "赵同志"]  # everyone graded but the voter
    for name in ("王书记", "赵同志", "党员0"):
        phone.page.click(f"fieldset:has-text('{name}') .grade-choice:has-text('优秀')")
    for name in ("党员1", "党员2"):
        phone.page.click(f"fieldset:has-text('{name}') label.grade-choice >> nth=1")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the ballot is {width}px wide on a 390px phone"
    phone.screenshot("appraisal-ballot-phone")
    phone.click_and_wait("#submit-ballot")
    # Three 优秀 of six: the voter is told, and may still submit it as their own ballot.
    assert "超过了优秀比例" in phone.page.locator(".errors").inner_text()
    assert not Receipt.objects.exists()
    assert phone.page.locator("fieldset:has-text('党员0') input[value='优秀']").is_checked()
    phone.page.check("#confirm-over")
    phone.screenshot("appraisal-ballot-warning-phone")
    phone.click_and_wait("#submit-ballot")
    assert "已提交您在" in phone.page.content()
    assert Receipt.objects.count() == 1 and Mark.objects.filter(grade="优秀").count() == 3


def test_a_secretary_closes_the_election_and_the_committee_changes(web, live_tree):
    tree = live_tree
    add_members(tree.orgs.a, 5)  # eight full members
    people = {p.name: p for p in tree.orgs.a.people.all()}
    election = election_services.create(tree.users.secretary_a, tree.orgs.a, 3)
    for name in ("王书记", "李党员", "党员0", "党员1"):
        election_services.add_candidate(election, people[name])
    election_services.approve_candidates(election, TODAY, "机党发1号")
    election_services.open_meeting(election, TODAY, 8)
    election.refresh_from_db()
    web.login("secretary_a")
    web.goto(f"/elections/{election.pk}/")
    entries = {e.candidate.name: e.pk for e in election.current_round().entries.select_related("candidate")}
    web.page.fill("#id_count", "8")
    for name, votes in {"王书记": 5, "李党员": 8, "党员0": 7, "党员1": 3}.items():
        web.page.fill(f"#id_votes_{entries[name]}", str(votes))
    web.click_and_wait("form:has(#id_count) button")
    assert "已保存纸质选票" in web.page.content()
    web.click_and_wait("#close-round")
    assert "选举结果待批复" in web.page.locator("#election-status").inner_text()
    web.page.select_option("#id_secretary", label="李党员")
    web.page.select_option("#id_deputy", label="党员0")
    web.page.select_option(f"#id_post_{election.candidates.get(name='王书记').pk}", label="组织委员")
    web.click_and_wait("#save-officers")
    web.page.fill("#id_result_on", TODAY.isoformat())
    web.screenshot("election-approval")
    web.click_and_wait("#approve-result")
    assert "已记录上级批复" in web.page.content()
    posts = sorted(PersonPost.objects.filter(person__branch=tree.orgs.a).values_list("person__name", "post"))
    assert posts == [("党员0", "副书记"), ("李党员", "书记"), ("王书记", "组织委员")]
    assert Organisation.objects.get(pk=tree.orgs.a.pk).elected_on == TODAY
    web.screenshot("election-done")
