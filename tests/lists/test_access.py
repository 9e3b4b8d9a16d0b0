"""Per role: an edited item or evidence id answers 404 outside what the login may see, and changes nothing."""

import pytest
from django.urls import reverse

from tests.lists.conftest import PDF, PNG, upload
from zhibu.lists.evidence import attach_files
from zhibu.lists.models import Attachment, ListItem, Status


@pytest.fixture
def evidence(items):
    return {name: attach_files(getattr(items, name), [upload(f"{name}.pdf", PDF)], user=None)[0] for name in ("a", "b", "c")}


# Per role, an item it must not see at all.
FOREIGN = {"secretary_a": "b", "clerk_b": "a", "organiser": "c", "member_a": "b", "nobody": "a"}


def _login(client, tree, role):
    client.force_login(getattr(tree.users, role))


@pytest.mark.parametrize("role", FOREIGN)
def test_an_edited_item_id_reveals_nothing(client, tree, items, role):
    foreign = getattr(items, FOREIGN[role])
    _login(client, tree, role)
    for name in ("list_item", "list_item_edit"):
        response = client.get(reverse(name, args=[foreign.pk]))
        assert response.status_code == 404, name
        assert foreign.content not in response.content.decode()


@pytest.mark.parametrize("role", FOREIGN)
def test_an_edited_evidence_id_downloads_nothing(client, tree, evidence, role):
    foreign = evidence[FOREIGN[role]]
    _login(client, tree, role)
    assert client.get(reverse("list_evidence", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("list_evidence_delete", args=[foreign.pk])).status_code == 404
    assert Attachment.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("role", FOREIGN)
def test_posting_to_a_foreign_item_changes_nothing(client, tree, items, role):
    foreign = getattr(items, FOREIGN[role])
    _login(client, tree, role)
    responses = [
        client.post(reverse("list_item_status", args=[foreign.pk]), {"to": Status.IN_PROGRESS}),
        client.post(reverse("list_item_edit", args=[foreign.pk]), {"content": "改掉"}),
        client.post(reverse("list_evidence_upload", args=[foreign.pk]), {"files": upload("x.png", PNG)}),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    foreign.refresh_from_db()
    assert (foreign.status, foreign.attachments.count()) == (Status.NOT_STARTED, 0)


@pytest.mark.parametrize("role", ["secretary_a", "clerk_b", "member_a", "nobody"])
def test_a_ledger_of_a_foreign_organisation_is_not_found(client, tree, role):
    foreign = {"secretary_a": tree.orgs.b, "clerk_b": tree.orgs.a, "member_a": tree.orgs.a, "nobody": tree.orgs.a}[role]
    _login(client, tree, role)
    assert client.get(reverse("lists_ledger") + f"?org={foreign.pk}&year=2025").status_code == 404


def test_the_list_cannot_be_pointed_at_a_foreign_organisation(client, tree, items):
    _login(client, tree, "secretary_a")
    assert client.get(reverse("lists_index") + f"?org={tree.orgs.b.pk}").status_code == 404


def test_a_member_reads_their_own_item_and_may_add_evidence_but_not_close_it(client, tree, items):
    _login(client, tree, "member_a")
    page = client.get(reverse("list_item", args=[items.a.pk])).content.decode()
    assert "甲支部学习方式单一" in page and "确认完成" not in page and "编辑" not in page
    response = client.post(reverse("list_evidence_upload", args=[items.a.pk]), {"files": upload("整改照片.png", PNG)})
    assert response.status_code == 302
    assert items.a.attachments.get().name == "整改照片.png"
    response = client.post(reverse("list_item_status", args=[items.a.pk]),
                           {"to": Status.DONE, "completed_on": "2025-06-01", "completion_note": "已改"})
    assert response.status_code == 404
    items.a.refresh_from_db()
    assert items.a.status == Status.NOT_STARTED


def test_a_member_cannot_remove_evidence_even_on_their_own_item(client, tree, items):
    [attachment] = attach_files(items.a, [upload("a.pdf", PDF)], user=None)
    _login(client, tree, "member_a")
    assert client.post(reverse("list_evidence_delete", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_members_have_no_list_dashboard_or_create_page(client, tree, items):
    _login(client, tree, "member_a")
    assert client.get(reverse("list_item_new")).status_code == 404
    assert client.get(reverse("lists_index")).url == reverse("my_items")
    assert client.get(reverse("lists_dashboard")).url == reverse("my_items")


def test_a_secretary_cannot_file_an_item_under_another_branch(client, tree):
    _login(client, tree, "secretary_a")
    response = client.post(reverse("list_item_new"), {
        "org": tree.orgs.b.pk, "kind": "问题清单", "year": 2025, "content": "越权",
    })
    assert response.status_code == 200
    assert "所选的组织不存在，或不在您可选的范围内" in response.content.decode()
    assert not ListItem.objects.exists()


def test_a_downloaded_evidence_file_is_an_attachment_with_its_own_type(client, tree, evidence):
    _login(client, tree, "secretary_a")
    response = client.get(reverse("list_evidence", args=[evidence["a"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_visitors_are_sent_to_login(client, tree, items, evidence):
    for url in (reverse("list_item", args=[items.a.pk]), reverse("list_evidence", args=[evidence["a"].pk]), reverse("my_items")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_committee_admin_manages_a_branch_item(client, tree, items):
    _login(client, tree, "organiser")
    response = client.post(reverse("list_item_status", args=[items.b.pk]), {"to": Status.IN_PROGRESS})
    assert response.status_code == 302
    items.b.refresh_from_db()
    assert items.b.status == Status.IN_PROGRESS
    assert items.b.history.first().history_user == tree.users.organiser
