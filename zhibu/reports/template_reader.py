"""Reading a masked report (述职报告模板): where the figures go and what they mean.

A template is last year's report with its figures masked: "召开党员大会*次",
"捐款**元", "**年度". `find_placeholders` finds every mask and says what it
stands for: a metric key (the figure), a profile field (the report year, the
unit's line of work), or None when the words around it do not say so
clearly. None is an answer, not a failure: the caller shows 【待填】 and asks
the user. A wrong figure in a 述职报告 is worse than a blank one, so the
reader never guesses.

How a figure is recognised: the unit right after the mask gives the kind
(次/份/批 → count, 元/万元 → amount, 年 → year); the words of the same clause
before the mask name it ("党员大会*次"), the nearest and then the longest
name winning, so "讲廉政党课*次" is 廉政党课 and not plain 党课. Only when
nothing before names it are the words after the unit read ("共召开*次意识形态
领域分析研判会"). A unit the metric is not counted in ("党员大会*人") is not
taken as that metric.

Quotation marks do not end a clause: in "开展“领导干部上讲堂”*次" the quoted
name is what is counted.

Years: "**年度" and a year opening a clause ("**年召开民主生活会*次") are the
report year; "**年存在的问题已整改完成" is the year before it. "****年以来"
starts the period of the figures after it in the same sentence part (up to
the next ，。；): written in digits ("2023年以来共召开局务会*次") it sets their
period to since 2023; masked, nobody can know it, so the year and the figures
it governs all need input. Years in the plans section (三、下步工作打算) are
not the report year and need input.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from zhibu.records.catalogue import ACTIVITY_TYPES, resolve_type_name
from zhibu.reports.metric_catalogue import METRICS, Aggregation, MetricSpec


class PlaceholderKind(StrEnum):
    COUNT = "count"
    AMOUNT = "amount"
    YEAR = "year"
    NAME = "name"


# Profile fields a placeholder may stand for (besides metric keys).
REPORT_YEAR = "report_year"
PREVIOUS_YEAR = "previous_year"  # the report year minus one
UNIT_NAME = "unit_name"
LINE_OF_WORK = "line_of_work"
CITY = "city"

# A run of mask characters. X, x and × also occur in Latin words and in
# arithmetic ("Excel", "XML", "3×4"), so a run with one of them counts only
# when no Latin letter or digit touches it.
_MASK_RUN = re.compile(r"[*＊□Xx×]+")
_LATIN_MASK_CHARS = frozenset("Xx×")
_LATIN_LETTER_OR_DIGIT = re.compile(r"[A-Za-z0-9]")

# The unit right after a mask decides its kind; longer units first ("万元" before "元").
_UNIT_KINDS: tuple[tuple[str, PlaceholderKind], ...] = (
    ("万元", PlaceholderKind.AMOUNT),
    ("元", PlaceholderKind.AMOUNT),
    ("年", PlaceholderKind.YEAR),
    *((unit, PlaceholderKind.COUNT) for unit in ("次", "份", "批", "个", "场", "人", "名", "篇", "项", "期")),
)
_FIGURE_KINDS = (PlaceholderKind.COUNT, PlaceholderKind.AMOUNT)

# Units in which a metric's figure may be written; a metric in 万元 can be
# written in 元 too, since converting is arithmetic, not a guess.
_TEXT_UNITS_BY_METRIC_UNIT: dict[str, frozenset[str]] = {
    "次": frozenset({"次", "场"}),
    "份": frozenset({"份"}),
    "批": frozenset({"批"}),
    "人": frozenset({"人", "名"}),
    "元": frozenset({"元", "万元"}),
    "万元": frozenset({"元", "万元"}),
}

# A clause ends at these; a "sentence part" (the reach of "****年以来") only
# at the stronger ones.
_CLAUSE_BREAKS = frozenset("，。；、：（）,.;:()！？!?\n")
_SENTENCE_PART_BREAKS = frozenset("，。；,;！？!?\n")
# Removed before matching words, so a quoted name still names the figure.
_IGNORED_IN_WORDS = re.compile(r"[\s“”‘’\"'《》「」『』]")

_CONTEXT_CHARS = 20

_SINCE_YEAR_IN_DIGITS = re.compile(r"(\d{4})年以来")
_SINCE = "以来"

# First-level headings ("三、下步工作打算"); years under a plans heading are future years.
_TOP_HEADING = re.compile(r"^[ \t\u3000]*[一二三四五六七八九十]+、(.*)$", re.MULTILINE)
_PLAN_HEADING_WORDS = ("打算", "计划", "思路")


@dataclass(frozen=True)
class Placeholder:
    """One mask in a report text and what it stands for.

    `target` is a metric key, a profile field (REPORT_YEAR, PREVIOUS_YEAR,
    UNIT_NAME, LINE_OF_WORK, CITY) or None when the text does not say.
    `reason` says in Chinese why, for the user who checks the mapping.
    `since_year_placeholder` is the index of the masked "****年以来" year
    that starts this figure's period; until the user fills it in, the figure
    cannot be computed.
    """

    index: int
    start: int
    end: int
    raw: str
    context: str
    kind: str
    unit: str
    target: str | None
    reason: str
    since_year_from_text: int | None = None
    since_year_placeholder: int | None = None

    @property
    def period(self) -> dict[str, int] | None:
        """{"since": year} when the text fixes the start year; None means the report year."""
        if self.since_year_from_text is None:
            return None
        return {"since": self.since_year_from_text}

    @property
    def needs_input(self) -> bool:
        return self.target is None or self.since_year_placeholder is not None


# ---------------------------------------------------------------------------
# Finding masks


class _Mask(NamedTuple):
    index: int
    start: int
    end: int
    raw: str
    unit: str
    kind: PlaceholderKind

    @property
    def unit_end(self) -> int:
        return self.end + len(self.unit)

    @property
    def is_figure(self) -> bool:
        return self.kind in _FIGURE_KINDS


def _mask_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every placeholder, in order; the list position is its index."""
    return [match.span() for match in _MASK_RUN.finditer(text) if not _touches_latin_word(text, match)]


