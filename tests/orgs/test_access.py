"""Per role: what an edited URL shows. Anything outside a login's part of the tree answers 404."""

import pytest
from django.urls import reverse

from zhibu.orgs import access
from zhibu.orgs.models import Person


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_it_limits_a_branch_secretary_to_their_branch_and_its_groups(tree):
    visible = set(access.visible_orgs(tree.users.secretary_a).values_list("name", flat=True))
    assert visible == {"甲支部", "甲一小组"}


def test_it_gives_a_committee_admin_the_whole_subtree_only(tree):
    visible = set(access.visible_orgs(tree.users.organiser).values_list("name", flat=True))
    assert visible == {"测试机关党委", "甲支部", "乙支部", "甲一小组"}


def test_it_shows_a_member_only_themselves(tree):
    people = list(access.visible_people(tree.users.member_a))
    assert people == [tree.people.a_member]
    assert not access.managed_orgs(tree.users.member_a).exists()


def test_it_shows_nothing_to_a_login_without_role_or_person(tree):
    assert not access.visible_orgs(tree.users.nobody).exists()
    assert not access.visible_people(tree.users.nobody).exists()


@pytest.mark.parametrize("role", ["secretary_a", "clerk_b", "member_a", "nobody"])
def test_an_edited_org_id_reveals_nothing(client, tree, role):
    foreign = {"secretary_a": tree.orgs.b, "clerk_b": tree.orgs.a, "member_a": tree.orgs.b, "nobody": tree.orgs.a}[role]
    user = getattr(tree.users, role)
    for name in ("org_detail", "org_edit"):
        response = _get(client, user, reverse(name, args=[foreign.pk]))
        assert response.status_code == 404, name
        assert foreign.name not in response.content.decode()
    response = _get(client, user, reverse("export_download") + f"?org={foreign.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["secretary_a", "clerk_b", "organiser", "member_a"])
def test_an_edited_person_id_reveals_nothing(client, tree, role):
    user = getattr(tree.users, role)
    foreign = tree.people.c_member if role != "member_a" else tree.people.a_other
    for name in ("person_detail", "person_edit"):
        response = _get(client, user, reverse(name, args=[foreign.pk]))
        assert response.status_code == 404
        assert foreign.name not in response.content.decode()


def test_a_secretary_cannot_change_another_branch_by_posting(client, tree):
    client.force_login(tree.users.secretary_a)
    target = tree.people.b_member
    response = client.post(reverse("person_edit", args=[target.pk]), {"name": "改名", "branch": tree.orgs.b.pk, "category": "正式党员"})
    assert response.status_code == 404
    assert Person.objects.get(pk=target.pk).name == "孙党员"


def test_a_secretary_cannot_move_a_person_into_another_branch(client, tree):
    client.force_login(tree.users.secretary_a)
    person = tree.people.a_other
    response = client.post(reverse("person_edit", args=[person.pk]), {
        "name": person.name, "branch": tree.orgs.b.pk, "category": "正式党员", "admitted_on": "2010-07-01",
        "dues_category": "在职",
    })
    # The branch is not editable on the person form (a move is a dated 组织关系变动): the value sent is ignored.
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).branch == tree.orgs.a


def test_a_member_may_see_their_own_page(client, tree):
    response = _get(client, tree.users.member_a, reverse("person_detail", args=[tree.people.a_member.pk]))
    assert response.status_code == 200
    assert "李党员" in response.content.decode()
    assert "编辑" not in response.content.decode()


def test_a_member_sees_no_one_else_in_lists(client, tree):
    response = _get(client, tree.users.member_a, reverse("person_list"))
    content = response.content.decode()
    assert "李党员" in content and "王书记" not in content and "赵同志" not in content


def test_the_people_list_filter_cannot_select_a_foreign_branch(client, tree):
    response = _get(client, tree.users.secretary_a, reverse("person_list") + f"?org={tree.orgs.c.pk}")
    content = response.content.decode()
    assert "周党员" not in content and "孙党员" not in content


def test_members_cannot_reach_import_or_export(client, tree):
    for name in ("import_upload", "export_download"):
        assert _get(client, tree.users.member_a, reverse(name)).status_code == 404


def test_the_organiser_exports_only_their_subtree(client, tree):
    import io

    from openpyxl import load_workbook

    response = _get(client, tree.users.organiser, reverse("export_download"))
    workbook = load_workbook(io.BytesIO(response.content))
    names = {row[0] for row in workbook["党组织"].iter_rows(min_row=2, values_only=True)}
    people = {row[0] for row in workbook["党员"].iter_rows(min_row=2, values_only=True)}
    assert names == {"测试机关党委", "甲支部", "乙支部", "甲一小组"}
    assert "周党员" not in people and "孙党员" in people


def test_anonymous_visitors_are_sent_to_login(client, tree):
    response = client.get(reverse("org_detail", args=[tree.orgs.a.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_branch_page_makes_the_same_number_of_queries_for_more_people(client, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhibu.orgs.models import Category, Person

    client.force_login(tree.users.secretary_a)
    url = reverse("org_detail", args=[tree.orgs.a.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        Person.objects.create(branch=tree.orgs.a, group=tree.orgs.group_a, name=f"新党员{number}",
                              category=Category.FULL, admitted_on="2015-07-01")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
