"""The upload page: check first, show errors or a summary, write only on confirmation."""

import pytest
from django.urls import reverse

from tests.exchange.workbooks import PERSON_HEADER, workbook_bytes
from zhibu.orgs.models import Person


def _upload(client, sheets):
    data = workbook_bytes(sheets)
    data.name = "名册.xlsx"
    return client.post(reverse("import_upload"), {"file": data})


@pytest.mark.django_db
def test_upload_previews_then_confirm_writes(client, tree):
    client.force_login(tree.users.secretary_a)
    response = _upload(client, {"党员": [PERSON_HEADER, ["新同志", "甲支部", None, "入党申请人"]]})
    assert "检查通过" in response.content.decode() and "新增 1" in response.content.decode()
    assert not Person.objects.filter(name="新同志").exists()
    response = client.post(reverse("import_confirm"))
    assert response.status_code == 302
    assert Person.objects.filter(name="新同志", branch=tree.orgs.a).exists()


@pytest.mark.django_db
def test_upload_with_errors_lists_them_and_offers_no_confirmation(client, tree):
    client.force_login(tree.users.secretary_a)
    response = _upload(client, {"党员": [PERSON_HEADER, ["新同志", "甲支部", None, "党员"]]})
    content = response.content.decode()
    assert "发现 1 处错误" in content and "“党员”不是有效的人员类别" in content
    assert "确认导入" not in content
    assert client.post(reverse("import_confirm")).status_code == 302
    assert not Person.objects.filter(name="新同志").exists()
