"""Checking an uploaded file by what it contains, not by what it is called.

Evidence files (photos, PDFs, Word documents) are kept on the server and
handed out again to other users, so a file is accepted only when its first
bytes say it is one of the kinds below, and only when its name's extension
agrees (a JPEG called 报告.pdf would confuse whoever downloads it).

Office files (.xlsx, .docx) are zip packages whose parts can expand a
thousandfold, so every one is also looked at by `check_office_package` before
anything parses it: the sizes the package declares, its number of parts, XML
entity declarations and, for workbooks, rows and columns — all read in small
chunks, so a hostile file is refused in well under a second and a few MB.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
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


@dataclass(frozen=True)
class OfficeLimits:
    """How large an Office package may be once unpacked (ZHIBU_UPLOAD_* settings)."""

    max_uncompressed_bytes: int = 64 * 1024 * 1024
    max_parts: int = 1000
    max_rows: int = 100_000
    max_columns: int = 200

    @classmethod
    def from_settings(cls) -> "OfficeLimits":
        from django.conf import settings

        return cls(**{
            field: getattr(settings, f"UPLOAD_{field.upper()}", default)
            for field, default in (
                ("max_uncompressed_bytes", cls.max_uncompressed_bytes),
                ("max_parts", cls.max_parts),
                ("max_rows", cls.max_rows),
                ("max_columns", cls.max_columns),
            )
        })


_CHUNK = 256 * 1024
# Office writes every XML part in UTF-8; a part in UTF-16/32 could hide a DOCTYPE from a byte scan.
_WIDE_XML_STARTS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<\x00", b"\x00<")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?row[\s>/]")
_CELL_COLUMN = re.compile(rb"\sr=[\"']([A-Z]{1,3})[0-9]")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?dimension\s+ref=[\"'](?:[A-Z]{1,3}[0-9]+:)?([A-Z]{1,3})([0-9]+)")
_LONGEST_TAG = 64


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _is_worksheet(part: str) -> bool:
    return part.startswith("xl/worksheets/") and part.endswith(".xml")


def check_office_package(stream: BinaryIO, name: str, *, workbook: bool, limits: OfficeLimits | None = None) -> None:
    """UploadError unless `stream` is a zip package small enough to parse safely (left at the start).

    The sizes in the zip directory are binding (Python's zipfile stops at the declared size and checks the CRC),
    so they are compared with the limits before a single byte is inflated. Then every XML part is read in chunks:
    a DTD or entity declaration is refused (Office never writes one; "billion laughs" and XXE need one), and in a
    workbook the rows and the rightmost column of every worksheet are counted.
    """
    limits = limits or OfficeLimits.from_settings()
    what = " .xlsx 工作簿" if workbook else "Word（.docx）文件"
    fix = "请用 Excel 或 WPS 另存为“Excel 工作簿 (*.xlsx)”后再上传" if workbook else "请用 Word 或 WPS 另存为 .docx 后再上传"
    stream.seek(0)
    try:
        package = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        stream.seek(0)
        raise UploadError(f"“{name}”不是有效的{what}（无法作为 zip 包读取），{fix}") from None
    try:
        parts = package.infolist()
        if len(parts) > limits.max_parts:
            raise UploadError(f"“{name}”包含 {len(parts)} 个部件，超过 {limits.max_parts} 个的上限，{fix}")
        total = sum(part.file_size for part in parts)
        if total > limits.max_uncompressed_bytes:
            raise UploadError(
                f"“{name}”解压后有 {total / 1024 / 1024:.0f} MB，超过 {limits.max_uncompressed_bytes // 1024 // 1024} MB 的上限，"
                "请删去图片或拆分后再上传"
            )
        for part in parts:
            if part.is_dir() or not part.filename.endswith((".xml", ".rels", ".vml")):
                continue
            _scan_xml_part(package, part, name, workbook and _is_worksheet(part.filename), limits, fix)
    except zipfile.BadZipFile as error:
        raise UploadError(f"“{name}”已损坏（{error}），{fix}") from None
    except (zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError) as error:
        if isinstance(error, UploadError):
            raise
        raise UploadError(f"“{name}”无法读取（{error}），{fix}") from None
    finally:
        package.close()
        stream.seek(0)


def _scan_xml_part(package: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, worksheet: bool, limits, fix) -> None:
    rows, max_column, carry, first = 0, 0, b"", True
    sheet = part.filename.rsplit("/", 1)[-1]

    def tally(text: bytes) -> None:
        nonlocal rows, max_column
        if _DTD.search(text):
            raise UploadError(f"“{name}”的部件 {part.filename} 含有 XML 实体或文档类型声明（DOCTYPE/ENTITY），"
                              f"正常的 Office 文件不会有，已拒绝。{fix}")
        if not worksheet:
            return
        rows += len(_ROW.findall(text))
        if rows > limits.max_rows:
            raise UploadError(f"“{name}”的工作表 {sheet} 超过 {limits.max_rows} 行的上限，请拆分成几个工作簿分别导入")
        letters = set(_CELL_COLUMN.findall(text))
        for found in _DIMENSION.finditer(text):
            letters.add(found.group(1))
        if letters:
            max_column = max(max_column, max(_column_number(value) for value in letters))
            if max_column > limits.max_columns:
                raise UploadError(f"“{name}”的工作表 {sheet} 超过 {limits.max_columns} 列的上限，请删去多余的列后再导入")

    with package.open(part) as member:
        while True:
            chunk = member.read(_CHUNK)
            if first:
                if chunk.startswith(_WIDE_XML_STARTS):
                    raise UploadError(f"“{name}”的部件 {part.filename} 不是 UTF-8 编码，{fix}")
                first = False
            if not chunk:
                break
            buffer = carry + chunk
            # Every pattern starts at "<" and holds no other "<": what follows the last one may continue in the next chunk.
            cut = buffer.rfind(b"<")
            if cut < 0:
                cut = len(buffer)
            tally(buffer[:cut])
            carry = buffer[cut:]
            if len(carry) > _LONGEST_TAG:
                tally(carry)
                carry = b""
    tally(carry)


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
    if kind is FileKind.DOCX:
        check_office_package(stream, name, workbook=False)
    return kind
