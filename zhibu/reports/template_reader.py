"""Reading a masked report (述职报告模板): where the figures go and what they mean.

A template is last year's report with its figures masked: "召开党员大会*次",
"捐款**元", "**年度". `find_placeholders` finds every mask and says what it
stands for: a metric key (the figure), a profile field (the report year, the
unit's line of work), or None when the words around it do not say so
clearly. None is an answer, not a failure: the caller shows 【待填】 and asks
the user. A wrong figure in a 述职报告 is worse than a blank one, so the
reader never guesses.

How a figure is recognised: the unit right after the mask gives the kind
(次/份/批/人/名/人次/个 → count, 元/万元 → amount, % → rate, 月/日 → date,
年 → year); the words of the same clause before the mask name it
("党员大会*次"), the nearest and then the longest word winning, so
"讲廉政党课*次" is 党课 with the tag 廉政. The words after the unit are read
when nothing before names it, or when they name an activity type and the
words before only name people ("为*名党员过政治生日"). The words are the
activity types' names and aliases from the table (zhibu.reports.vocabulary)
and the roster, development and dues words below; the result is a composed
key (zhibu.reports.metric_catalogue). What narrows a figure to records the
records cannot tell apart, a part of the year, an average or a comparison
makes the reader refuse.

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

from zhibu.reports.vocabulary import TypeWord, Vocabulary


class PlaceholderKind(StrEnum):
    COUNT = "count"
    AMOUNT = "amount"
    YEAR = "year"
    NAME = "name"
    RATE = "rate"  # a percentage ("完成率为**%")
    DATE = "date"  # a month or a day ("于*月*日召开")


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
    ("%", PlaceholderKind.RATE),
    ("％", PlaceholderKind.RATE),
    ("月", PlaceholderKind.DATE),
    ("日", PlaceholderKind.DATE),
    ("人次", PlaceholderKind.COUNT),
    *((unit, PlaceholderKind.COUNT) for unit in ("次", "份", "批", "个", "场", "人", "名", "篇", "项", "期", "轮")),
)
_FIGURE_KINDS = (PlaceholderKind.COUNT, PlaceholderKind.AMOUNT, PlaceholderKind.RATE, PlaceholderKind.DATE)

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
    year_in_text: int | None = None  # "2024年召开…*次": that year (the report year, the one before, or unknown)
    as_of: tuple | None = None  # a roster's day named by "截至…": ("now",) or (year or None, month, day or None)
    personal: bool = False  # the reporter's own ("本人讲党课"): known for a branch's secretary only
    committee_subject: bool = False  # the organisation itself is the subject ("党委…"): its own records

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
#
# Besides the activity types (zhibu.reports.vocabulary), a report names figures of the roster, of the
# Party's development in the year and of dues. Each word leads to (what, subject) of a metric key.

ROSTER_WORDS: dict[str, tuple[str, str]] = {
    "党员": ("roster", "members"), "共产党员": ("roster", "members"), "正式党员": ("roster", "full"),
    "预备党员": ("roster", "probationary"), "女党员": ("roster", "female"), "女性党员": ("roster", "female"),
    "在职党员": ("roster", "in_service"), "离退休党员": ("roster", "retired"), "退休党员": ("roster", "retired"),
    "离休党员": ("roster", "retired"), "入党积极分子": ("roster", "activists"), "积极分子": ("roster", "activists"),
    "发展对象": ("roster", "candidates"), "入党申请人": ("roster", "applicants"),
    "递交入党申请书": ("roster", "applicants"), "申请入党": ("roster", "applicants"),
    "党支部": ("orgs", "branches"), "基层党支部": ("orgs", "branches"), "支部": ("orgs", "branches"),
    "党小组": ("orgs", "groups"), "所属单位": ("orgs", "units"), "下属单位": ("orgs", "units"),
    "发展党员": ("developed", "admitted"), "发展新党员": ("developed", "admitted"),
    "新发展党员": ("developed", "admitted"), "发展预备党员": ("developed", "admitted"),
    "接收预备党员": ("developed", "admitted"), "吸收预备党员": ("developed", "admitted"),
    "新接收预备党员": ("developed", "admitted"), "新党员": ("developed", "admitted"),
    "预备党员转正": ("developed", "confirmed"), "按期转正": ("developed", "confirmed"),
    "转为正式党员": ("developed", "confirmed"), "转正": ("developed", "confirmed"),
    "确定入党积极分子": ("developed", "activists"), "确定为入党积极分子": ("developed", "activists"),
    "新确定入党积极分子": ("developed", "activists"), "确定积极分子": ("developed", "activists"),
    "确定发展对象": ("developed", "candidates"), "确定为发展对象": ("developed", "candidates"),
    "列为发展对象": ("developed", "candidates"), "新确定发展对象": ("developed", "candidates"),
}
# A verb before the mask and a roster noun after it: "发展*名党员", "确定*名入党积极分子".
_DEVELOPMENT_VERBS = (
    (re.compile(r"(发展|发展了|接收|吸收|新发展|新接收)$"), {"members": "admitted", "probationary": "admitted"}),
    (re.compile(r"(转正|按期转正|办理转正)$"), {"members": "confirmed", "probationary": "confirmed"}),
    (re.compile(r"(确定|新确定|确定了|列为)$"), {"activists": "activists", "candidates": "candidates"}),
)
# Units each figure may be written in.
_COUNT_UNITS = frozenset({"次", "场", "期", "轮"})
_PEOPLE_UNITS = frozenset({"人", "名"})
_SENTENCE_BREAKS = frozenset("。；;！？!?\n")
# Lessons are the records with a 主讲人; "本人讲党课" is the secretary's own.
_LECTURED_TYPES = frozenset({"党课"})
_SELF = re.compile(r"本人|我|亲自|带头")
_SECRETARY = re.compile(r"书记")
_BRANCH_SECRETARY = re.compile(r"(各|党)?支部书记")
# Words that narrow a figure to records the records cannot tell apart.
_UNKNOWN_SUBSET = re.compile(r"邀请|专家|外请|特邀|联合|联学|共学|线上|网上|视频|异地|现场教学|参观|其他|其它")
_COMPARISON = re.compile(r"比上|较上|同比|环比|增加|增长|减少|下降|提高|提升|多于|少于")
_AVERAGE = re.compile(r"平均|月均|人均|每月|每季度|每季|每周|每半年|每年|每名|每个|每人")
_RATE_WORDS = re.compile(r"出席率|参会率|到会率|出勤率|参学率|参加率|参与率|到课率")
_OWN_SUBJECT = re.compile(r"^[^各，、]{0,4}?(党委|党组|工委|党工委|党总支|总支|中心组)")
# Lecturers the records do not tell apart from others (only the secretary is known: "本人/书记讲党课").
_OTHER_LECTURERS = re.compile(r"(班子成员|成员|委员|党员|领导干部|领导|干部|专家|老师|教授|讲师|先进典型|模范)(带头|亲自|分别|轮流|们)?$")
_AUDIENCE = re.compile(r"为|给|向|对|面向")
_SUBTREE_SUBJECT = re.compile(r"各支部|各党支部|各基层|所属|下属|全局|全系统|全市|全县|全区|全校|全院|全所|各单位|各党小组|基层党组织")
# Periods: the last marker before the figure in its reach wins.
_PERIOD_MARKERS = re.compile(
    r"(?P<since>(?P<since_year>\d{4})年(以来|至今))|(?P<previous>上一?年度?|去年|前一年度?)"
    r"|(?P<part>上半年|下半年|[一二三四1-4]季度|\d{1,2}月份|\d{1,2}[-—至到]\d{1,2}月|近[一二三两四五六七八九十\d]+年|"
    r"[二三两四五六七八九十\d]+年来|历年|任期内|本届以来|换届以来|近期|\d{1,2}月以来|截[至止]到?\d{1,2}月)"
    r"|(?P<year>(?P<year_digits>\d{4})年度?(?!以来|至今|底|末|\d|[一二三四]季度|上半年|下半年))"
)
_AS_OF = re.compile(r"截[至止]到?(?:(?P<now>目前|现在|今)|(?P<yend>年底|年末)|(?:(?P<y>\d{4})年)?(?:(?P<end>底|末)|(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<mend>底|末))?))")
_YEAR_END_WORDS = re.compile(r"年底|年末")


class _Reading(NamedTuple):
    target: str | None
    reason: str
    since_year_from_text: int | None = None
    since_year_placeholder: int | None = None
    year_in_text: int | None = None
    as_of: tuple | None = None  # ("now",) or (year or None, month, day or None)
    personal: bool = False  # "本人讲党课": the reporter's own, known only for a branch's secretary
    committee_subject: bool = False  # the committee itself is the subject: its own records


class _Found(NamedTuple):
    word: str
    start: int  # in the cleaned words
    type_word: TypeWord | None
    other: tuple[str, str] | None


def _nearest(words: str, vocabulary: Vocabulary, *, at_end: bool, types_only: bool = False) -> _Found | None:
    best, best_rank = None, None
    tables = [vocabulary.types] if types_only else [vocabulary.types, ROSTER_WORDS]
    for table in tables:
        for word, meaning in table.items():
            position = words.rfind(word) if at_end else words.find(word)
            if position < 0:
                continue
            distance = len(words) - position - len(word) if at_end else position
            rank = (distance, -len(word))
            if best_rank is None or rank < best_rank:
                is_type = table is vocabulary.types
                best = _Found(word, position, meaning if is_type else None, None if is_type else meaning)
                best_rank = rank
    return best


def _clean_words(text: str) -> str:
    return _MASK_RUN.sub("", _IGNORED_IN_WORDS.sub("", text))


def _start_after_break(text: str, position: int, breaks: frozenset[str]) -> int:
    while position > 0 and text[position - 1] not in breaks:
        position -= 1
    return position


def _end_before_break(text: str, position: int, breaks: frozenset[str]) -> int:
    while position < len(text) and text[position] not in breaks:
        position += 1
    return position


def _period(text: str, mask: _Mask, masks: list[_Mask]) -> tuple[dict, str | None]:
    """The period markers reaching the figure: {"since": y} / {"since_mask": i} / {"previous": True} /
    {"year": y}, or a refusal reason for a part of a year. A marker reaches to the next comma, or to the end
    of the sentence when a comma follows it ("2023年以来，…")."""
    sentence_start = _start_after_break(text, mask.start, _SENTENCE_BREAKS)
    part_start = _start_after_break(text, mask.start, _SENTENCE_PART_BREAKS)
    markers = []
    for match in _PERIOD_MARKERS.finditer(text, sentence_start, mask.start):
        follows_comma = text[match.end():match.end() + 1] in ("，", ",")
        if match.start() >= part_start or follows_comma:
            markers.append((match.start(), match))
    for m in masks[: mask.index]:
        if m.kind == PlaceholderKind.YEAR and m.start >= sentence_start and text.startswith(_SINCE, m.unit_end):
            follows_comma = text[m.unit_end + 2:m.unit_end + 3] in ("，", ",")
            if m.start >= part_start or follows_comma:
                markers.append((m.start, m))
    if not markers:
        return {}, None
    _, marker = max(markers, key=lambda item: item[0])
    if isinstance(marker, _Mask):
        return {"since_mask": marker.index}, None
    if marker.group("since"):
        return {"since": int(marker.group("since_year"))}, None
    if marker.group("previous"):
        return {"previous": True}, None
    if marker.group("part"):
        return {}, f"“{marker.group('part')}”是一年中的一段时间，记录按年统计，请填写"
    return {"year": int(marker.group("year_digits"))}, None


def _as_of(text: str, mask: _Mask) -> tuple | None:
    sentence_start = _start_after_break(text, mask.start, _SENTENCE_BREAKS)
    found = None
    for match in _AS_OF.finditer(text, sentence_start, mask.start):
        found = match
    if found is None:
        return None
    if found.group("now"):
        return ("now",)
    year = int(found.group("y")) if found.group("y") else None
    if found.group("end") or found.group("yend"):
        return (year, 12, 31)
    month = int(found.group("m"))
    if found.group("d"):
        return (year, month, int(found.group("d")))
    return (year, month, None)  # the end of that month


def _refuse(reason: str) -> _Reading:
    return _Reading(None, reason)


def _read_figure(text: str, mask: _Mask, masks: list[_Mask], vocabulary: Vocabulary) -> _Reading:
    # "*月*日" is one date: its parts do not cut each other's words.
    def bounds(m: _Mask) -> bool:
        return m.is_figure and not (m.kind == mask.kind == PlaceholderKind.DATE)

    previous_figure_end = max((m.unit_end for m in masks[: mask.index] if bounds(m)), default=0)
    clause_start = _start_after_break(text, mask.start, _CLAUSE_BREAKS)
    words_start = max(clause_start, previous_figure_end)
    next_figure_start = min((m.start for m in masks[mask.index + 1 :] if bounds(m)), default=len(text))
    words_end = min(_end_before_break(text, mask.unit_end, _CLAUSE_BREAKS), next_figure_start)
    before = _clean_words(text[words_start : mask.start])
    after = _clean_words(text[mask.unit_end : words_end])
    part_start = _start_after_break(text, mask.start, _SENTENCE_PART_BREAKS)
    part_before = _clean_words(text[part_start : mask.start])
    figure = f"{mask.raw}{mask.unit}"

    if _COMPARISON.search(before):
        return _refuse(f"“{figure}”是与其他时期比较的增减，不是记录的数目，请填写")
    if _AVERAGE.search(before) and mask.unit != "%":
        return _refuse(f"“{figure}”是平均数或每期的数，不是全年记录的数目，请填写")
    period, refusal = _period(text, mask, masks)
    if refusal:
        return _refuse(refusal)

    if mask.kind == PlaceholderKind.RATE:
        reading = _read_rate(text, mask, before, part_before, vocabulary, figure)
    elif mask.kind == PlaceholderKind.DATE:
        reading = _read_date(mask, before, after, vocabulary, figure)
    else:
        reading = _read_amount_or_count(text, mask, before, after, part_before, vocabulary, figure)
    if reading.target is None:
        return reading
    return _apply_period(reading, period, text, mask)


def _apply_period(reading: _Reading, period: dict, text: str, mask: _Mask) -> _Reading:
    target = reading.target
    if period.get("previous"):
        target += "|year=-1"
        reading = reading._replace(reason=reading.reason + "；“上年度”指述职年度的上一年")
    if "since" in period:
        year = period["since"]
        reading = reading._replace(reason=f"{reading.reason}；自{year}年起算", since_year_from_text=year)
    if "since_mask" in period:
        index = period["since_mask"]
        reading = reading._replace(
            reason=f"{reading.reason}；统计起点为第{index + 1}处待填的年份（“年以来”），须先填写",
            since_year_placeholder=index,
        )
    if "year" in period:
        reading = reading._replace(year_in_text=period["year"])
    if target.startswith(("roster:", "orgs:")):
        reading = reading._replace(as_of=_as_of(text, mask))
    elif "since" not in period and "since_mask" not in period:
        as_of = _as_of(text, mask)
        if as_of and as_of != ("now",) and as_of[1:] != (12, 31):
            return _refuse("“截至”某月的数字只是一年中的一部分，记录按年统计，请填写")
    return reading._replace(target=_sorted_options(target))


def _sorted_options(target: str) -> str:
    head, *options = target.split("|")
    return "|".join([head, *sorted(options)])


def _read_rate(text, mask, before, part_before, vocabulary, figure) -> _Reading:
    sentence_start = _start_after_break(text, mask.start, _SENTENCE_BREAKS)
    sentence = _clean_words(text[sentence_start : mask.start])
    if "整改" in sentence and re.search(r"完成率|整改率|销号率", before):
        return _Reading("rectification:rate", "“整改完成率”由问题清单计算")
    if "党费" in part_before and re.search(r"收缴率|缴纳率|缴费率|交纳率|按时足额缴纳率", before):
        return _Reading("dues:rate", "党费收缴率：全年实缴占应缴的比例")
    rate_word = _RATE_WORDS.search(before)
    if rate_word:
        found = _nearest(before[: rate_word.start()] or part_before, vocabulary, at_end=True, types_only=True)
        if found and found.type_word.takes_attendance:
            return _Reading(
                f"attendance_rate:{found.type_word.key}",
                f"据“{found.word}”的“{rate_word.group()}”判断为实到占应到的比例",
            )
        if found:
            return _refuse(f"“{found.word}”不登记出席情况，“{rate_word.group()}”无从计算，请填写")
    return _refuse(f"“{figure}”这一比例在记录中没有来源，请填写")


def _read_date(mask, before, after, vocabulary, figure) -> _Reading:
    found = _nearest(after, vocabulary, at_end=False, types_only=True) or _nearest(before, vocabulary, at_end=True, types_only=True)
    if not found:
        return _refuse(f"上下文未说明“{figure}”是哪次活动的日期，请填写")
    what = "month" if mask.unit == "月" else "day"
    return _Reading(f"{what}:{found.type_word.key}", f"据“{found.word}”判断为该活动的日期（仅当全年恰有一次时可填）")


def _read_amount_or_count(text, mask, before, after, part_before, vocabulary, figure) -> _Reading:
    unit = mask.unit
    if unit in ("元", "万元") and "党费" in before:
        return _Reading("dues:paid", "“党费”之后的金额为全年实缴党费")
    ordinal = text[mask.start - 1 : mask.start] == "第"
    found_before = _nearest(before, vocabulary, at_end=True)
    type_after = _nearest(after, vocabulary, at_end=False, types_only=True)
    if type_after and (found_before is None or found_before.other or ordinal):
        # "为*名党员过政治生日", "召开第*次支部党员大会": the type named after the figure
        found, side, qualifier = type_after, "之后", before
    elif found_before:
        found, side, qualifier = found_before, "之前", before[: found_before.start]
    else:
        found, side, qualifier = _nearest(after, vocabulary, at_end=False), "之后", before
    if found is None:
        return _refuse(f"上下文未说明“{figure}”是什么数字，请填写")
    where = f"“{figure}”{side}的“{found.word}”"
    if found.other:
        between = before[found.start + len(found.word):] if side == "之前" else ""
        return _read_roster(found, where, before, qualifier, between, part_before, unit, side)
    return _read_type(found, where, qualifier, part_before, unit, ordinal, figure, vocabulary)


def _read_roster(found, where, before, qualifier, between, part_before, unit, side) -> _Reading:
    what, subject = found.other
    if side == "之后":
        for pattern, mapping in _DEVELOPMENT_VERBS:
            if pattern.search(before) and subject in mapping:
                what, subject = "developed", mapping[subject]
                break
    wanted_units = {"个"} if what == "orgs" else _PEOPLE_UNITS
    if unit not in wanted_units:
        return _refuse(f"{where}是人数或组织数，但此处单位是“{unit}”，请填写")
    if (what, subject) == ("roster", "members"):
        # Only plain words may stand around "党员": "少数民族党员", "党员干部" are parts the roster cannot tell.
        subject_end = max((m.end() for m in _ORG_WORD.finditer(qualifier)), default=0)
        left = re.sub(_NEUTRAL_AROUND_MEMBERS, "", qualifier[subject_end:]) if side == "之前" else ""
        right = re.sub(_NEUTRAL_AFTER_MEMBERS, "", between)
        if left or right:
            return _refuse(f"{where}另有限定（“{left or right}”），名册无法区分，请填写")
        if "其中" in part_before:
            return _refuse(f"“其中”之后的{where}只是一部分党员，名册无法区分，请填写")
    subset = _UNKNOWN_SUBSET.search(qualifier)
    if subset:
        return _refuse(f"{where}受“{subset.group()}”限定，名册无法区分，请填写")
    return _Reading(f"{what}:{subject}", f"据{where}判断")


_NEUTRAL_AROUND_MEMBERS = re.compile(
    r"现有|共有|其中|全体|在册|总数|共计|合计|共|有|计|为|达|的|名|人|和|及|本|全|各|局|校|院|所|单位|党支部|支部|党委|机关|系统|党组织|截至|截止|年底|年末|目前|现在|底|末|年|月|日|\d"
)
# The organisation as a subject before "党员": "社区党支部共有党员", "全局现有党员".
_ORG_WORD = re.compile(r"党支部|支部|党委|党总支|总支|党组织|党组|工委|单位|全局|全校|全院|全系统|全所")
_NEUTRAL_AFTER_MEMBERS = re.compile(r"总数|总人数|人数|共计|合计|共|有|计|为|达|人")


def _read_type(found, where, qualifier, part_before, unit, ordinal, figure, vocabulary) -> _Reading:
    word = found.type_word
    subset = _UNKNOWN_SUBSET.search(qualifier)
    if subset:
        return _refuse(f"{where}受“{subset.group()}”限定，记录中无法区分这一部分，请填写（不能用全部{word.name}的数字）")
    tags = _tags_before(qualifier, vocabulary.tags)
    if len(tags) > 1:
        return _refuse(f"{where}同时受“{'、'.join(tags)}”限定，请填写")
    options = [f"tag={tags[0]}"] if tags else []
    personal = False
    word_at = part_before.rfind(found.word)
    part_qualifier = part_before[:word_at] if word_at >= 0 else part_before
    committee_subject = bool(_OWN_SUBJECT.match(part_qualifier)) and not _SUBTREE_SUBJECT.search(part_before)
    others = _OTHER_LECTURERS.search(qualifier) if word.key in _LECTURED_TYPES else None
    if others and not _SECRETARY.search(qualifier) and not _AUDIENCE.search(qualifier[: others.start()]):
        lecturers = others.group(1)
        return _refuse(f"{where}的主讲人是“{lecturers}”，记录只能区分书记主讲的党课，请填写（不能用全部{word.name}的数字）")
    if word.key in _LECTURED_TYPES and (_SELF.search(qualifier) or _SECRETARY.search(qualifier)):
        options.append("lecturer=secretary")
        personal = bool(_SELF.search(qualifier)) or not _BRANCH_SECRETARY.search(qualifier)
    elif re.search(r"本人|我", qualifier):
        return _refuse(f"{where}是本人参加的次数，记录按组织统计，请填写")
    if "其中" in part_before and not options:
        return _refuse(f"“其中”之后的{where}只是一部分，记录中无法区分，请填写（不能用全部{word.name}的数字）")
    if _SUBTREE_SUBJECT.search(part_before):
        options.append("scope=subtree")
    elif committee_subject:
        options.append("scope=own")

    if ordinal:
        if unit not in _COUNT_UNITS:
            return _refuse(f"“第{figure}”不是次序，请填写")
        return _Reading(f"ordinal:{word.key}", f"“第{figure}”是{where}的次序：仅当期间恰有一次时可填",
                        personal=personal, committee_subject=committee_subject)
    if unit in _COUNT_UNITS:
        what = "count"
    elif unit in ("份", "批"):
        if word.measure != "quantity" or word.unit != unit:
            return _refuse(f"{where}按“{word.unit}”统计，而此处单位是“{unit}”，请填写")
        what = "quantity"
    elif unit in ("元", "万元"):
        if word.measure != "amount":
            return _refuse(f"{where}不计金额，请填写")
        what = "amount"
    elif unit in _PEOPLE_UNITS or unit == "人次":
        if not word.takes_attendance:
            return _refuse(f"{where}不登记出席人员，“{unit}”无从计算，请填写")
        what = "attendances" if unit == "人次" else "people"
    else:
        return _refuse(f"{where}的记录不按“{unit}”统计，请填写")
    target = "|".join([f"{what}:{word.key}", *options])
    label = {"count": "次数", "quantity": "数量", "amount": "金额", "people": "人数", "attendances": "人次"}[what]
    return _Reading(target, f"据{where}判断为“{word.name}”的{label}" + ("（书记主讲）" if "lecturer=secretary" in options else "")
                    + (f"（标签“{tags[0]}”）" if tags else ""), personal=personal, committee_subject=committee_subject)


def _tags_before(qualifier: str, tags: frozenset[str]) -> list[str]:
    """Tags written right before the type's word ("廉政党课", "专题党课")."""
    found = []
    rest = qualifier
    for _ in range(3):
        match = next((tag for tag in sorted(tags, key=len, reverse=True) if rest.endswith(tag)), None)
        if not match:
            break
        found.append(match)
        rest = rest[: -len(match)]
    return found


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


