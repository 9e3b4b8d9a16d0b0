"""The list pages as a secretary uses them: create, filter, move through the statuses, dashboard, own items."""

import io
from datetime import date, timedelta
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import TODAY
from tests.lists.conftest import PNG, make_item, upload
from zhibu.lists.models import ListItem, Status

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def secretary(client, tree):
    client.force_login(tree.users.secretary_a)
    return client


def test_a_secretary_creates_an_item_owned_by_a_member(secretary, tree):
    response = secretary.post(reverse("list_item_new"), {
        "org": tree.orgs.a.pk, "kind": "问题清单", "year": TODAY.year, "source": "组织生活会",
        "content": "党员学习教育方式单一", "owner": tree.people.a_member.pk, "deadline": f"{TODAY.year}-12-31",
    })
    item = ListItem.objects.get()
    assert response.url == reverse("list_item", args=[item.pk])
    assert (item.owner, item.status, item.ref) == (tree.people.a_member, Status.NOT_STARTED, None)


def test_the_form_refuses_an_owner_from_the_wrong_branch_and_both_owner_fields(client, tree):
    client.force_login(tree.users.organiser)
    response = client.post(reverse("list_item_new"), {
        "org": tree.orgs.a.pk, "kind": "问题清单", "year": TODAY.year, "content": "x",
        "owner": tree.people.b_member.pk, "owner_text": "另一人",
    })
    page = response.content.decode()
    assert "孙党员不是甲支部或其下级组织的人员" in page
    assert "已选择名单中的责任人，就不要再填写名单外的责任人" in page
    assert not ListItem.objects.exists()


def test_the_list_shows_this_years_items_and_the_carried_ones(secretary, tree):
    make_item(tree.orgs.a, year=TODAY.year, content="今年的问题")
    make_item(tree.orgs.a, year=TODAY.year - 1, content="去年没改完的问题", deadline=date(TODAY.year - 1, 12, 1))
    make_item(tree.orgs.a, year=TODAY.year - 1, content="去年改完的问题", status=Status.DONE, completed_on=date(TODAY.year - 1, 6, 1))
    page = secretary.get(reverse("lists_index")).content.decode()
    assert "今年的问题" in page and "去年没改完的问题" in page and "去年改完的问题" not in page
    assert f"自{TODAY.year - 1}年结转" in page and "逾期" in page
    # Last year's rate, in the words the report may use.
    assert "整改完成率为50%（2项中完成1项）" in page


def test_filters_answer_with_the_rows_only_for_htmx(secretary, tree):
    make_item(tree.orgs.a, year=TODAY.year, content="逾期的", deadline=TODAY - timedelta(days=1), status=Status.IN_PROGRESS)
    make_item(tree.orgs.a, year=TODAY.year, content="今天到期的", deadline=TODAY, status=Status.IN_PROGRESS)
    response = secretary.get(reverse("lists_index") + f"?org={tree.orgs.a.pk}&year={TODAY.year}&overdue=1", **HTMX)
    page = response.content.decode()
    assert "<html" not in page
    assert "逾期的" in page and "今天到期的" not in page


