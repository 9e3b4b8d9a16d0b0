"""Limits on what is typed or imported: each at its edge, with a Chinese message, the same in forms and imports."""

import pytest
from django.urls import reverse

from tests.exchange.workbooks import PERSON_HEADER, workbook_bytes
from zhibu.exchange.workbook import import_workbook
from zhibu.orgs import access
from zhibu.orgs.models import Person


def _people(*rows):
    return {"党员": [PERSON_HEADER, *[list(r) + [None] * (len(PERSON_HEADER) - len(r)) for r in rows]]}


def _row(name):
    return [name, "甲支部", None, "入党申请人"]


def _messages(result):
    return [str(issue) for issue in result.issues]


def test_an_imported_name_at_the_limit_is_kept_and_one_over_is_refused(tree):
    assert import_workbook(workbook_bytes(_people(_row("王" * 30))), access.SYSTEM).ok
    result = import_workbook(workbook_bytes(_people(_row("李" * 31))), access.SYSTEM)
    assert not result.ok and "“姓名”最多 30 个字，现在有 31 个字" in _messages(result)[0]
    assert not Person.objects.filter(name="李" * 31).exists()


def test_an_imported_name_is_normalised_and_one_with_a_hidden_character_refused(tree):
    assert import_workbook(workbook_bytes(_people(_row("\u3000钱 多多 "))), access.SYSTEM).ok
    assert Person.objects.filter(name="钱 多多").exists()
    result = import_workbook(workbook_bytes(_people(_row("王\u200b婷"))), access.SYSTEM)
    assert not result.ok and "U+200B" in _messages(result)[0]


def test_a_workbook_over_the_row_limit_is_refused_before_any_row_is_read(tree, settings):
    settings.IMPORT_MAX_ROWS = 3
    assert import_workbook(workbook_bytes(_people(*[_row(f"成员{n}") for n in range(3)])), access.SYSTEM).ok
    result = import_workbook(workbook_bytes(_people(*[_row(f"新人{n}") for n in range(4)])), access.SYSTEM)
    assert _messages(result) == [
        "工作簿共有 4 行数据，超过每次导入的上限 3 行，未做任何处理。请把数据分成几个工作簿分别导入"
        "（每次导入的行数上限由管理员用环境变量 ZHIBU_IMPORT_MAX_ROWS 设置）"
    ]
    assert not Person.objects.filter(name__startswith="新人").exists()


def _person_form(person, **changes):
    values = {"name": person.name, "branch": person.branch_id, "category": person.category,
              "admitted_on": person.admitted_on.isoformat(), "full_on": person.full_on.isoformat(), "dues_category": person.dues_category}
    values.update(changes)
    return values


def test_the_person_form_uses_the_same_limits_and_finds_the_duplicate_on_the_normalised_name(client, tree):
    client.force_login(tree.users.secretary_a)
    person = tree.people.a_other
    url = reverse("person_edit", args=[person.pk])
    page = client.post(url, _person_form(person, name="赵" * 31)).content.decode()
    assert "30" in page and "赵" * 31 in page  # the form is shown again with Django's Chinese length message
    page = client.post(url, _person_form(person, name="\u202e赵同志")).content.decode()
    assert "U+202E" in page
    # " 李党员　" is the same name as 李党员, who is already in this branch
    page = client.post(url, _person_form(person, name=" 李党员\u3000")).content.decode()
    assert "本支部已有同名人员" in page
    assert client.post(url, _person_form(person, name=" 赵  同志 ")).status_code == 302
    person.refresh_from_db()
    assert person.name == "赵 同志"


def test_a_form_body_over_the_request_limit_gets_a_chinese_400_page(client, tree, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(tree.users.secretary_a)
    url = reverse("person_edit", args=[tree.people.a_other.pk])
    assert client.post(url, _person_form(tree.people.a_other, name="a" * 9_000)).status_code == 200
    response = client.post(url, _person_form(tree.people.a_other, name="a" * 10_001))
    assert response.status_code == 400 and "提交的内容无法处理" in response.content.decode()
