"""签到 and 积分排名 are tools a unit chooses: switched off for a committee, they are off in its whole subtree."""

from django.urls import reverse

from tests.clock import TODAY
from zhibu.orgs.models import OrgOptions, option_on
from zhibu.records import signin
from zhibu.records.models import Activity, ActivityType


def test_a_committee_switches_sign_in_and_ranking_off_for_its_subtree_only(client, tree):
    client.force_login(tree.users.organiser)
    assert client.post(reverse("org_options", args=[tree.orgs.committee.pk]), {}).status_code == 302
    assert not option_on(tree.orgs.a, "sign_in") and not option_on(tree.orgs.group_a, "points_ranking")
    assert option_on(tree.orgs.c, "sign_in")  # another committee's branch
    meeting = Activity.objects.create(org=tree.orgs.a, type=ActivityType.objects.get(name="主题党日"), date=TODAY)
    assert "本单位没有使用签到" in signin.can_open(meeting, TODAY)
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("points_ranking", args=[tree.orgs.a.pk, TODAY.year])).content.decode()
    assert "未使用积分排名" in page and "名次" not in page


def test_only_those_who_choose_for_a_unit_see_its_options(client, tree):
    client.force_login(tree.users.clerk_b)
    assert client.get(reverse("org_options", args=[tree.orgs.b.pk])).status_code == 404
    client.force_login(tree.users.secretary_a)
    assert client.get(reverse("org_options", args=[tree.orgs.committee.pk])).status_code == 404
    assert client.post(reverse("org_options", args=[tree.orgs.a.pk]), {"points_ranking": "on"}).status_code == 302
    assert OrgOptions.objects.get(org=tree.orgs.a).sign_in is False
