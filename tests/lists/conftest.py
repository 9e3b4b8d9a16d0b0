"""Helpers for the list tests: items in the shared `tree`, and small files of each accepted kind."""

import io
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhibu.lists.models import ListItem, ListKind, Status

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(text: str = "整改情况说明") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def make_item(org, **fields) -> ListItem:
    values = {
        "kind": ListKind.PROBLEM, "year": 2025, "content": "党员学习教育方式单一", "source": "上年度述职评议",
        "status": Status.NOT_STARTED,
    }
    values.update(fields)
    return ListItem.objects.create(org=org, **values)


@pytest.fixture
def items(tree):
    """One item in each branch, owned by a person there, and one at the committee."""
    return type("Items", (), {
        "a": make_item(tree.orgs.a, owner=tree.people.a_member, deadline=date(2025, 6, 30), content="甲支部学习方式单一"),
        "b": make_item(tree.orgs.b, owner=tree.people.b_member, deadline=date(2025, 6, 30), content="乙支部党建引领不够"),
        "c": make_item(tree.orgs.c, owner=tree.people.c_member, deadline=date(2025, 6, 30), content="丙支部工作思路不宽"),
        "committee": make_item(tree.orgs.committee, owner_text="机关党委办公室", content="机关党委统筹不够"),
    })
