"""An account's life: grants only within one's power, revoke, disable, reset, unlock — by those above it, recorded."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhibu.orgs import access
from zhibu.orgs.accounts import AccountRequest, account_problems
from zhibu.orgs.forms import AccountForm
from zhibu.orgs.models import AccountEvent, Grant, Role


def test_each_role_is_offered_only_the_grants_within_its_power(tree):
    offered = lambda user: [value for value, _ in AccountForm(user=user).fields["role"].choices if value]
    assert offered(tree.users.organiser) == list(Role.values)
    assert offered(tree.users.secretary_a) == [Role.CLERK]  # not 党委管理员, not another 支部书记
    assert offered(tree.users.clerk_b) == []
    request = AccountRequest("new_secretary", "pw-Secret-123", role=Role.SECRETARY, org=tree.orgs.b)
    assert any("您不能授予“支部书记”" in problem for problem in account_problems(tree.users.clerk_b, request))


def test_a_secretary_revokes_a_clerk_but_not_a_peer_and_each_step_is_recorded(client, tree):
    clerk = get_user_model().objects.create_user("clerk_a", password="pw-Secret-123")
    grant = Grant.objects.create(user=clerk, org=tree.orgs.a, role=Role.CLERK)
    assert access.may_change_grant(tree.users.secretary_a, grant)
    secretary_grant = Grant.objects.get(user=tree.users.secretary_a)
    assert not access.may_change_grant(tree.users.secretary_a, secretary_grant)
    assert access.may_change_grant(tree.users.organiser, secretary_grant)
    client.force_login(tree.users.secretary_a)
    client.post(reverse("grant_revoke", args=[grant.pk]))
    assert not Grant.objects.filter(pk=grant.pk).exists()
    assert client.post(reverse("grant_revoke", args=[secretary_grant.pk])).status_code == 404
    page = client.get(reverse("account_list")).content.decode()
    assert "删除" in page and "clerk_a" in page


def test_disable_reset_and_unlock_a_member_login(client, tree):
    member = tree.users.member_a
    AccessAttempt.objects.create(username="member_a", ip_address="10.0.0.1", failures_since_start=5,
                                 user_agent="", get_data="", post_data="", http_accept="", path_info="/login/")
    client.force_login(tree.users.secretary_a)
    assert "解除锁定" in client.get(reverse("account_list")).content.decode()
    client.post(reverse("account_unlock"), {"account": member.pk})
    assert not AccessAttempt.objects.filter(username="member_a").exists()
    client.post(reverse("account_disable"), {"account": member.pk})
    member.refresh_from_db()
    assert not member.is_active
    client.post(reverse("account_enable"), {"account": member.pk})
    client.post(reverse("account_reset"), {"account": member.pk})
    page = client.get(reverse("account_list")).content.decode()
    member.refresh_from_db()
    password = page.split('class="password">')[1].split("<")[0]
    assert member.is_active and member.check_password(password)
    assert list(AccountEvent.objects.order_by("pk").values_list("what", flat=True)) == [
        "解除登录锁定", "停用登录", "启用登录", "重设密码"]
    assert "重设密码" in page and "王书记" in page  # in the history, by name


@pytest.mark.parametrize("target", ["secretary_a", "organiser", "admin"])
def test_a_clerk_or_secretary_cannot_touch_a_login_above_it(client, tree, target):
    client.force_login(tree.users.secretary_a)
    account = getattr(tree.users, target)
    assert client.post(reverse("account_disable"), {"account": account.pk}).status_code == 404
    account.refresh_from_db()
    assert account.is_active


def test_a_committee_admin_sees_every_grant_below_it(client, tree):
    client.force_login(tree.users.organiser)
    overview = client.get(reverse("account_list")).content.decode().split("授权一览")[1]
    assert "secretary_a" in overview and "clerk_b" in overview and "乙支部" in overview