def test_closing_through_htmx_without_evidence_shows_the_reason_in_place(secretary, tree):
    item = make_item(tree.orgs.a, year=TODAY.year)
    response = secretary.post(reverse("list_item_status", args=[item.pk]),
                              {"to": Status.DONE, "completed_on": TODAY.isoformat(), "completion_note": "已改"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="item-work"' in page and "<html" not in page
    assert "关闭事项须至少有一份佐证材料" in page
    item.refresh_from_db()
    assert item.status == Status.NOT_STARTED


def test_upload_then_close_through_htmx(secretary, tree):
    item = make_item(tree.orgs.a, year=TODAY.year)
    page = secretary.post(reverse("list_evidence_upload", args=[item.pk]), {"files": [upload("照片.png", PNG)]}, **HTMX).content.decode()
    assert "照片.png" in page and "已上传1份佐证材料" in page
    page = secretary.post(reverse("list_item_status", args=[item.pk]),
                          {"to": Status.DONE, "completed_on": TODAY.isoformat(), "completion_note": "已整改到位"}, **HTMX).content.decode()
    assert "状态已改为“已完成”" in page and "重新打开" in page
    item.refresh_from_db()
    assert (item.status, item.completed_on, item.completion_note) == (Status.DONE, TODAY, "已整改到位")


def test_a_bad_upload_is_refused_with_the_reason(secretary, tree):
    item = make_item(tree.orgs.a)
    page = secretary.post(reverse("list_evidence_upload", args=[item.pk]), {"files": [upload("病毒.pdf", b"MZ\x90")]}, **HTMX).content.decode()
    assert "“病毒.pdf”不是图片" in page
    assert not item.attachments.exists()


def test_reopening_asks_for_a_reason(secretary, tree):
    item = make_item(tree.orgs.a, status=Status.DONE, completed_on=date(2025, 5, 1))
    page = secretary.post(reverse("list_item_status", args=[item.pk]), {"to": Status.IN_PROGRESS}, **HTMX).content.decode()
    assert "重新打开须写明原因" in page
    secretary.post(reverse("list_item_status", args=[item.pk]), {"to": Status.IN_PROGRESS, "reason": "复查发现反弹"})
    page = secretary.get(reverse("list_item", args=[item.pk])).content.decode()
    assert "重新打开：复查发现反弹" in page


def test_the_dashboard_groups_overdue_items_by_owner_and_branch(client, tree):
    late = TODAY - timedelta(days=10)
    make_item(tree.orgs.a, year=TODAY.year - 1, content="甲一", owner=tree.people.a_member, deadline=late)
    make_item(tree.orgs.group_a, year=TODAY.year - 1, content="甲二", owner=tree.people.a_member, deadline=late)
    make_item(tree.orgs.b, year=TODAY.year - 1, content="乙一", owner=tree.people.b_member, deadline=late)
    make_item(tree.orgs.b, year=TODAY.year - 1, content="乙二（到期当天）", owner=tree.people.b_member, deadline=TODAY)
    make_item(tree.orgs.c, year=TODAY.year - 1, content="丙一", owner=tree.people.c_member, deadline=late)
    client.force_login(tree.users.organiser)
    response = client.get(reverse("lists_dashboard"))
    by_owner = {row["label"]: len(row["items"]) for row in response.context["by_owner"]}
    by_branch = {row["label"]: len(row["items"]) for row in response.context["by_branch"]}
    assert by_owner == {"李党员（甲支部）": 2, "孙党员（乙支部）": 1}
    assert by_branch == {"甲支部": 2, "乙支部": 1}  # the group's item counts for its branch
    rows = {row["org"].name: row for row in response.context["branch_rows"]}
    assert (rows["乙支部"]["open"], rows["乙支部"]["overdue"]) == (2, 1)
    assert rows["甲支部"]["statement"] == "整改完成率为0%（2项中完成0项）"
    assert "丙一" not in response.content.decode()


def test_a_member_sees_their_own_items_overdue_first(client, tree):
    make_item(tree.orgs.a, content="按期的", owner=tree.people.a_member, year=TODAY.year, deadline=TODAY + timedelta(days=30))
    make_item(tree.orgs.a, content="逾期的", owner=tree.people.a_member, year=TODAY.year, deadline=TODAY - timedelta(days=1))
    make_item(tree.orgs.a, content="别人的", owner=tree.people.a_other, year=TODAY.year)
    client.force_login(tree.users.member_a)
    response = client.get(reverse("my_items"))
    assert [i.content for i in response.context["open_items"]] == ["逾期的", "按期的"]
    assert "别人的" not in response.content.decode()


def test_a_login_without_person_has_an_empty_own_list(client, tree):
    client.force_login(tree.users.nobody)
    assert "没有关联党员信息" in client.get(reverse("my_items")).content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_the_ledger_downloads_in_both_formats(secretary, tree, fmt):
    make_item(tree.orgs.a, year=2025, content="学习方式单一")
    make_item(tree.orgs.b, year=2025, content="乙支部的问题")
    response = secretary.get(reverse("lists_ledger") + f"?org={tree.orgs.a.pk}&year=2025&format={fmt}")
    assert response.status_code == 200
    assert quote("甲支部-2025年问题整改台账") in response["Content-Disposition"]  # the registry's one file name
    content = io.BytesIO(response.content)
    if fmt == "xlsx":
        text = " ".join(str(c) for row in load_workbook(content)["问题整改台账"].iter_rows(values_only=True) for c in row)
    else:
        text = " ".join(cell.text for row in docx.Document(content).tables[0].rows for cell in row.cells)
    assert "学习方式单一" in text and "乙支部的问题" not in text


def test_two_owners_of_the_same_name_stay_apart_on_the_dashboard(client, tree):
    from zhibu.orgs.models import Category, Person

    namesake = Person.objects.create(branch=tree.orgs.b, name="李党员", category=Category.FULL, admitted_on=date(2010, 7, 1))
    late = TODAY - timedelta(days=2)
    make_item(tree.orgs.a, year=TODAY.year, content="甲的", owner=tree.people.a_member, deadline=late)
    make_item(tree.orgs.b, year=TODAY.year, content="乙的", owner=namesake, deadline=late)
    client.force_login(tree.users.organiser)
    labels = sorted(row["label"] for row in client.get(reverse("lists_dashboard")).context["by_owner"])
    assert labels == ["李党员（乙支部）", "李党员（甲支部）"]


@pytest.mark.parametrize("page", ["lists_index", "lists_dashboard"])
def test_pages_ask_the_database_the_same_number_of_times_for_3_or_30_items(client, tree, page):
    def fill(count):
        for number in range(count):
            make_item(tree.orgs.group_a if number % 2 else tree.orgs.a, year=TODAY.year, content=f"第{number}项",
                      owner=tree.people.a_member, deadline=TODAY - timedelta(days=1))

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(page)).status_code == 200
        return len(captured.captured_queries)

    client.force_login(tree.users.organiser)
    fill(3)
    few = queries()
    fill(27)
    assert queries() == few, few
