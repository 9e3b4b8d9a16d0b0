"""Opening logins: only within what the granting user manages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.orgs.accounts import AccountRequest, create_account
from zhibu.orgs.models import Grant, Role

PASSWORD = "a-Good-pass-2026"


def test_a_secretary_opens_a_member_login_in_their_branch(tree):
    user = create_account(tree.users.secretary_a, AccountRequest("zhao", PASSWORD, person=tree.people.a_other))
    tree.people.a_other.refresh_from_db()
    assert tree.people.a_other.user == user and not user.grants.exists()


def test_a_secretary_cannot_open_a_login_for_another_branchs_member(tree):
    with pytest.raises(ValidationError, match="无权"):
        create_account(tree.users.secretary_a, AccountRequest("sun", PASSWORD, person=tree.people.b_member))
    assert not get_user_model().objects.filter(username="sun").exists()


def test_a_secretary_cannot_grant_a_role_on_another_branch(tree):
    with pytest.raises(ValidationError, match="无权在该组织授权"):
        create_account(tree.users.secretary_a, AccountRequest("x", PASSWORD, role=Role.CLERK, org=tree.orgs.b))


def test_the_organiser_grants_a_clerk_on_a_branch_below(tree):
    user = create_account(tree.users.organiser, AccountRequest("clerk2", PASSWORD, role=Role.CLERK, org=tree.orgs.b))
    assert Grant.objects.get(user=user).org == tree.orgs.b


def test_every_problem_is_reported_at_once(tree):
    with pytest.raises(ValidationError) as error:
        create_account(tree.users.organiser, AccountRequest("secretary_a", "123", role=Role.SECRETARY, org=tree.orgs.committee))
    messages = error.value.messages
    assert any("已被使用" in m for m in messages) and any("密码" in m for m in messages) and any("必须是党支部" in m for m in messages)


def test_the_accounts_page_lists_only_the_managed_part(client, tree):
    client.force_login(tree.users.secretary_a)
    content = client.get(reverse("account_list")).content.decode()
    assert "member_a" in content and "clerk_b" not in content and "organiser" not in content


def test_members_cannot_reach_the_accounts_page(client, tree):
    client.force_login(tree.users.member_a)
    assert client.get(reverse("account_list")).status_code == 404