def find_placeholders(text: str, vocabulary: Vocabulary | None = None, *, headings: "Headings | None" = None) -> list[Placeholder]:
    """Every placeholder of `text`, in order, with what it stands for.

    `vocabulary` is the words for activity types and tags (default: the tables, read now). `headings` gives,
    for text inside a table cell, the cell's row and column headings (see find_placeholders_in_docx).
    """
    vocabulary = vocabulary or Vocabulary.from_database()
    masks = _find_masks(text)
    in_plans = _plan_section_checker(text)
    placeholders = []
    for mask in masks:
        cell = headings.cell_at(mask.start) if headings else None
        if cell and mask.is_figure or (cell and mask.kind == PlaceholderKind.NAME):
            reading, kind, unit = _read_cell(text, mask, cell, vocabulary)
            mask = mask._replace(kind=kind, unit=unit)
        elif mask.is_figure:
            reading = _read_figure(text, mask, masks, vocabulary)
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
                year_in_text=reading.year_in_text,
                as_of=reading.as_of,
                personal=reading.personal,
                committee_subject=reading.committee_subject,
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
    for paragraph, _cell in _iter_paragraphs_with_cells(container):
        yield paragraph


class _CellHeadings(NamedTuple):
    row: str
    column: str


def _iter_paragraphs_with_cells(container, cell: _CellHeadings | None = None) -> Iterator[tuple[Paragraph, _CellHeadings | None]]:
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _iter_table_paragraphs(block)
        else:
            yield block, cell