def _touches_latin_word(text: str, match: re.Match[str]) -> bool:
    if _LATIN_MASK_CHARS.isdisjoint(match.group()):
        return False
    neighbours = text[max(match.start() - 1, 0) : match.start()] + text[match.end() : match.end() + 1]
    return bool(_LATIN_LETTER_OR_DIGIT.search(neighbours))


def _find_masks(text: str) -> list[_Mask]:
    masks = []
    for index, (start, end) in enumerate(_mask_spans(text)):
        unit, kind = next(
            ((unit, kind) for unit, kind in _UNIT_KINDS if text.startswith(unit, end)),
            ("", PlaceholderKind.NAME),
        )
        masks.append(_Mask(index, start, end, text[start:end], unit, kind))
    return masks


# ---------------------------------------------------------------------------
# Words that name a figure


class _Meaning(NamedTuple):
    metric: MetricSpec | None
    type_name: str | None  # the activity type the word names, if it is a type's name


def _build_vocabulary() -> dict[str, _Meaning]:
    """Every word that names a figure, mapped to its metric.

    A type's names denote the metric that counts all its records; a metric
    over some of them only (廉政党课, 书记讲党课) is named by its phrases. A
    type no metric counts is kept too, so its name is not mistaken for a
    neighbouring metric and the user learns why the figure is blank.
    """
    vocabulary: dict[str, _Meaning] = {}

    def claim(word: str, meaning: _Meaning) -> None:
        held = vocabulary.setdefault(word, meaning)
        if held.metric is not meaning.metric:
            raise ValueError(f"“{word}”同时指向指标 {held.metric.key} 与 {meaning.metric.key}")

    for metric in METRICS:
        for phrase in metric.phrases:
            claim(phrase, _Meaning(metric, None))
        if metric.narrows_records or metric.aggregation == Aggregation.DISTINCT_PEOPLE:
            continue
        for type_name in metric.types:
            for name in resolve_type_name(type_name).names:
                claim(name, _Meaning(metric, type_name))
    for spec in ACTIVITY_TYPES:
        for name in spec.names:
            vocabulary.setdefault(name, _Meaning(None, spec.name))
    return vocabulary


