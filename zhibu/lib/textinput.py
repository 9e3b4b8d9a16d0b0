"""Text that people type: one normaliser and one set of checks for forms, imports and commands alike.

- ``normalise(text)``: Unicode NFC, spaces (also the full-width space) trimmed at both ends and runs of spaces
  inside made one, so "王婷", "王婷 " and a decomposed "王婷" are the same name.
- ``validate_visible``: a model-field validator refusing invisible characters (zero-width space, byte-order mark,
  soft hyphen…) and direction controls (right-to-left override…), which can make two different names look alike.
- ``check_field(field, value)``: what an import does with a cell, using the model field's own max_length and
  validators, so a limit is defined once, on the model, and forms and imports agree.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Longest meeting record (会议内容) kept: a long 会议记录 is a few thousand characters.
MINUTES_MAX_LENGTH = 20000

_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
# Format characters (Cf: zero-width space/joiners, BOM, bidi controls, soft hyphen…), controls (Cc) and the line and
# paragraph separators. Newlines and tabs are allowed only where a text has several lines.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp", "Co", "Cs"}
_MULTILINE_ALLOWED = {"\n", "\r", "\t"}


def normalise(text: str | None) -> str:
    """One line of typed text as stored and compared: NFC, trimmed, inner runs of spaces made one."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip(" \t\u3000\u00a0\r\n")


def normalise_multiline(text: str | None) -> str:
    """A text of several lines: NFC and trimmed at both ends; the lines themselves are left as typed."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def invisible_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The invisible or direction-control characters in ``text``, as U+XXXX codes (each once)."""
    found = []
    for character in text or "":
        if multiline and character in _MULTILINE_ALLOWED:
            continue
        if unicodedata.category(character) in _INVISIBLE_CATEGORIES:
            code = f"U+{ord(character):04X}"
            if code not in found:
                found.append(code)
    return found


def _invisible_message(codes: list[str]) -> str:
    return (
        f"含有看不见的字符或文字方向控制符（{'、'.join(codes)}），它们会让不同的文字看起来一样；"
        "请删除后重新输入（从别处复制来的文字常带有这些字符，可直接手工输入）"
    )


def validate_visible(value) -> None:
    codes = invisible_characters(str(value or ""))
    if codes:
        raise ValidationError(_invisible_message(codes), code="invisible_characters")


def validate_visible_multiline(value) -> None:
    codes = invisible_characters(str(value or ""), multiline=True)
    if codes:
        raise ValidationError(_invisible_message(codes), code="invisible_characters")


def length_problem(label: str, value: str, limit: int | None) -> str | None:
    if limit is not None and len(value) > limit:
        return f"“{label}”最多 {limit} 个字，现在有 {len(value)} 个字，请删减"
    return None


def check_field(field, value, *, label: str | None = None) -> tuple[str, list[str]]:
    """A typed value normalised for ``field`` (a model field), and what is wrong with it by that field's rules."""
    from django.db import models

    multiline = isinstance(field, models.TextField)
    text = normalise_multiline(value) if multiline else normalise(value)
    label = label or str(field.verbose_name)
    problems = []
    problem = length_problem(label, text, field.max_length)
    if problem:
        problems.append(problem)
    elif text:
        for validator in field.validators:
            if getattr(validator, "code", None) == "max_length":
                continue  # said above, in words
            try:
                validator(text)
            except ValidationError as error:
                problems.extend(error.messages)
    return text, problems


# Two marks in a row where one is meant ("请核对。；" from joining whole sentences). The second mark is the one
# the writer placed to go on, except after "？！" (kept) or before "。" (the sentence ends there).
_DOUBLED = re.compile(r"[。；，、]+(?=[。；，、])")
_DOUBLED_END = re.compile(r"([；，、])。")


def tidy_punctuation(text: str) -> str:
    """Messages joined from sentences, with doubled Chinese punctuation made one: "错误。；另" → "错误；另"."""
    text = _DOUBLED_END.sub("。", str(text))
    return _DOUBLED.sub("", text)


def join_clauses(parts, separator: str = "；") -> str:
    """Sentences (each perhaps ending with 。, as Django's own messages do) joined into one message."""
    return tidy_punctuation(separator.join(str(part).rstrip("。") for part in parts if str(part).strip()))
