"""The start page: managers see what needs doing across the product; members go to their own page."""

from datetime import date

from django.urls import reverse

from tests.clock import TODAY
from tests.lists.conftest import make_item


def test_a_manager_sees_what_is_due_and_overdue(client, tree):
    make_item(tree.orgs.a, year=TODAY.year, content="逾期未改的问题", deadline=date(2020, 1, 1))
    make_item(tree.orgs.b, year=TODAY.year, content="别的支部的问题", deadline=date(2020, 1, 1))
    client.force_login(tree.users.secretary_a)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200 and "工作台 · 甲支部" in content
    assert "逾期未改的问题" in content and "别的支部的问题" not in content
    assert response.context["bench"].overdue_count == 1
    due = response.context["bench"].due_now
    assert due and {f.org for f in due} == {"甲支部"}  # this month's meetings are still due; no other branch shows


def test_a_member_goes_to_their_own_page(client, tree):
    client.force_login(tree.users.member_a)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("mine")


def test_a_secretary_reaches_their_own_pages_through_one_menu_entry(client, tree):
    client.force_login(tree.users.secretary_a)
    content = client.get(reverse("org_tree")).content.decode()
    assert f'href="{reverse("mine")}">我的</a>' in content and "我的党费" not in content
    hub = client.get(reverse("mine")).content.decode()
    assert "我的党费" in hub and "我的积分" in hub and "签到" in hub


def test_a_login_without_a_person_has_no_own_corner(client, tree):
    client.force_login(tree.users.organiser)
    assert client.get(reverse("mine")).status_code == 404


def test_not_found_is_explained_in_chinese(client, tree, settings):
    settings.DEBUG = False
    client.force_login(tree.users.secretary_a)
    response = client.get(reverse("org_detail", args=[tree.orgs.c.pk]))
    assert response.status_code == 404 and "不在您有权查看的范围内" in response.content.decode()