_VOCABULARY = _build_vocabulary()


def _nearest_word(words: str, *, at_end: bool) -> tuple[str, _Meaning] | None:
    """The vocabulary word nearest the end (or the start) of `words`; the longest on a tie."""
    best: tuple[str, _Meaning] | None = None
    best_rank: tuple[int, int] | None = None
    for word, meaning in _VOCABULARY.items():
        position = words.rfind(word) if at_end else words.find(word)
        if position < 0:
            continue
        distance = len(words) - position - len(word) if at_end else position
        rank = (distance, -len(word))
        if best_rank is None or rank < best_rank:
            best, best_rank = (word, meaning), rank
    return best


def _clean_words(text: str) -> str:
    return _IGNORED_IN_WORDS.sub("", text)


def _start_after_break(text: str, position: int, breaks: frozenset[str]) -> int:
    while position > 0 and text[position - 1] not in breaks:
        position -= 1
    return position


def _end_before_break(text: str, position: int, breaks: frozenset[str]) -> int:
    while position < len(text) and text[position] not in breaks:
        position += 1
    return position


# ---------------------------------------------------------------------------
# Reading each kind of placeholder


class _Reading(NamedTuple):
    target: str | None
    reason: str
    since_year_from_text: int | None = None
    since_year_placeholder: int | None = None


def _read_figure(text: str, mask: _Mask, masks: list[_Mask]) -> _Reading:
    # A figure's words lie between it and the neighbouring figures, within its clause.
    previous_figure_end = max((m.unit_end for m in masks[: mask.index] if m.is_figure), default=0)
    words_start = max(_start_after_break(text, mask.start, _CLAUSE_BREAKS), previous_figure_end)
    next_figure_start = min((m.start for m in masks[mask.index + 1 :] if m.is_figure), default=len(text))
    words_end = min(_end_before_break(text, mask.unit_end, _CLAUSE_BREAKS), next_figure_start)
    figure = f"{mask.raw}{mask.unit}"

    found = _nearest_word(_clean_words(text[words_start : mask.start]), at_end=True)
    side = "之前"
    if not found:
        found = _nearest_word(_clean_words(text[mask.unit_end : words_end]), at_end=False)
        side = "之后"
    if not found:
        return _Reading(None, f"上下文未说明“{figure}”是什么数字，请填写")
    word, meaning = found
    evidence = f"“{figure}”{side}的“{word}”"

    metric = meaning.metric
    if metric is None:
        return _Reading(None, f"{evidence}是活动类型“{meaning.type_name}”，尚无对应的统计指标，请填写")
    if mask.unit not in _TEXT_UNITS_BY_METRIC_UNIT.get(metric.unit, ()):
        return _Reading(
            None, f"{evidence}对应指标“{metric.label}”，但其单位是“{metric.unit}”而非“{mask.unit}”，请填写"
        )
    reason = f"据{evidence}判断为“{metric.label}”"
    return _with_period(text, mask, masks, _Reading(metric.key, reason))


def _with_period(text: str, mask: _Mask, masks: list[_Mask], reading: _Reading) -> _Reading:
    """Apply the nearest "…年以来" earlier in the same sentence part, if any."""
    part_start = _start_after_break(text, mask.start, _SENTENCE_PART_BREAKS)
    digits = [
        (match.start(), int(match.group(1)))
        for match in _SINCE_YEAR_IN_DIGITS.finditer(text, part_start, mask.start)
    ]
    masked = [
        (m.start, m.index)
        for m in masks[: mask.index]
        if m.kind == PlaceholderKind.YEAR and m.start >= part_start and text.startswith(_SINCE, m.unit_end)
    ]
    if masked and (not digits or masked[-1][0] > digits[-1][0]):
        year_index = masked[-1][1]
        reason = f"{reading.reason}；统计起点为第{year_index + 1}处待填的年份（“年以来”），须先填写"
        return reading._replace(reason=reason, since_year_placeholder=year_index)
    if digits:
        year = digits[-1][1]
        return reading._replace(reason=f"{reading.reason}；自{year}年起算", since_year_from_text=year)
    return reading