def _iter_table_paragraphs(table: Table) -> Iterator[tuple[Paragraph, _CellHeadings | None]]:
    """Each cell's paragraphs once, with the cell's row heading (first column) and column heading (first row,
    and the second too when the first column's heading spans both). row.cells repeats a merged cell once per
    grid column and row it spans; each underlying cell element is read once, as its first position."""
    rows = [list(row.cells) for row in table.rows]
    header_rows = 1
    if len(rows) > 2 and rows[0] and rows[1] and rows[0][0]._tc is rows[1][0]._tc:
        header_rows = 2
    def column_heading(j: int) -> str:
        parts = []
        for r in rows[:header_rows]:
            if j < len(r) and r[j].text.strip() and r[j].text.strip() not in parts:
                parts.append(r[j].text.strip())
        return "".join(parts)
    seen = set()
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            headings = None
            if i >= header_rows and j >= 1:
                headings = _CellHeadings(row[0].text.strip(), column_heading(j))
            yield from _iter_paragraphs_with_cells(cell, headings)


@dataclass(frozen=True)
class Headings:
    """Spans of the joined text that lie in a table cell, with the cell's headings."""

    spans: tuple[tuple[int, int, _CellHeadings], ...]

    def cell_at(self, position: int) -> _CellHeadings | None:
        for start, end, cell in self.spans:
            if start <= position < end:
                return cell
        return None


