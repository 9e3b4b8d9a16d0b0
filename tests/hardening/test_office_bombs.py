"""Hostile .xlsx/.docx files are refused before anything parses them: quickly and in a few MB."""

import io
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.exchange.workbooks import PERSON_HEADER, workbook_bytes
from tests.lists.conftest import docx_bytes
from zhibu.exchange.workbook import import_workbook
from zhibu.lib.uploads import OfficeLimits, UploadError, check_office_package, check_upload
from zhibu.orgs.access import SYSTEM

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


class _RepeatingDeflate:
    """A deflate compressor that compresses each distinct chunk once: after a full flush the window is empty, so
    the same chunk compresses to the same bytes again. Building a 200 MB bomb then takes a moment, not seconds."""

    def __init__(self):
        self._zlib = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._seen: dict[bytes, int] = {}
        self._cache: dict[bytes, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if data in self._cache:
            return self._cache[data]
        out = self._zlib.compress(data) + self._zlib.flush(zlib.Z_FULL_FLUSH)
        self._seen[data] = self._seen.get(data, 0) + 1
        if self._seen[data] == 2 and len(data) >= 64 * 1024:  # the second copy starts from an empty window
            self._cache[data] = out
        return out

    def flush(self) -> bytes:
        return self._zlib.flush()


def _repack_deflated(data, replace, extra=None):
    """`data` (a package) with parts replaced or added; a value is bytes or an iterable of byte chunks."""
    out = io.BytesIO()
    real = zipfile._get_compressor
    zipfile._get_compressor = lambda kind, level=None: _RepeatingDeflate() if kind == zipfile.ZIP_DEFLATED else real(kind, level)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            parts = {info.filename: source.read(info) for info in source.infolist()}
            parts.update(replace)
            parts.update(extra or {})
            for name, content in parts.items():
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with target.open(info, "w", force_zip64=True) as member:
                    for chunk in ([content] if isinstance(content, bytes) else content):
                        member.write(chunk)
    finally:
        zipfile._get_compressor = real
    return out.getvalue()


_PIECE = b" " * MB


def _padding(total: int):
    for _ in range(total // MB):
        yield _PIECE


def _rows(count: int, per_chunk: int = 40_000):
    """`count` rows of one cell; rows without an r= attribute are valid and let every chunk be the same bytes."""
    chunk = b"<row><c><v>1</v></c></row>" * per_chunk
    yield SHEET_HEAD
    for _ in range(count // per_chunk):
        yield chunk
    yield SHEET_TAIL


def _workbook() -> bytes:
    return workbook_bytes({"党员": [PERSON_HEADER, ["新同志", "甲支部", None, "入党申请人"]]}).getvalue()


@pytest.fixture(scope="module")
def bombs():
    plain_xlsx, plain_docx = _workbook(), docx_bytes()
    return {
        # About 200 MB of Word XML in a few hundred KB.
        "docx_200mb": _repack_deflated(plain_docx, {"word/document.xml": _padding(200 * MB)}),
        # A workbook whose sheet expands to about 140 MB.
        "xlsx_140mb": _repack_deflated(plain_xlsx, {SHEET: _padding(140 * MB)}),
        # A million small rows: under the unpacked-size limit, so the row count must catch it.
        "xlsx_million_rows": _repack_deflated(plain_xlsx, {SHEET: _rows(1_000_000)}),
        "xlsx_wide": _repack_deflated(plain_xlsx, {SHEET: SHEET_HEAD + b'<row r="1">' + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>x</t></is></c>' % column for column in (b"A", b"B", b"KZ")) + b"</row>" + SHEET_TAIL}),
        "xlsx_xxe": _repack_deflated(plain_xlsx, {SHEET: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                                                         + SHEET_HEAD[SHEET_HEAD.index(b"<worksheet"):]
                                                         + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>' + SHEET_TAIL}),
        "docx_laughs": _repack_deflated(plain_docx, {"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                                                           + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol;" * 10) for i in range(1, 10))
                                                                           + b']><lolz>&lol9;</lolz>'}),
        "xlsx_many_parts": _repack_deflated(plain_xlsx, {}, {f"xl/media/p{i}.xml": b"<a/>" for i in range(1200)}),
        "plain_xlsx": plain_xlsx,
        "plain_docx": plain_docx,
    }


def _measure(call):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        call()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, peak


@pytest.mark.parametrize("bomb, workbook, says", [
    ("docx_200mb", False, "MB，超过 64 MB 的上限"),
    ("xlsx_140mb", True, "MB，超过 64 MB 的上限"),
    ("xlsx_million_rows", True, "超过 100000 行的上限"),
    ("xlsx_wide", True, "超过 200 列的上限"),
    ("xlsx_xxe", True, "含有 XML 实体或文档类型声明"),
    ("docx_laughs", False, "含有 XML 实体或文档类型声明"),
    ("xlsx_many_parts", True, "个部件，超过 1000 个的上限"),
])
def test_each_bomb_is_refused_within_a_second_and_a_few_mb(bombs, bomb, workbook, says):
    data = bombs[bomb]
    assert len(data) < 16 * MB  # under the 20 MB upload limit
    refused = []

    def check():
        try:
            check_office_package(io.BytesIO(data), "文件.xlsx", workbook=workbook, limits=OfficeLimits())
        except UploadError as error:
            refused.append(str(error))

    started = time.process_time()  # CPU time: what the check costs, not how busy the machine is
    check()
    elapsed = time.process_time() - started
    assert refused and says in refused[0], refused
    assert elapsed < 1.0, f"{bomb}: {elapsed:.2f} s"
    _, peak = _measure(check)  # traced separately: tracing slows the check several times
    assert peak < 8 * MB, f"{bomb}: {peak / MB:.1f} MB"


def test_the_size_bomb_is_real(bombs):
    with zipfile.ZipFile(io.BytesIO(bombs["xlsx_140mb"])) as package, package.open(SHEET) as sheet:
        inflated = sum(len(chunk) for chunk in iter(lambda: sheet.read(4 * MB), b""))
    assert inflated == 140 * MB and len(bombs["xlsx_140mb"]) < MB


def test_ordinary_files_pass(bombs):
    check_office_package(io.BytesIO(bombs["plain_xlsx"]), "名册.xlsx", workbook=True)
    check_office_package(io.BytesIO(bombs["plain_docx"]), "说明.docx", workbook=False)


def test_the_limits_come_from_settings(settings, bombs):
    settings.UPLOAD_MAX_COLUMNS = 2
    with pytest.raises(UploadError, match="超过 2 列的上限"):
        check_office_package(io.BytesIO(bombs["xlsx_wide"]), "宽.xlsx", workbook=True)


def test_a_word_attachment_bomb_is_refused_by_the_upload_check(bombs):
    data = bombs["docx_200mb"]
    with pytest.raises(UploadError, match="超过 64 MB 的上限"):
        check_upload(io.BytesIO(data), "说明.docx", len(data))


@pytest.mark.django_db
@pytest.mark.parametrize("bomb, says", [("xlsx_140mb", "超过 64 MB"), ("xlsx_xxe", "DOCTYPE"), ("xlsx_million_rows", "行的上限")])
def test_the_import_refuses_a_bomb_with_a_message(bombs, bomb, says):
    result = import_workbook(io.BytesIO(bombs[bomb]), SYSTEM, dry_run=True, filename="名册.xlsx")
    assert not result.ok and says in str(result.issues[0]) and "“名册.xlsx”" in str(result.issues[0])


@pytest.mark.django_db
def test_the_import_page_shows_the_refusal(client, tree, bombs):
    client.force_login(tree.users.secretary_a)
    upload = SimpleUploadedFile("名册.xlsx", bombs["xlsx_xxe"])
    response = client.post(reverse("import_upload"), {"file": upload})
    assert response.status_code == 200 and "DOCTYPE/ENTITY" in response.content.decode()


@pytest.mark.django_db
def test_a_template_bomb_is_not_stored(client, tree, bombs):
    from zhibu.reports.models import ReportDraft

    client.force_login(tree.users.secretary_a)
    upload = SimpleUploadedFile("模板.docx", bombs["docx_200mb"])
    response = client.post(reverse("report_upload_template"), {"org": tree.orgs.a.pk, "year": 2025, "template": upload}, follow=True)
    assert response.status_code == 200 and "超过 64 MB 的上限" in response.content.decode()
    assert not ReportDraft.objects.exclude(template_name="").exists()
