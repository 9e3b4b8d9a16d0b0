"""Uploaded files are recognised by their content; the name must agree with it."""

import io

import pytest

from tests.lists.conftest import JPEG, PDF, PNG, docx_bytes
from zhibu.lib.uploads import FileKind, UploadError, check_upload, detect_kind

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("content, kind", [
    (JPEG, FileKind.JPEG),
    (PNG, FileKind.PNG),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", FileKind.WEBP),
    (b"\x00\x00\x00\x18ftypheic\x00\x00", FileKind.HEIC),
    (PDF, FileKind.PDF),
    (OLE + b"\x00" * 100 + "WordDocument".encode("utf-16-le"), FileKind.DOC),
])
def test_it_recognises_each_accepted_kind_by_its_first_bytes(content, kind):
    assert detect_kind(io.BytesIO(content)) is kind


def test_it_recognises_a_word_document_inside_its_zip_package():
    assert detect_kind(io.BytesIO(docx_bytes())) is FileKind.DOCX


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00 an executable",
    b"<html><script>alert(1)</script>",
    b"PK\x03\x04 not really a zip",
    OLE + b"\x00" * 100 + "Workbook".encode("utf-16-le"),  # an old Excel file
])
def test_it_refuses_anything_else(content):
    assert detect_kind(io.BytesIO(content)) is None
    with pytest.raises(UploadError) as error:
        check_upload(io.BytesIO(content), "材料.pdf", len(content))
    assert "不是图片" in str(error.value) and "“材料.pdf”" in str(error.value)


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert detect_kind(io.BytesIO(buffer.getvalue())) is None


def test_a_name_that_disagrees_with_the_content_is_refused_with_the_right_extension():
    with pytest.raises(UploadError) as error:
        check_upload(io.BytesIO(JPEG), "整改报告.pdf", len(JPEG))
    assert "扩展名是 .pdf，但内容是JPEG图片" in str(error.value) and ".jpg" in str(error.value)


def test_the_extension_is_compared_without_case():
    assert check_upload(io.BytesIO(JPEG), "IMG_0001.JPEG", len(JPEG)) is FileKind.JPEG


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(UploadError, match="空文件"):
        check_upload(io.BytesIO(b""), "a.png", 0)
    with pytest.raises(UploadError, match="超过 1 MB 的上限"):
        check_upload(io.BytesIO(PNG), "a.png", 2 * 1024 * 1024, max_bytes=1024 * 1024)


def test_detection_leaves_the_stream_at_the_start():
    stream = io.BytesIO(docx_bytes())
    detect_kind(stream)
    assert stream.tell() == 0