def _read_year(text: str, mask: _Mask, in_plans: bool) -> _Reading:
    clause_start = _start_after_break(text, mask.start, _CLAUSE_BREAKS)
    clause_end = _end_before_break(text, mask.unit_end, _CLAUSE_BREAKS)
    after = text[mask.unit_end : clause_end]
    if after.startswith(_SINCE):
        return _Reading(None, "“年以来”的起始年份无法从记录得知，请填写；同一句中其后的数字自该年起算")
    if in_plans:
        return _Reading(None, "“下步工作打算”中的年份不是述职年度，请填写")
    if after.startswith("度"):
        return _Reading(REPORT_YEAR, "“年度”指述职年度")
    # (六) of the usual outline: the problems now rectified were raised in last year's review.
    if "问题" in after and "整改" in after:
        return _Reading(PREVIOUS_YEAR, "已整改的问题是上年度查摆的问题，年份为述职年度的上一年")
    if not _clean_words(text[clause_start : mask.start]):
        return _Reading(REPORT_YEAR, "句首的年份指述职年度")
    return _Reading(None, "无法确定该年份所指，请填写")


@dataclass(frozen=True)
class _FieldRule:
    """A phrasing that names a profile field: `before` must match the clause
    text right before the mask, `after` the text right after it."""

    target: str
    before: re.Pattern[str]
    after: re.Pattern[str]
    reason: str


# Only phrasings that cannot mean anything else. "抓细**工作" or "开展**宣传
# 教育培训" probably mean the line of work too, but "probably" is a guess.
# No phrasing has yet been found that names UNIT_NAME or CITY unambiguously.
_FIELD_RULES: tuple[_FieldRule, ...] = (
    _FieldRule(LINE_OF_WORK, re.compile(r"对$"), re.compile(r"^工作"), "“对**工作”指本单位的业务领域"),
    _FieldRule(LINE_OF_WORK, re.compile(r""), re.compile(r"^工作领域"), "“**工作领域”指本单位的业务领域"),
)


def _read_name(text: str, mask: _Mask) -> _Reading:
    clause_start = _start_after_break(text, mask.start, _CLAUSE_BREAKS)
    before = text[clause_start : mask.start]
    after = text[mask.end : _end_before_break(text, mask.end, _CLAUSE_BREAKS)]
    for rule in _FIELD_RULES:
        if rule.before.search(before) and rule.after.search(after):
            return _Reading(rule.target, rule.reason)
    return _Reading(None, "上下文未说明此处应填什么，请填写")


def _plan_section_checker(text: str) -> Callable[[int], bool]:
    """A function telling whether a position lies under a plans heading."""
    heading_starts = []
    is_plan_heading = []
    for match in _TOP_HEADING.finditer(text):
        heading_starts.append(match.start())
        is_plan_heading.append(any(word in match.group(1) for word in _PLAN_HEADING_WORDS))

    def in_plans(position: int) -> bool:
        at = bisect.bisect_right(heading_starts, position) - 1
        return at >= 0 and is_plan_heading[at]

    return in_plans


