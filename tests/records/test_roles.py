"""Per role: an edited id for another branch's record, attachment or ledger answers 404 and reveals nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhibu.records.models import Activity, Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
# role → the branch whose records it must not reach
FOREIGN = {"secretary_a": "b", "clerk_b": "a", "organiser": "c", "member_a": "a", "nobody": "a"}


@pytest.fixture
def foreign(tree, record, settings):
    def make(role):
        org = getattr(tree.orgs, FOREIGN[role])
        activity = record(org, "党课", date(2025, 3, 1), subject="机密主题")
        attachment = Attachment.objects.create(activity=activity, file=SimpleUploadedFile("x.png", PNG),
                                               original_name="机密.png", content_type="image/png", size=len(PNG))
        return org, activity, attachment
    return make


@pytest.mark.parametrize("role", list(FOREIGN))
def test_an_edited_record_or_attachment_id_answers_404(client, tree, foreign, role):
    org, activity, attachment = foreign(role)
    client.force_login(getattr(tree.users, role))
    for name, args in [("activity_detail", [activity.pk]), ("activity_edit", [activity.pk]),
                       ("attachment_download", [attachment.pk])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 404, name
        assert "机密" not in response.content.decode(errors="replace")
    for name, args in [("activity_delete", [activity.pk]), ("attachment_delete", [attachment.pk]),
                       ("attachment_upload", [activity.pk])]:
        assert client.post(reverse(name, args=args), {"file": SimpleUploadedFile("y.png", PNG)}).status_code == 404, name
    assert Activity.objects.filter(pk=activity.pk).exists() and Attachment.objects.count() == 1


@pytest.mark.parametrize("role", list(FOREIGN))
def test_an_edited_ledger_org_or_activity_answers_404(client, tree, foreign, role):
    org, activity, _attachment = foreign(role)
    client.force_login(getattr(tree.users, role))
    for identifier in ("sanhui", "zuzhishenghuo"):
        assert client.get(reverse("ledger_download", args=[identifier]), {"org": org.pk, "year": 2025}).status_code == 404
    assert client.get(reverse("ledger_download", args=["qiandao"]), {"activity": activity.pk}).status_code == 404


def test_a_secretary_cannot_file_a_record_under_another_branch(client, tree):
    client.force_login(tree.users.secretary_a)
    from zhibu.records.models import ActivityType

    data = {"org": tree.orgs.b.pk, "type": ActivityType.objects.get(name="党课").pk, "date": "2025-05-01", "quantity": 1}
    page = client.post(reverse("activity_new"), data).content.decode()
    assert "所选的组织不存在，或不在您可选的范围内" in page and not Activity.objects.exists()


def test_a_secretary_cannot_name_another_branchs_member_as_chair(client, tree):
    client.force_login(tree.users.secretary_a)
    from zhibu.records.models import ActivityType

    data = {"org": tree.orgs.a.pk, "type": ActivityType.objects.get(name="党课").pk, "date": "2025-05-01", "quantity": 1,
            "chair": tree.people.b_member.pk}
    assert "所选的主持人不存在，或不在您可选的范围内" in client.post(reverse("activity_new"), data).content.decode()


def test_the_list_and_the_roll_never_show_another_branch(client, tree, record):
    record(tree.orgs.b, "党课", subject="乙支部的党课")
    client.force_login(tree.users.secretary_a)
    assert "乙支部的党课" not in client.get(reverse("activity_list"), {"org": tree.orgs.b.pk}).content.decode()
    from zhibu.records.models import ActivityType

    page = client.get(reverse("roll_part"), {"org": tree.orgs.b.pk, "type": ActivityType.objects.get(name="党课").pk}).content.decode()
    assert "孙党员" not in page


def test_members_and_logins_without_a_role_reach_no_records_page(client, tree):
    for user in (tree.users.member_a, tree.users.nobody):
        client.force_login(user)
        for name in ("activity_list", "activity_calendar", "activity_new", "attendance_year", "ledger_page", "type_list"):
            assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("my_attendance")).status_code == 404  # nobody has no person
