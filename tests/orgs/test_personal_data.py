"""ID-card and mobile numbers: masked on lists, in full only to those allowed, every full view and export logged."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from zhibu.lib.personal import mask_id_number, mask_phone
from zhibu.orgs.models import Grant, PersonalDataAccess, Role

ID = "110101199003079024"
PHONE = "13800138000"


@pytest.fixture
def numbers(tree):
    person = tree.people.a_other
    person.id_number, person.phone, person.birth_date = ID, PHONE, None
    person.save()
    tree.users.clerk_a = type(tree.users.organiser).objects.create_user("clerk_a", password="pw-Secret-123")
    Grant.objects.create(user=tree.users.clerk_a, org=tree.orgs.a, role=Role.CLERK)
    return tree


def test_masks_keep_the_first_and_last_digits():
    assert mask_id_number(ID) == "1101**********9024" and mask_id_number("110101199003079023") == "1101**********9023"
    assert mask_phone(PHONE) == "138****8000"
    assert mask_id_number("") == "" and mask_phone(None) == ""


def test_the_people_list_shows_phones_masked_even_to_the_secretary(client, numbers):
    client.force_login(numbers.users.secretary_a)
    page = client.get(reverse("person_list")).content.decode()
    assert "138****8000" in page and PHONE not in page and ID not in page


@pytest.mark.parametrize("who, full", [("secretary_a", True), ("organiser", True), ("admin", True), ("clerk_a", False)])
def test_the_person_page_shows_numbers_in_full_only_to_those_allowed(client, numbers, who, full):
    client.force_login(getattr(numbers.users, who))
    page = client.get(reverse("person_detail", args=[numbers.people.a_other.pk])).content.decode()
    assert (ID in page) is full and (PHONE in page) is full
    assert ("<dd>1101**********9024</dd>" in page) is not full  # (history lines show it masked to everyone)
    logged = PersonalDataAccess.objects.filter(action=PersonalDataAccess.VIEW, person=numbers.people.a_other)
    assert logged.count() == (1 if full else 0)
    if full:
        entry = logged.get()
        assert entry.username == who and entry.org == numbers.orgs.a and "人员页面" in entry.what


def test_a_member_sees_their_own_numbers_in_full(client, numbers):
    person = numbers.people.a_member
    person.id_number, person.birth_date = "110101198501010017", None
    person.save()
    client.force_login(numbers.users.member_a)
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "110101198501010017" in page


def test_a_clerk_edits_a_person_without_seeing_or_losing_the_numbers(client, numbers):
    client.force_login(numbers.users.clerk_a)
    person = numbers.people.a_other
    page = client.get(reverse("person_edit", args=[person.pk])).content.decode()
    assert ID not in page and "1101**********9024" in page
    form = page_form_values(person, id_number="1101**********9024", phone="138****8000", name="赵同志改")
    response = client.post(reverse("person_edit", args=[person.pk]), form)
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert person.name == "赵同志改" and person.id_number == ID and person.phone == PHONE
    assert not PersonalDataAccess.objects.exists()


def test_the_secretarys_edit_form_shows_the_number_and_is_logged(client, numbers):
    client.force_login(numbers.users.secretary_a)
    page = client.get(reverse("person_edit", args=[numbers.people.a_other.pk])).content.decode()
    assert ID in page
    assert PersonalDataAccess.objects.get().what == "编辑表单：赵同志的身份证号"


def page_form_values(person, **changes):
    values = {
        "name": person.name, "branch": person.branch_id, "group": "", "gender": "", "birth_date": "",
        "id_number": person.id_number or "", "phone": person.phone, "category": person.category,
        "applied_on": "", "activist_on": "", "candidate_on": "",
        "admitted_on": person.admitted_on.isoformat() if person.admitted_on else "",
        "full_on": person.full_on.isoformat() if person.full_on else "", "dues_category": person.dues_category, "dues_base": "",
    }
    values.update(changes)
    return values


def _people_sheet(content: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in book["党员"].iter_rows(values_only=True)]


def test_export_in_full_for_the_secretary_masked_on_request_and_both_logged(client, numbers):
    client.force_login(numbers.users.secretary_a)
    full = _people_sheet(client.get(reverse("export_download")).content)
    assert any(ID in row and PHONE in row for row in full)
    masked = _people_sheet(client.get(reverse("export_download") + "?masked=1").content)
    assert any("1101**********9024" in row and "138****8000" in row for row in masked)
    assert not any(ID in row for row in masked)
    entries = list(PersonalDataAccess.objects.filter(action=PersonalDataAccess.EXPORT).order_by("pk"))
    assert [e.masked for e in entries] == [False, True]
    assert entries[0].org == numbers.orgs.a and entries[0].people == 3 and entries[0].username == "secretary_a"


def test_a_clerks_export_is_always_masked(client, numbers):
    client.force_login(numbers.users.clerk_a)
    rows = _people_sheet(client.get(reverse("export_download")).content)
    assert not any(ID in row for row in rows) and any("1101**********9024" in row for row in rows)
    assert PersonalDataAccess.objects.get().masked


def test_the_command_line_export_is_logged_and_can_be_masked(numbers, tmp_path):
    call_command("export", str(tmp_path / "all.xlsx"), "--masked")
    rows = _people_sheet((tmp_path / "all.xlsx").read_bytes())
    assert not any(ID in row for row in rows)
    entries = PersonalDataAccess.objects.all()
    assert {e.username for e in entries} == {"命令行"} and all(e.masked for e in entries)
    assert {e.org_name for e in entries} == {"测试机关党委", "另一党委"}


def test_the_access_log_is_read_by_a_committee_admin_for_its_subtree_only(client, numbers):
    client.force_login(numbers.users.secretary_a)
    client.get(reverse("person_detail", args=[numbers.people.a_other.pk]))
    # an entry in another committee's tree
    PersonalDataAccess.objects.create(username="x", action=PersonalDataAccess.EXPORT, what="外单位导出", org=numbers.orgs.c, org_name="丙支部", people=1)
    client.force_login(numbers.users.organiser)
    page = client.get(reverse("access_log")).content.decode()
    assert "secretary_a" in page and "人员页面：赵同志的身份证号" in page and "外单位导出" not in page
    for who in ("secretary_a", "clerk_a", "member_a"):
        client.force_login(getattr(numbers.users, who))
        assert client.get(reverse("access_log")).status_code == 404
    client.force_login(numbers.users.admin)
    assert "外单位导出" in client.get(reverse("access_log")).content.decode()
