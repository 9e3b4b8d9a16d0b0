"""Work records as evidence: a linked 支委会 can close an item; only records of the item's branch or subtree qualify."""

from datetime import date

import pytest
from django.urls import reverse

from tests.lists.conftest import make_item
from tests.records.conftest import make_record
from zhibu.lists.evidence import EvidenceError, link_record, unlink_record
from zhibu.lists.rectification_ledger import build_ledger
from zhibu.lists.models import ListItem, RecordLink, Status
from zhibu.lists.workflow import change_status

TODAY = date(2025, 11, 20)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(tree):
    return make_record(tree.orgs.a, "支部委员会会议", date(2025, 9, 12), subject="检查整改落实情况")


def test_a_linked_record_is_enough_evidence_to_close(tree, meeting):
    item = make_item(tree.orgs.a, deadline=date(2025, 9, 30))
    link_record(item, meeting, user=tree.users.secretary_a)
    item = change_status(item, Status.DONE, on=date(2025, 9, 12), note="支委会检查，整改到位", today=TODAY)
    assert item.status == Status.DONE


def test_a_group_item_may_cite_its_branchs_record(tree, meeting):
    item = make_item(tree.orgs.group_a)
    assert link_record(item, meeting, user=None).activity == meeting


def test_a_record_of_another_branch_is_refused(tree):
    item = make_item(tree.orgs.a)
    foreign = make_record(tree.orgs.b, "支部党员大会", date(2025, 6, 1))
    with pytest.raises(EvidenceError, match="不属于甲支部或其下级组织"):
        link_record(item, foreign, user=None)
    assert not RecordLink.objects.exists()


def test_a_committee_item_may_cite_any_record_below_it(tree):
    item = make_item(tree.orgs.committee)
    record = make_record(tree.orgs.b, "支部党员大会", date(2025, 6, 1))
    assert link_record(item, record, user=None).item == item


def test_the_same_record_is_linked_once(tree, meeting):
    item = make_item(tree.orgs.a)
    link_record(item, meeting, user=None)
    with pytest.raises(EvidenceError, match="已关联"):
        link_record(item, meeting, user=None)


def test_the_link_of_a_closed_item_stays_until_it_is_reopened(tree, meeting):
    item = make_item(tree.orgs.a)
    link = link_record(item, meeting, user=None)
    change_status(item, Status.DONE, on=date(2025, 9, 12), note="已整改", today=TODAY)
    link.refresh_from_db()
    with pytest.raises(EvidenceError, match="请先重新打开"):
        unlink_record(link)
    change_status(item, Status.IN_PROGRESS, reason="复查发现反弹", today=TODAY)
    link = RecordLink.objects.get()
    unlink_record(link)
    assert not RecordLink.objects.exists()


def test_deleting_the_record_removes_the_link_and_the_ledger_says_so(tree, meeting):
    item = make_item(tree.orgs.a)
    link_record(item, meeting, user=None)
    change_status(item, Status.DONE, on=date(2025, 9, 12), note="已整改", today=TODAY)
    ledger = build_ledger(tree.orgs.a, 2025, items=ListItem.objects.all(), today=TODAY)
    assert ledger.rows()[0]["佐证材料"] == "工作记录：2025-09-12 支部委员会会议：检查整改落实情况"
    meeting.delete()
    ledger = build_ledger(tree.orgs.a, 2025, items=ListItem.objects.all(), today=TODAY)
    assert ledger.rows()[0]["备注"] == "无佐证材料"


def test_a_secretary_links_a_record_from_the_item_page(client, tree, meeting):
    item = make_item(tree.orgs.a)
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("list_item", args=[item.pk])).content.decode()
    assert f'<option value="{meeting.pk}">' in page
    page = client.post(reverse("list_record_link", args=[item.pk]), {"activity": meeting.pk}, **HTMX).content.decode()
    assert "已关联工作记录" in page and reverse("activity_detail", args=[meeting.pk]) in page
    assert item.record_links.get().linked_by == tree.users.secretary_a


def test_posting_a_record_of_another_branch_says_why_or_is_not_found(client, tree):
    item = make_item(tree.orgs.a)
    other = make_record(tree.orgs.b, "支部党员大会", date(2025, 6, 1))
    client.force_login(tree.users.secretary_a)  # cannot see 乙支部's record at all
    assert client.post(reverse("list_record_link", args=[item.pk]), {"activity": other.pk}).status_code == 404
    client.force_login(tree.users.organiser)  # sees it, but it is no evidence for 甲支部
    page = client.post(reverse("list_record_link", args=[item.pk]), {"activity": other.pk}, **HTMX).content.decode()
    assert "不属于甲支部或其下级组织" in page
    assert not RecordLink.objects.exists()


@pytest.mark.parametrize("role", ["clerk_b", "member_a", "nobody"])
def test_others_cannot_link_or_unlink(client, tree, meeting, role):
    item = make_item(tree.orgs.a, owner=tree.people.a_member)
    link = link_record(item, meeting, user=None)
    client.force_login(getattr(tree.users, role))
    assert client.post(reverse("list_record_link", args=[item.pk]), {"activity": meeting.pk}).status_code == 404
    assert client.post(reverse("list_record_unlink", args=[link.pk])).status_code == 404
    assert RecordLink.objects.filter(pk=link.pk).exists()


def test_the_owning_member_sees_that_records_are_linked_but_not_which(client, tree, meeting):
    item = make_item(tree.orgs.a, owner=tree.people.a_member)
    link_record(item, meeting, user=None)
    client.force_login(tree.users.member_a)
    page = client.get(reverse("list_item", args=[item.pk])).content.decode()
    assert "另有关联的工作记录1条" in page and "检查整改落实情况" not in page
