"""Attachments: recognised by their first bytes, stored under the data dir, only ever served as a download."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhibu.records.forms import AttachmentForm
from zhibu.records.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx(with_document=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml" if with_document else "content.txt", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("照片.png", PNG, None),
    ("扫描件.pdf", b"%PDF-1.7\n...", None),
    ("材料.docx", _docx(), None),
    ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, None),
    ("病毒.png", b"MZ\x90\x00 this is a program", "不是图片"),
    ("假文档.docx", _docx(with_document=False), "不是图片"),
    ("脚本.html", b"<script>alert(1)</script>", "不是图片"),
    ("照片.pdf", PNG, "请把扩展名改为 .png"),
    ("空.pdf", b"", "是空文件"),
])
def test_it_checks_the_file_kind_by_its_content(name, content, problem):
    form = AttachmentForm(files={"file": SimpleUploadedFile(name, content)})
    assert form.is_valid() if problem is None else problem in form.errors["file"][0]


def test_it_refuses_files_over_ten_megabytes():
    upload = SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert "超过 10 MB 的上限" in AttachmentForm(files={"file": upload}).errors["file"][0]


def test_an_upload_is_stored_under_the_data_dir_and_downloaded_as_an_attachment(client, tree, record, settings):
    activity = record(tree.orgs.a, "党课")
    client.force_login(tree.users.secretary_a)
    client.post(reverse("attachment_upload", args=[activity.pk]), {"file": SimpleUploadedFile("会议照片.png", PNG)})
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT)) and "会议照片" not in stored.name
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_a_disguised_file_is_refused_with_a_message(client, tree, record):
    activity = record(tree.orgs.a, "党课")
    client.force_login(tree.users.secretary_a)
    response = client.post(reverse("attachment_upload", args=[activity.pk]),
                           {"file": SimpleUploadedFile("照片.jpg", b"MZ\x90\x00")}, follow=True)
    assert "“照片.jpg”不是图片" in response.content.decode()
    assert not Attachment.objects.exists()


def test_deleting_an_attachment_removes_the_file(client, tree, record):
    activity = record(tree.orgs.a, "党课")
    client.force_login(tree.users.secretary_a)
    client.post(reverse("attachment_upload", args=[activity.pk]), {"file": SimpleUploadedFile("a.png", PNG)})
    stored = Path(Attachment.objects.get().file.path)
    client.post(reverse("attachment_delete", args=[Attachment.objects.get().pk]))
    assert not Attachment.objects.exists() and not stored.exists()


def test_no_public_url_serves_uploads(client, tree, record):
    activity = record(tree.orgs.a, "党课")
    client.force_login(tree.users.secretary_a)
    client.post(reverse("attachment_upload", args=[activity.pk]), {"file": SimpleUploadedFile("a.png", PNG)})
    attachment = Attachment.objects.get()
    assert client.get("/" + attachment.file.name).status_code == 404
    assert client.get("/media/" + attachment.file.name).status_code == 404
