"""Points pages: who sees which ranking, statement, record and scheme; adjustments, vetoes and scheme edits."""

from datetime import date
from decimal import Decimal

import pytest

from tests.clock import TODAY
from tests.points.conftest import YEAR, adjust, make_record
from zhibu.points.models import PointAdjustment, PointRule, PointScheme, PointVeto
from zhibu.records.models import ActivityType, Status


def login(client, user):
    client.force_login(user)
    return client


def test_a_member_sees_their_own_statement_and_nobody_elses(tree, example, client):
    login(client, tree.users.member_a)
    own = client.get(f"/points/person/{tree.people.a_member.pk}/{YEAR}/")
    assert own.status_code == 200 and "我的积分" in own.content.decode()
    assert "/adjust/" not in own.content.decode() and "/veto/" not in own.content.decode()  # no forms for a member
    for other in (tree.people.a_other, tree.people.b_member, tree.people.c_member):
        assert client.get(f"/points/person/{other.pk}/{YEAR}/").status_code == 404
    assert client.get(f"/points/branch/{tree.orgs.a.pk}/{YEAR}/").status_code == 404
    assert client.get("/points/schemes/").status_code == 404


def test_my_points_and_the_menu_take_a_member_to_their_own_year(tree, example, client):
    login(client, tree.users.member_a)
    response = client.get("/points/mine/")
    assert response.status_code == 302 and response["Location"] == f"/points/person/{tree.people.a_member.pk}/{TODAY.year}/"
    assert client.get("/points/").status_code == 302
    assert "我的积分" in client.get(f"/people/{tree.people.a_member.pk}/").content.decode()


@pytest.mark.parametrize("username", ["secretary_a", "clerk_b", "organiser"])
def test_an_edited_id_of_another_branch_answers_404(tree, example, client, username):
    user = getattr(tree.users, username)
    login(client, user)
    outsider = {"secretary_a": tree.people.b_member, "clerk_b": tree.people.a_member, "organiser": tree.people.c_member}[username]
    branch = outsider.branch
    adjustment = adjust(outsider, 2)
    veto = PointVeto.objects.create(person=outsider, year=YEAR, date=date(YEAR, 5, 1), reason="违纪")
    record = make_record(branch, "支部党员大会", date(YEAR, 3, 1), roll={outsider: Status.PRESENT})
    assert client.get(f"/points/branch/{branch.pk}/{YEAR}/").status_code == 404
    assert client.get(f"/points/?org={branch.pk}").status_code == 404
    assert client.get(f"/points/person/{outsider.pk}/{YEAR}/").status_code == 404
    assert client.get(f"/points/person/{outsider.pk}/record/{record.pk}/").status_code == 404
    assert client.post(f"/points/person/{outsider.pk}/{YEAR}/adjust/", {"date": f"{YEAR}-05-01", "points": "3", "reason": "x"}).status_code == 404
    assert client.post(f"/points/person/{outsider.pk}/{YEAR}/veto/", {"date": f"{YEAR}-05-01", "reason": "x"}).status_code == 404
    assert client.post(f"/points/adjustment/{adjustment.pk}/delete/").status_code == 404
    assert client.post(f"/points/veto/{veto.pk}/delete/").status_code == 404
    assert PointAdjustment.objects.count() == 1 and PointVeto.objects.count() == 1


def test_a_secretary_sees_the_branch_ranking_with_links_to_each_statement(tree, example, client):
    make_record(tree.orgs.a, "支部党员大会", date(YEAR, 3, 1), roll={tree.people.a_member: Status.PRESENT})
    login(client, tree.users.secretary_a)
    page = client.get(f"/points/branch/{tree.orgs.a.pk}/{YEAR}/").content.decode()
    assert "示例（可修改）" in page
    assert f'/points/person/{tree.people.a_member.pk}/{YEAR}/' in page
    table = page.split("<tbody>")[1]
    assert table.index("李党员") < table.index("王书记")  # 61 before 58 (absent without leave)
    assert client.get(f"/points/?org={tree.orgs.a.pk}&year={YEAR}")["Location"] == f"/points/branch/{tree.orgs.a.pk}/{YEAR}/"


