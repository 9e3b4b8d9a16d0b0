"""Parsing the text people type into spreadsheet cells and forms."""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

LIST_SEPARATORS = re.compile(r"[、,，;；]")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")

DATE_HINT = "请写成 2025-03-18、2025/3/18 或 2025年3月18日，或使用 Excel 日期格式"


class CellError(ValueError):
    """A cell that cannot be read; the message says what is wrong and how to fix it."""


def split_list(value) -> list[str]:
    if value is None:
        return []
    text = str(value)
    if "," in text or "，" in text or ";" in text or "；" in text:
        parts = LIST_SEPARATORS.split(text)
    else:  # only 、 or no separator at all (nearly every list typed): the same split without the pattern
        parts = text.split("、")
    return [part.strip() for part in parts if part.strip()]


def parse_date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                raise CellError(f"“{text}”不是有效日期（月或日超出范围）") from None
    raise CellError(f"无法识别日期“{text}”，{DATE_HINT}")


def parse_datetime(value) -> tuple[date, time | None] | None:
    """A date with an optional time of day, e.g. 2025-03-18 14:30."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        at = value.time()
        return value.date(), (at if at != time(0, 0) else None)
    if isinstance(value, date):
        return value, None
    text = str(value).strip()
    day_text, _, time_text = text.partition(" ")
    day = parse_date(day_text)
    if not time_text.strip():
        return day, None
    match = _TIME.match(time_text.strip())
    if not match:
        raise CellError(f"无法识别时间“{time_text.strip()}”，请写成 14:30")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise CellError(f"时间“{time_text.strip()}”超出范围")
    return day, time(hour, minute)


def parse_decimal(value, *, places: int = 2) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{value}”不是数字") from None
    if not number.is_finite():
        raise CellError(f"“{value}”不是数字")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise CellError(f"“{value}”最多保留{places}位小数")
    return number.quantize(Decimal(1).scaleb(-places))


def parse_int(value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+", text):
        raise CellError(f"“{value}”不是整数")
    return int(text)


def cell_text(value) -> str:
    """Text of a cell; whole floats written by Excel (e.g. 3.0) come back as 3."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_OPENING, _CLOSING = "（(", "）)"
_BRACKET = re.compile(r"[（()）]")
_OPENING_BRACKET = re.compile(r"[（(]")


def split_list_outside_brackets(value) -> list[str]:
    """Like split_list, but a separator inside brackets does not split: "李明（公差，外地）、王芳" is two items."""
    if value is None:
        return []
    text = str(value)
    if not _OPENING_BRACKET.search(text):  # no brackets: the plain split (most rolls), much faster
        return split_list(text)
    # Split at every separator, then join again the pieces a bracket left open: only pieces holding a bracket
    # are looked at character by character (a roll of 请假 has one per name).
    pieces = LIST_SEPARATORS.split(text)
    separators = LIST_SEPARATORS.findall(text)
    items, current, depth = [], [], 0
    for number, piece in enumerate(pieces):
        current.append(piece)
        if _BRACKET.search(piece):
            for char in piece:
                if char in _OPENING:
                    depth += 1
                elif char in _CLOSING and depth:
                    depth -= 1
        if depth == 0:
            items.append("".join(current))
            current = []
        elif number < len(separators):
            current.append(separators[number])  # a separator inside brackets stays in the item
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


_TRAILING_BRACKETS = re.compile(r"^(.*?)[（(]([^（()）]*)[）)]$")


def split_trailing_note(text: str) -> tuple[str, str]:
    """"李明（公差）" → ("李明", "公差"); text without a trailing bracket → (text, "")."""
    match = _TRAILING_BRACKETS.match(text.strip())
    if not match or not match.group(1).strip():
        return text.strip(), ""
    return match.group(1).strip(), match.group(2).strip()