# ---------------------------------------------------------------------------
# Public API on plain text


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder of `text`, in order, with what it stands for."""
    masks = _find_masks(text)
    in_plans = _plan_section_checker(text)
    placeholders = []
    for mask in masks:
        if mask.is_figure:
            reading = _read_figure(text, mask, masks)
        elif mask.kind == PlaceholderKind.YEAR:
            reading = _read_year(text, mask, in_plans(mask.start))
        else:
            reading = _read_name(text, mask)
        placeholders.append(
            Placeholder(
                index=mask.index,
                start=mask.start,
                end=mask.end,
                raw=mask.raw,
                context=text[max(mask.start - _CONTEXT_CHARS, 0) : mask.end + _CONTEXT_CHARS],
                kind=mask.kind,
                unit=mask.unit,
                target=reading.target,
                reason=reading.reason,
                since_year_from_text=reading.since_year_from_text,
                since_year_placeholder=reading.since_year_placeholder,
            )
        )
    return placeholders


def _check_indexes(values: Mapping[int, str], count: int) -> None:
    unknown = sorted(index for index in values if not 0 <= index < count)
    if unknown:
        raise ValueError(f"模板中只有 {count} 处待填位置（编号 0–{count - 1}），没有编号 {unknown}")


def fill_text(text: str, values: Mapping[int, str]) -> str:
    """`text` with placeholder index → value replaced; placeholders not in `values` stay masked."""
    spans = _mask_spans(text)
    _check_indexes(values, len(spans))
    pieces = []
    cursor = 0
    for index, (start, end) in enumerate(spans):
        if index in values:
            pieces += [text[cursor:start], values[index]]
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


# ---------------------------------------------------------------------------
# Word documents
#
# Word splits text into runs wherever formatting, spell-checking or editing
# history changes, so "党员大会**次" may arrive as "党员大会*" + "*次". The
# document is therefore read as one text (paragraphs joined by newlines, in
# document order, table cells included) and offsets are mapped back to runs.


def _iter_paragraphs(container) -> Iterator[Paragraph]:
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _iter_table_paragraphs(block)
        else:
            yield block


def _iter_table_paragraphs(table: Table) -> Iterator[Paragraph]:
    # row.cells repeats a merged cell once per grid column and row it spans;
    # read each underlying cell element once.
    seen = set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from _iter_paragraphs(cell)


def _paragraph_runs(paragraph: Paragraph) -> list[Run]:
    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        runs.extend([item] if isinstance(item, Run) else item.runs)  # a Hyperlink holds runs
    return runs


def _run_text(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def iter_docx_paragraph_texts(document: DocxDocument) -> Iterator[str]:
    """The text of every paragraph of the body, table cells included, in document order."""
    for paragraph in _iter_paragraphs(document):
        yield _run_text(_paragraph_runs(paragraph))


def find_placeholders_in_docx(document: DocxDocument) -> list[Placeholder]:
    """Like `find_placeholders`; offsets refer to the paragraphs joined by newlines."""
    return find_placeholders("\n".join(iter_docx_paragraph_texts(document)))


def replace_placeholders_in_docx(document: DocxDocument, values: Mapping[int, str]) -> None:
    """Replace placeholder index → value in place.

    The value takes the formatting of the run where the placeholder starts;
    the rest of a placeholder split across runs is removed from the later runs.
    """
    paragraph_runs = [_paragraph_runs(paragraph) for paragraph in _iter_paragraphs(document)]
    paragraph_texts = [_run_text(runs) for runs in paragraph_runs]
    spans = _mask_spans("\n".join(paragraph_texts))
    _check_indexes(values, len(spans))
    paragraph_starts = []
    offset = 0
    for paragraph_text in paragraph_texts:
        paragraph_starts.append(offset)
        offset += len(paragraph_text) + 1  # the joining newline

    # From the last placeholder back, so earlier offsets in a paragraph stay valid.
    for index in sorted(values, reverse=True):
        start, end = spans[index]
        at = bisect.bisect_right(paragraph_starts, start) - 1
        local_start = start - paragraph_starts[at]
        _replace_in_runs(paragraph_runs[at], local_start, local_start + (end - start), values[index])


def _replace_in_runs(runs: list[Run], start: int, end: int, value: str) -> None:
    run_start = 0
    for run in runs:
        text = run.text
        run_end = run_start + len(text)
        if run_start < end and start < run_end:
            kept_before = text[: max(start - run_start, 0)]
            inserted = value if run_start <= start else ""
            kept_after = text[end - run_start :] if end < run_end else ""
            run.text = kept_before + inserted + kept_after
        run_start = run_end