def test_a_secretary_records_an_adjustment_and_it_shows_as_a_line(tree, example, client):
    login(client, tree.users.secretary_a)
    member = tree.people.a_member
    response = client.post(f"/points/person/{member.pk}/{YEAR}/adjust/", {"date": f"{YEAR}-05-01", "points": "-2", "reason": "任务未完成"})
    assert response.status_code == 302
    adjustment = PointAdjustment.objects.get()
    assert (adjustment.points, adjustment.created_by) == (Decimal(-2), tree.users.secretary_a)
    page = client.get(f"/points/person/{member.pk}/{YEAR}/").content.decode()
    assert "积分调整：任务未完成" in page and "58" in page
    client.post(f"/points/adjustment/{adjustment.pk}/delete/")
    assert not PointAdjustment.objects.exists()


@pytest.mark.parametrize("values, field, message", [
    ({"points": "0", "reason": "x"}, "points", "分值不能为0"),
    ({"points": "abc", "reason": "x"}, "points", "分值须是数字"),
    ({"points": "3", "reason": ""}, "reason", "请填写事由"),
    ({"points": "3", "reason": "x", "date": "2099-01-01"}, "date", "晚于今天"),
])
def test_a_bad_adjustment_is_refused_with_a_chinese_message_and_nothing_is_saved(tree, example, client, values, field, message):
    login(client, tree.users.secretary_a)
    data = {"date": f"{YEAR}-05-01", **values}
    response = client.post(f"/points/person/{tree.people.a_member.pk}/{YEAR}/adjust/", data)
    assert response.status_code == 200
    assert message in "".join(response.context["adjustment_form"].errors[field])
    assert not PointAdjustment.objects.exists()


def test_a_veto_zeroes_the_year_and_can_be_withdrawn(tree, example, client):
    login(client, tree.users.secretary_a)
    member = tree.people.a_member
    adjust(member, 5)
    client.post(f"/points/person/{member.pk}/{YEAR}/veto/", {"date": f"{YEAR}-09-01", "reason": "受到党内警告处分"})
    veto = PointVeto.objects.get(person=member, year=YEAR)
    page = client.get(f"/points/person/{member.pk}/{YEAR}/")
    assert page.context["statement"].total == 0 and "一票否决，全年积分为0" in page.content.decode()
    client.post(f"/points/veto/{veto.pk}/delete/")
    assert client.get(f"/points/person/{member.pk}/{YEAR}/").context["statement"].total == 65


def test_a_member_opens_the_record_behind_a_line_but_not_any_other_record(tree, example, client):
    member = tree.people.a_member
    counted = make_record(tree.orgs.a, "支部党员大会", date(YEAR, 3, 1), subject="传达会议精神", roll={member: (Status.LEAVE, "出差")})
    unruled = make_record(tree.orgs.a, "志愿服务", date(YEAR, 3, 2), roll={member: Status.PRESENT})
    elsewhere = make_record(tree.orgs.b, "支部党员大会", date(YEAR, 3, 3), roll={tree.people.b_member: Status.PRESENT})
    login(client, tree.users.member_a)
    statement = client.get(f"/points/person/{member.pk}/{YEAR}/").content.decode()
    assert f"/points/person/{member.pk}/record/{counted.pk}/" in statement
    page = client.get(f"/points/person/{member.pk}/record/{counted.pk}/").content.decode()
    assert "传达会议精神" in page and "请假（出差）" in page and "打开工作记录" not in page
    assert client.get(f"/points/person/{member.pk}/record/{unruled.pk}/").status_code == 404
    assert client.get(f"/points/person/{member.pk}/record/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/records/{counted.pk}/").status_code == 404  # the branch's record itself stays closed


