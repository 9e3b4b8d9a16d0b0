"""A member locked out is told whom to ask; their secretary unlocks the login and gives a new password."""

from zhibu.orgs.models import AccountEvent


def test_a_secretary_unlocks_and_resets_a_locked_out_members_login(web, phone, live_tree):
    web.login("secretary_a")  # first: a success from the same address would forget the failures below
    for _ in range(5):
        phone.login("member_a", "wrong-password")
    text = phone.page.locator("main").inner_text()
    assert "您所在党支部的书记" in text and "zhibu" not in text  # whom to ask, never a command
    phone.screenshot("accounts-locked-out-phone")

    web.goto("/accounts/")
    offered = web.page.locator("#id_role option").all_inner_texts()
    assert offered == ["（不授予，仅本人登录）", "党务干事"]
    row = web.page.locator("tr[data-account=member_a]")
    assert "已锁定" in row.inner_text()
    web.click_and_wait("tr[data-account=member_a] button.unlock")
    web.click_and_wait("tr[data-account=member_a] button.reset")
    assert "重设密码" in web.dialogs[-1]
    password = web.page.locator(".temporary-password .password").inner_text()
    web.screenshot("accounts-reset")
    assert "重设密码" in web.page.locator("section.history").inner_text()

    phone.login("member_a", password)
    assert "/login/" not in phone.page.url
    assert list(AccountEvent.objects.values_list("what", flat=True).order_by("pk")) == ["解除登录锁定", "重设密码"]
