"""Checking an uploaded file by what it contains, not by what it is called.

Evidence files (photos, PDFs, Word documents) are kept on the server and
handed out again to other users, so a file is accepted only when its first
bytes say it is one of the kinds below, and only when its name's extension
agrees (a JPEG called 报告.pdf would confuse whoever downloads it).
"""

from __future__ import annotations

import zipfile
from enum import Enum
from pathlib import PurePath
from typing import BinaryIO

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A Word 97-2003 file is an OLE container holding a stream with this name (Excel and PowerPoint use others).
_WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1"}


class FileKind(Enum):
    """label, the MIME type sent on download, the extension the file is stored under, extensions accepted."""

    JPEG = ("JPEG图片", "image/jpeg", ".jpg", (".jpg", ".jpeg"))
    PNG = ("PNG图片", "image/png", ".png", (".png",))
    WEBP = ("WebP图片", "image/webp", ".webp", (".webp",))
    HEIC = ("HEIC图片", "image/heic", ".heic", (".heic", ".heif"))
    PDF = ("PDF文档", "application/pdf", ".pdf", (".pdf",))
    DOCX = ("Word文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", (".docx",))
    DOC = ("Word 97-2003文档", "application/msword", ".doc", (".doc",))

    def __init__(self, label: str, mime: str, extension: str, accepted: tuple[str, ...]):
        self.label, self.mime, self.extension, self.accepted = label, mime, extension, accepted


ACCEPTED_EXTENSIONS = tuple(ext for kind in FileKind for ext in kind.accepted)


class UploadError(ValueError):
    """An upload that is refused; the message names the file, says what is wrong and what to do."""


def detect_kind(stream: BinaryIO) -> FileKind | None:
    """The kind of file in `stream` (read from the start, left at the start), or None when it is none of ours."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return FileKind.HEIC
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"PK\x03\x04"):
        return FileKind.DOCX if _zip_has(stream, "word/document.xml") else None
    if head.startswith(_OLE_SIGNATURE):
        found = _WORD_STREAM_NAME in stream.read()
        stream.seek(0)
        return FileKind.DOC if found else None
    return None


def _zip_has(stream: BinaryIO, member: str) -> bool:
    try:
        with zipfile.ZipFile(stream) as package:
            return member in package.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        stream.seek(0)


def check_upload(stream: BinaryIO, name: str, size: int, *, max_bytes: int = DEFAULT_MAX_BYTES) -> FileKind:
    """The kind of an uploaded file, or UploadError saying why it is refused."""
    if size == 0:
        raise UploadError(f"“{name}”是空文件，请重新选择")
    if size > max_bytes:
        raise UploadError(
            f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过 {max_bytes // 1024 // 1024} MB 的上限，请压缩或拆分后再上传"
        )
    kind = detect_kind(stream)
    if kind is None:
        raise UploadError(
            f"“{name}”不是图片（JPEG、PNG、WebP、HEIC）、PDF 或 Word 文档（按文件内容判断），"
            "请另存为 PDF 或拍照后再上传"
        )
    extension = PurePath(name).suffix.lower()
    if extension not in kind.accepted:
        shown = extension or "（无扩展名）"
        raise UploadError(f"“{name}”的扩展名是 {shown}，但内容是{kind.label}，请把扩展名改为 {kind.extension} 后再上传")
    return kind
