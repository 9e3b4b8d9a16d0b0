"""Password rules in Chinese on every password set; failed logins limited per login name and per address."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.orgs.accounts import AccountRequest, create_account


@pytest.mark.parametrize(
    "password, message",
    [
        ("short1", "密码太短，至少需要 8 个字符"),
        ("12345678901", "密码不能全是数字"),
        ("password123", "这个密码太常见"),
        ("wangting2026", "密码与登录名太相似"),
    ],
)
def test_each_password_rule_answers_in_chinese_when_a_login_is_opened(tree, password, message):
    with pytest.raises(ValidationError) as error:
        create_account(tree.users.secretary_a, AccountRequest("wangting2026", password, person=tree.people.a_other))
    assert any(message in m for m in error.value.messages), error.value.messages
    assert not get_user_model().objects.filter(username="wangting2026").exists()


def test_a_good_password_is_accepted(tree):
    assert create_account(tree.users.secretary_a, AccountRequest("wangting2026", "Lv-7pine-river", person=tree.people.a_other))


def test_createadmin_refuses_a_password_like_its_login_name(db):
    with pytest.raises(CommandError, match="密码与登录名太相似"):
        call_command("createadmin", "zhangsanfeng", "--password", "zhangsanfeng")
    call_command("createadmin", "zhangsanfeng", "--password", "Lv-7pine-river")
    assert get_user_model().objects.get(username="zhangsanfeng").is_superuser


def test_account_command_applies_the_same_rules(tree):
    with pytest.raises(CommandError, match="密码太短"):
        call_command("account", "newclerk", "--password", "a1", "--role", "clerk", "--org", tree.orgs.a.name)


def test_changing_ones_password_on_the_web_checks_the_rules_in_chinese(client, tree):
    client.force_login(tree.users.secretary_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-Secret-123", "new_password1": "secretary_a", "new_password2": "secretary_a"},
    )
    assert response.status_code == 200
    assert "密码与登录名太相似" in response.content.decode()


def _fail(client, username, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=address)


def _sign_in(client, username, address="10.0.0.7") -> int:
    """The status of a login with the right password: 302 signed in, 429 locked out."""
    return client.post(reverse("login"), {"username": username, "password": "pw-Secret-123"},
                       REMOTE_ADDR=address).status_code


def test_five_wrong_passwords_for_one_login_lock_it_and_the_page_says_whom_to_ask(client, tree, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert _fail(client, "secretary_a").status_code == 200
    response = _fail(client, "secretary_a")
    assert response.status_code == 429
    page = response.content.decode()
    assert "支部的书记" in page and "党委管理员" in page and "zhibu " not in page and "<code>" not in page
    # the right password does not help while locked
    assert _sign_in(client, "secretary_a") == 429
    # another login from the same address is still let in (one name's limit is not the address's)
    assert _sign_in(client, "organiser") == 302


def test_one_wrong_password_on_each_of_many_logins_locks_the_address(client, tree, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for number in range(7):
        assert _fail(client, f"name{number}").status_code == 200
    assert _fail(client, "name7").status_code == 429
    # now even a correct password from that address is refused, while another address signs in
    assert _sign_in(client, "organiser") == 429
    assert _sign_in(client, "organiser", "10.0.0.8") == 302


def test_behind_a_proxy_the_address_it_forwards_is_counted(client, tree, settings):
    settings.LOGIN_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    proxy = "10.0.0.1"

    def post(name, forwarded, password="wrong"):
        return client.post(reverse("login"), {"username": name, "password": password}, REMOTE_ADDR=proxy,
                           HTTP_X_FORWARDED_FOR=forwarded)

    assert post("n0", "192.168.5.5").status_code == 200
    # what the visitor claims in front of the proxy's entry does not change who they are
    assert post("n1", "6.6.6.6, 192.168.5.5").status_code == 200
    assert post("n2", "7.7.7.7, 192.168.5.5").status_code == 429
    # another member behind the same proxy is not locked out by that
    assert post("organiser", "192.168.5.6", password="pw-Secret-123").status_code == 302
