"""No oracle, no leftovers, safe defaults."""

import io
import os
import stat
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.cli.test_commands import run_zhibu
from tests.clock import START
from tests.exchange.workbooks import PERSON_HEADER, workbook_bytes
from zhibu.exchange.views import purge_pending_imports
from zhibu.exchange.workbook import import_workbook
from zhibu.lists.models import ListItem
from zhibu.orgs.models import Person


def _pending():
    directory = settings.MEDIA_ROOT / "pending-imports"
    return sorted(directory.glob("*.xlsx")) if directory.exists() else []


def _upload(client):
    data = workbook_bytes({"党员": [PERSON_HEADER, ["新同志", "甲支部", None, "入党申请人"]]})
    data.name = "名册.xlsx"
    return client.post(reverse("import_upload"), {"file": data})


@pytest.mark.django_db
def test_a_checked_workbook_is_deleted_on_confirm_on_cancel_and_after_a_day(client, tree):
    client.force_login(tree.users.secretary_a)
    _upload(client)
    (waiting,) = _pending()
    assert stat.S_IMODE(waiting.stat().st_mode) == 0o600
    client.post(reverse("import_confirm"), {"cancel": "1"})
    assert _pending() == [] and not Person.objects.filter(name="新同志").exists()
    _upload(client)
    client.post(reverse("import_confirm"))
    assert _pending() == [] and Person.objects.filter(name="新同志").exists()
    _upload(client)
    (old,) = _pending()
    os.utime(old, ((START - timedelta(hours=25)).timestamp(),) * 2)
    assert purge_pending_imports() == 1 and _pending() == []


@pytest.mark.django_db
def test_an_unconfirmed_workbook_of_another_login_goes_after_a_day_on_the_next_visit(client, tree):
    client.force_login(tree.users.secretary_a)
    _upload(client)
    (old,) = _pending()
    os.utime(old, ((START - timedelta(hours=25)).timestamp(),) * 2)
    client.force_login(tree.users.organiser)
    client.get(reverse("import_upload"))
    assert _pending() == []


def test_a_new_data_directory_is_readable_by_its_user_only(tmp_path):
    data_dir = tmp_path / "fresh"
    assert run_zhibu("init", data_dir=data_dir).returncode == 0
    for path, mode in ((data_dir, 0o700), (data_dir / "zhibu.sqlite3", 0o600), (data_dir / "secret_key", 0o600)):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600 and settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


@pytest.mark.django_db
def test_demo_refuses_a_database_holding_other_data(tree):
    with pytest.raises(CommandError, match="已有不是演示生成的数据.*--force"):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    from zhibu.demo.build import demo_exists

    assert not demo_exists()


@pytest.mark.django_db
def test_an_id_number_held_outside_the_scope_reads_as_any_wrong_number(client, tree):
    holder = tree.people.c_member  # in another committee
    holder.id_number = "11010519491231002X"
    holder.save()
    client.force_login(tree.users.secretary_a)
    response = client.post(reverse("person_new"), {
        "name": "新同志", "branch": tree.orgs.a.pk, "id_number": holder.id_number, "category": "入党申请人",
        "gender": "", "dues_category": "在职"})
    form = response.context["form"]
    assert form.errors["id_number"] == ["请核对身份证号"]
    assert "周党员" not in response.content.decode() and "丙支部" not in response.content.decode()
    rows = {"党员": [PERSON_HEADER, ["新同志", "甲支部", None, "入党申请人", None, holder.id_number]]}
    result = import_workbook(workbook_bytes(rows), tree.users.secretary_a, dry_run=True)
    assert [issue.message for issue in result.issues] == ["请核对身份证号"]


@pytest.mark.django_db
def test_one_persons_id_number_with_another_persons_name_is_explained(tree):
    tree.people.a_member.id_number = "11010519491231002X"
    tree.people.a_member.save()
    rows = {"党员": [PERSON_HEADER, ["赵同志", "甲支部", None, "入党申请人", None, "11010519491231002X"]]}
    result = import_workbook(workbook_bytes(rows), tree.users.secretary_a, dry_run=True)
    assert not result.ok and "与甲支部的李党员相同" in str(result.issues[0])


@pytest.mark.django_db
def test_list_numbers_are_per_organisation(tree):
    common = {"kind": "问题清单", "year": 2025, "content": "事项"}
    ListItem.objects.create(org=tree.orgs.a, ref="1", **common)
    ListItem.objects.create(org=tree.orgs.c, ref="1", **common)  # another committee's own 编号 1
    assert ListItem.objects.filter(ref="1").count() == 2
