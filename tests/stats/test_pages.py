"""The page 党内统计, the people behind a cell, the workbook and the code lists, as their users see them."""

import io

from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from zhibu.orgs.models import CodeItem, Grant, Role


def login(client, org, role=Role.COMMITTEE_ADMIN, name="stats_admin"):
    user = get_user_model().objects.create_user(username=name, password="pw-Secret-123")
    Grant.objects.create(user=user, org=org, role=role)
    client.force_login(user)
    return user


def test_committee_page_links_every_cell_to_its_people(client, unit):
    login(client, unit.committee)
    page = client.get(f"/stats/?org={unit.committee.pk}&year=2025").content.decode()
    assert "第一表　两年党员数综合比较" in page and "实有数与应有数之差" in page
    assert f"cell=t1.died" in page
    people = client.get(f"/stats/people/?org={unit.committee.pk}&year=2025&cell=t1.died").content.decode()
    assert "甲二" in people and "死亡" in people
    orgs = client.get(f"/stats/people/?org={unit.committee.pk}&year=2025&cell=t4.overdue").content.decode()
    assert "统计甲支部" in orgs
    assert client.get(f"/stats/people/?org={unit.committee.pk}&year=2025&cell=t9.nothing").status_code == 404


def test_a_branch_sees_its_own_tables_only(client, unit):
    login(client, unit.a, Role.SECRETARY, "stats_secretary")
    assert client.get(f"/stats/?org={unit.b.pk}&year=2025").status_code == 404
    page = client.get("/stats/?year=2025").content.decode()
    assert "统计甲支部 · 2025年 党内统计" in page


def test_workbook_lists_the_people_of_every_cell(client, unit):
    login(client, unit.committee)
    response = client.get(f"/stats/download/?org={unit.committee.pk}&year=2025")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert book.sheetnames[-2:] == ["核对", "名单"]
    names = {}
    for row in book["名单"].iter_rows(min_row=4, values_only=True):
        names[row[1]] = names.get(row[1], "") + "、" + row[3]
    assert {"甲二", "甲五", "乙三", "统计甲支部"} <= set(names)
    assert "第一表·死亡" in names["甲二"] and "发展党员·发展党员总数" in names["甲五"] and "基本情况·女党员" in names["甲五"]
    first = [row for row in book[book.sheetnames[0]].iter_rows(min_row=4, values_only=True)]
    assert ["1", "上年底总数", 6] in [list(r) for r in first]


def test_code_lists_are_edited_by_the_administrator_only(client, unit):
    login(client, unit.committee)
    assert client.post("/stats/codes/", {"kind": "job", "name": "快递员"}).status_code == 404
    admin = get_user_model().objects.create_superuser(username="root", password="pw-Secret-123")
    client.force_login(admin)
    client.post("/stats/codes/", {"kind": "job", "name": "快递员"})
    assert CodeItem.objects.filter(kind="job", name="快递员").exists()
    used = CodeItem.objects.get(kind="job", name="公务员")  # 甲一's
    client.post("/stats/codes/", {"kind": "job", "remove": used.pk})
    assert CodeItem.objects.filter(pk=used.pk).exists()
