"""Evidence files: stored under MEDIA_ROOT with safe names, all or none per upload, kept once an item is closed."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from tests.lists.conftest import PDF, PNG, docx_bytes, make_item, upload
from zhibu.lists.evidence import EvidenceError, attach_files, remove_attachment
from zhibu.lists.models import Attachment, Status


def test_it_stores_each_file_under_a_random_name_with_the_detected_extension(tree):
    item = make_item(tree.orgs.a)
    stored = attach_files(item, [upload("../../etc/现场照片.png", PNG), upload("整改报告.docx", docx_bytes())],
                          user=tree.users.secretary_a)
    assert [a.kind for a in stored] == ["PNG", "DOCX"]
    for attachment in stored:
        path = Path(attachment.file.path)
        assert path.is_file() and path.parent == Path(settings.MEDIA_ROOT) / "lists" / str(item.pk)
        assert path.name == attachment.token + attachment.kind_extension
    assert stored[0].name == "现场照片.png"  # kept, without its folders, only to name the download
    assert stored[0].uploaded_by == tree.users.secretary_a


def test_one_bad_file_stores_none_and_names_every_problem(tree):
    item = make_item(tree.orgs.a)
    with pytest.raises(EvidenceError) as error:
        attach_files(item, [upload("好的.pdf", PDF), upload("坏的.png", b"GIF89a"), upload("空的.pdf", b"")], user=None)
    assert "“坏的.png”" in str(error.value) and "“空的.pdf”" in str(error.value)
    assert not Attachment.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "lists").exists()


def test_evidence_of_an_open_item_can_be_removed_with_its_file(tree, django_capture_on_commit_callbacks):
    item = make_item(tree.orgs.a)
    [attachment] = attach_files(item, [upload("a.pdf", PDF)], user=None)
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment)
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_evidence_of_a_closed_item_stays(tree):
    item = make_item(tree.orgs.a)
    [attachment] = attach_files(item, [upload("a.pdf", PDF)], user=None)
    item.status, item.completed_on = Status.DONE, date(2025, 5, 1)
    item.save()
    attachment.refresh_from_db()
    with pytest.raises(EvidenceError, match="请先重新打开"):
        remove_attachment(attachment)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
