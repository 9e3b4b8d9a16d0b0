"""No message says "。；": every string the code writes, every template, and messages joined at run time."""

import ast
import re
from pathlib import Path

from django.contrib.messages import get_messages
from django.contrib.messages.storage import default_storage
from django.test import RequestFactory

from zhibu.lib.textinput import join_clauses, tidy_punctuation

ROOT = Path(__file__).resolve().parents[2] / "zhibu"
DOUBLED = re.compile(r"[。；，、：][。；，、]")
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
CHARACTER_CLASS = re.compile(r"\[\^?[^\]]+\]")  # a regular expression's [^各，、] lists marks, it does not write them


def _docstrings(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_string_in_the_code_doubles_its_punctuation():
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                text = CHARACTER_CLASS.sub("", node.value)
                if IDEOGRAPH.search(text) and DOUBLED.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]}")
    assert not found, "\n".join(found)


def test_no_template_doubles_its_punctuation():
    found = [f"{path.relative_to(ROOT)}: {match.group()}" for path in ROOT.rglob("*.html")
             for match in DOUBLED.finditer(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


def test_sentences_joined_at_run_time_keep_one_mark():
    assert join_clauses(["这个密码太短。它必须包含至少 8 个字符。", "这个密码太常见。"]) == \
        "这个密码太短。它必须包含至少 8 个字符；这个密码太常见"
    assert tidy_punctuation("第3行：日期无效。；第4行：姓名为空；。") == "第3行：日期无效；第4行：姓名为空。"


def test_every_message_a_page_adds_is_tidied(settings):
    request = RequestFactory().get("/")
    request.session = {}
    request._messages = default_storage(request)
    request._messages.add(20, "附件未上传：文件为空。；请重新选择")
    assert [str(message) for message in get_messages(request)] == ["附件未上传：文件为空；请重新选择"]