def test_only_a_committee_administrator_edits_schemes(tree, example, client):
    login(client, tree.users.secretary_a)
    assert client.get("/points/schemes/").status_code == 200
    assert client.get(f"/points/schemes/{example.pk}/edit/").status_code == 404
    assert client.get("/points/schemes/new/").status_code == 404
    other = PointScheme.objects.create(name="另一党委方案", org=tree.orgs.other_root)
    login(client, tree.users.organiser)
    # The default scheme is every unit's: one committee's edit must not change the others' points.
    assert client.get(f"/points/schemes/{example.pk}/edit/").status_code == 404
    own = PointScheme.objects.create(name="本党委方案", org=tree.orgs.committee)
    assert client.get(f"/points/schemes/{own.pk}/edit/").status_code == 200
    assert client.get(f"/points/schemes/{other.pk}/edit/").status_code == 404
    assert client.post(f"/points/schemes/{other.pk}/delete/").status_code == 404
    assert "另一党委方案" not in client.get("/points/schemes/").content.decode()


def _grid(scheme, **overrides):
    data = {"name": scheme.name, "from_year": scheme.from_year, "base": "60", "floor": "0", "cap": "", "note": ""}
    for rule in scheme.rules.all():
        for field in ("present", "leave", "absent"):
            data[f"rule-{rule.activity_type_id}-{field}"] = str(getattr(rule, field))
    data.update(overrides)
    return data


def test_a_system_administrator_changes_the_default_rules_on_the_page(tree, example, client):
    login(client, tree.users.admin)
    lesson = ActivityType.objects.get(name="党课")
    volunteer = ActivityType.objects.get(name="志愿服务")
    response = client.post(f"/points/schemes/{example.pk}/edit/", _grid(
        example, cap="100", **{f"rule-{lesson.pk}-absent": "-3", f"rule-{volunteer.pk}-present": "2",
                               f"rule-{lesson.pk}-present": "", f"rule-{lesson.pk}-leave": ""}))
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.cap == 100
    assert PointRule.objects.get(scheme=example, activity_type=lesson).absent == -3
    assert PointRule.objects.get(scheme=example, activity_type=volunteer).present == 2


def test_bad_values_in_the_rules_grid_save_nothing_and_say_which_type(tree, example, client):
    login(client, tree.users.admin)
    lesson = ActivityType.objects.get(name="党课")
    response = client.post(f"/points/schemes/{example.pk}/edit/", _grid(
        example, base="50", floor="70", **{f"rule-{lesson.pk}-absent": "扣两分"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "党课的缺席：“扣两分”不是数字" in page and "最低分（70" in page
    example.refresh_from_db()
    assert example.base == 60 and PointRule.objects.get(scheme=example, activity_type=lesson).absent == -2


def test_a_committee_sets_its_own_scheme_starting_from_the_default(tree, example, client):
    login(client, tree.users.organiser)
    page = client.get(f"/points/schemes/new/?org={tree.orgs.committee.pk}")
    assert "从“党员积分示例方案”复制而来" in page.content.decode()
    data = _grid(example, name="机关党委积分方案", org=tree.orgs.committee.pk, from_year=YEAR, base="70")
    assert client.post(f"/points/schemes/new/?org={tree.orgs.committee.pk}", data).status_code == 302
    scheme = PointScheme.objects.get(name="机关党委积分方案")
    assert scheme.org == tree.orgs.committee and scheme.rules.count() == example.rules.count()
    assert PointScheme.for_org(tree.orgs.a, YEAR) == scheme
    # A committee administrator may not add a second default for everyone.
    data = _grid(example, name="另一个默认", from_year=YEAR, org="")
    assert client.post("/points/schemes/new/", data).status_code == 200
    assert not PointScheme.objects.filter(name="另一个默认").exists()