_HEADING_UNIT = re.compile(r"[（(]([^（）()]{1,3})[）)]$")
_HEADING_UNIT_WORDS = (("次数", "次"), ("人次", "人次"), ("人数", "人"), ("份数", "份"), ("批次", "批"), ("个数", "个"),
                       ("金额", "元"), ("比例", "%"), ("率", "%"), ("场次", "场"))


def _read_cell(text: str, mask: _Mask, cell: _CellHeadings, vocabulary: Vocabulary):
    """A masked table cell read as "<row heading><column heading><mask><unit>"."""
    column = cell.column
    unit = mask.unit
    match = _HEADING_UNIT.search(column)
    if match:
        column = column[: match.start()]
        unit = unit or match.group(1)
    for word, word_unit in _HEADING_UNIT_WORDS:
        if column.endswith(word):
            column = column[: -len(word)] if word not in ("率",) else column
            unit = unit or word_unit
            break
    cell_text = _clean_words(text[_start_after_break(text, mask.start, frozenset("\n")) : mask.start])
    phrase = f"{cell.row}{column}{cell_text}{mask.raw}{unit}"
    inner = _find_masks(phrase)[-1]
    if not inner.is_figure:
        return _Reading(None, f"表格“{cell.row}”行“{cell.column}”列未说明此处是什么数字，请填写"), inner.kind, inner.unit
    reading = _read_figure(phrase, inner, [inner], vocabulary)
    reason = f"表格“{cell.row}”行、“{cell.column}”列：{reading.reason}"
    return reading._replace(reason=reason), inner.kind, inner.unit


def _docx_text_and_headings(document: DocxDocument) -> tuple[str, Headings]:
    texts, spans, offset = [], [], 0
    for paragraph, cell in _iter_paragraphs_with_cells(document):
        paragraph_text = _run_text(_paragraph_runs(paragraph))
        if cell:
            spans.append((offset, offset + len(paragraph_text) + 1, cell))
        texts.append(paragraph_text)
        offset += len(paragraph_text) + 1
    return "\n".join(texts), Headings(tuple(spans))


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


def docx_headings(document: DocxDocument) -> Headings:
    return _docx_text_and_headings(document)[1]


def find_placeholders_in_docx(document: DocxDocument, vocabulary: Vocabulary | None = None) -> list[Placeholder]:
    """Like `find_placeholders`; offsets refer to the paragraphs joined by newlines. A mask in a table cell is
    read with its row and column headings."""
    text, headings = _docx_text_and_headings(document)
    return find_placeholders(text, vocabulary, headings=headings)


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
