"""Changes to who may do what and how figures are computed are kept in history and shown on the thing's page."""

from django.urls import reverse

from tests.clock import LAST_YEAR
from zhibu.compliance.models import Rule
from zhibu.orgs.accounts import AccountRequest, create_account
from zhibu.orgs.models import Grant, PersonPost, Post, Role
from zhibu.points.models import PointScheme
from zhibu.records.models import ActivityType
from zhibu.review.models import ReviewSession


def test_a_grant_records_who_granted_it_and_the_accounts_page_shows_it(client, tree):
    user = create_account(tree.users.organiser, AccountRequest("clerk_new", "Lv-7pine-river", role=Role.CLERK, org=tree.orgs.a))
    entry = Grant.history.get(user_id=user.pk)
    assert entry.history_type == "+" and entry.history_user == tree.users.organiser
    Grant.objects.get(user=user).delete()
    assert list(Grant.history.filter(user_id=user.pk).values_list("history_type", flat=True).order_by("history_date")) == ["+", "-"]
    client.force_login(tree.users.organiser)
    page = client.get(reverse("account_list")).content.decode()
    assert "授权和账号变更记录" in page and "clerk_new · 甲支部 · 党务干事" in page and "删除" in page
    # a secretary of another branch does not see grants outside their branch
    client.force_login(tree.users.clerk_b)
    assert "clerk_new" not in client.get(reverse("account_list")).content.decode()


def test_posts_changed_on_the_person_form_are_in_the_persons_history(client, tree):
    person = tree.people.a_other
    client.force_login(tree.users.secretary_a)
    values = {
        "name": person.name, "branch": person.branch_id, "category": person.category, "posts": [Post.ORGANISATION],
        "admitted_on": person.admitted_on.isoformat(), "full_on": person.full_on.isoformat(), "dues_category": person.dues_category,
    }
    assert client.post(reverse("person_edit", args=[person.pk]), values).status_code == 302
    entry = PersonPost.history.get(person_id=person.pk)
    assert entry.post == Post.ORGANISATION and entry.history_user == tree.users.secretary_a
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "党内职务" in page and "王书记" in page  # the person behind the login


def test_a_rule_change_shows_each_value_before_and_after_on_the_rules_page(client, tree):
    rule = Rule.objects.get(key="congress_quarterly")
    client.force_login(tree.users.admin)  # the defaults: a system administrator's
    values = {"minimum": rule.minimum + 1, "severity": rule.severity, "points": rule.points, "enabled": "on",
              "param_needs_committee": "on"}
    assert client.post(reverse("rule_edit", args=[rule.pk]), values).status_code == 302
    entry = rule.history.first()
    assert entry.history_user == tree.users.admin and entry.minimum == rule.minimum + 1
    page = client.get(reverse("rule_list")).content.decode()
    assert f"每周期最少次数：{rule.minimum} → {rule.minimum + 1}" in page and "admin" in page


def test_an_activity_type_change_is_on_the_types_page(client, tree):
    kind = ActivityType.objects.get(name="支部党员大会")
    client.force_login(tree.users.organiser)
    values = {"name": kind.name, "aliases": "党员大会", "group": kind.group, "takes_attendance": "on", "expected": kind.expected,
              "measure": kind.measure, "unit": kind.unit, "active": "on", "position": kind.position}
    response = client.post(reverse("type_edit", args=[kind.pk]), values)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert kind.history.first().history_user == tree.users.organiser
    page = client.get(reverse("type_list")).content.decode()
    assert "别名：" in page and "→ 党员大会" in page


def test_review_weights_changed_are_in_the_sessions_history(client, tree):
    session = ReviewSession.objects.create(committee=tree.orgs.committee, year=LAST_YEAR, title="述职评议")
    session.vote_weight, session.compliance_weight = 60, 40
    session._history_user = tree.users.organiser
    session.save()
    client.force_login(tree.users.organiser)
    page = client.get(reverse("review_detail", args=[session.pk])).content.decode()
    assert "投票得分权重（%）：40 → 60；规范化建设得分权重（%）：60 → 40" in page
    assert "organiser" in page


def test_a_points_scheme_shows_its_changes(client, tree):
    scheme = PointScheme.objects.create(name="机关党委方案", org=tree.orgs.committee, from_year=2026)
    scheme.name = "机关党委积分方案"
    scheme.save()
    client.force_login(tree.users.organiser)
    page = client.get(reverse("points_scheme_edit", args=[scheme.pk])).content.decode()
    assert "方案名称：机关党委方案 → 机关党委积分方案" in page
