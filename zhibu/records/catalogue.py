"""The catalogue of activity types (活动类型目录), as data.

Every record of a branch's work has one type from this catalogue. The rows
follow the table "Activity type catalogue" of the exchange-format document:
one canonical name per type, plus the aliases accepted on import and when
reading a report template. The canonical name is also the type's immutable
key (ActivityType.key), which rules, figures, points and saved report
mappings refer to: an administrator may rename a type on the web (its words),
but the catalogue must never change a canonical name.

No Django, no database: the models, the importer and the report reader all
read these specs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum


class Measure(StrEnum):
    """What one record of a type contributes to the figures."""

    COUNT = "count"  # one occurrence per record (次)
    QUANTITY = "quantity"  # the record's 数量 column: copies signed (份), batches sent (批)
    AMOUNT = "amount"  # the record's 金额 column, in yuan (元)


# The units a measure may be reported in; anything else is a typo in the table.
_UNITS_BY_MEASURE: dict[Measure, tuple[str, ...]] = {
    Measure.COUNT: ("次",),
    Measure.QUANTITY: ("份", "批"),
    Measure.AMOUNT: ("元",),
}


@dataclass(frozen=True)
class ActivityTypeSpec:
    """One activity type.

    `takes_attendance` says whether a record of this type lists who was
    present, on leave or absent (出席/请假/缺席). It is True for gatherings
    whose attendance rules, points or ledgers care about, and False for acts
    that are done rather than attended (signing, donating, sending a team).
    """

    name: str
    aliases: tuple[str, ...]
    group: str
    takes_attendance: bool
    measure: str
    unit: str

    def __post_init__(self) -> None:
        measure = Measure(self.measure)  # raises on an unknown measure
        if self.unit not in _UNITS_BY_MEASURE[measure]:
            raise ValueError(f"活动类型“{self.name}”的计量单位“{self.unit}”与计量方式 {measure} 不符")

    @property
    def key(self) -> str:
        """The type's immutable identity (ActivityType.key): its canonical name as first catalogued."""
        return self.name

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name first, then the aliases."""
        return (self.name, *self.aliases)


def _occurrence(name: str, *aliases: str, group: str, takes_attendance: bool) -> ActivityTypeSpec:
    return ActivityTypeSpec(name, aliases, group, takes_attendance, Measure.COUNT, "次")


def _quantity(name: str, *aliases: str, group: str, unit: str) -> ActivityTypeSpec:
    # Signing and sending are acts, not gatherings: nobody is marked present.
    return ActivityTypeSpec(name, aliases, group, False, Measure.QUANTITY, unit)


def _amount(name: str, *aliases: str, group: str) -> ActivityTypeSpec:
    # Money moved by the unit or its members; nobody is marked present.
    return ActivityTypeSpec(name, aliases, group, False, Measure.AMOUNT, "元")


THREE_MEETINGS_ONE_LESSON = "三会一课"
ORGANISATIONAL_LIFE = "组织生活"
STUDY = "学习教育"
IDEOLOGY = "意识形态"
RESPONSIBILITY = "责任落实"
INTEGRITY = "党风廉政"
LEADING_ROLE = "党建引领"

ACTIVITY_TYPES: tuple[ActivityTypeSpec, ...] = (
    # 三会一课: quorum and attendance rules of the 支部工作条例 apply.
    _occurrence("支部党员大会", "党员大会", "支部大会", group=THREE_MEETINGS_ONE_LESSON, takes_attendance=True),
    _occurrence("支部委员会会议", "支委会", "支委会议", group=THREE_MEETINGS_ONE_LESSON, takes_attendance=True),
    _occurrence("党小组会", "党小组会议", group=THREE_MEETINGS_ONE_LESSON, takes_attendance=True),
    _occurrence("党课", "讲党课", "上党课", group=THREE_MEETINGS_ONE_LESSON, takes_attendance=True),
    # 组织生活: members take part in person; points schemes count each attendance.
    _occurrence("主题党日", "主题党日活动", group=ORGANISATIONAL_LIFE, takes_attendance=True),
    _occurrence("组织生活会", group=ORGANISATIONAL_LIFE, takes_attendance=True),
    _occurrence("民主评议党员", "民主评议", group=ORGANISATIONAL_LIFE, takes_attendance=True),
    # The 2/3 attendance rule for the leadership group needs the list.
    _occurrence("民主生活会", group=ORGANISATIONAL_LIFE, takes_attendance=True),
    # The participants are the evidence that each pair of committee members talked.
    _occurrence("谈心谈话", group=ORGANISATIONAL_LIFE, takes_attendance=True),
    _occurrence("政治生日", "过政治生日", group=ORGANISATIONAL_LIFE, takes_attendance=True),
    # 学习教育: study sessions; missed collective study costs points.
    _occurrence(
        "理论学习", "集中学习", "理论学习中心组学习", "支部理论学习", group=STUDY, takes_attendance=True
    ),
    _occurrence("领导干部上讲堂", group=STUDY, takes_attendance=True),
    _occurrence("警示教育", "观看警示教育片", group=STUDY, takes_attendance=True),
    # A campaign aimed at the public (a week or a month of stalls and posters),
    # not a session the members sit in, so there is no roll to take.
    _occurrence("宣传教育活动", "宪法宣传周", "宣传月", group=STUDY, takes_attendance=False),
    _occurrence(
        "意识形态分析研判会", "意识形态研判会", "意识形态领域分析研判会", group=IDEOLOGY, takes_attendance=True
    ),
    # Meetings of the leadership that put party work on the agenda.
    _occurrence("党建工作专题研究", "专题研究党建工作", group=RESPONSIBILITY, takes_attendance=True),
    _occurrence("局务会", "办公会", "党组会", group=RESPONSIBILITY, takes_attendance=True),
    _occurrence(
        "党风廉政建设专题研究", "专题研究部署党风廉政建设工作", group=INTEGRITY, takes_attendance=True
    ),
    _quantity("签订党风廉政建设责任书", "签订责任书", group=INTEGRITY, unit="份"),
    # Each cadre makes a pledge in writing; an act, not a gathering.
    _occurrence("廉政承诺", "作廉政承诺", group=INTEGRITY, takes_attendance=False),
    # The list names who was talked to, which is what an inspection asks for.
    _occurrence("廉政谈话", group=INTEGRITY, takes_attendance=True),
    # An inspection of how the duty is carried out, not a meeting.
    _occurrence(
        "党风廉政建设责任制检查", "检查党风廉政建设责任制落实情况", group=INTEGRITY, takes_attendance=False
    ),
    _occurrence("家风教育", "家风教育活动", group=INTEGRITY, takes_attendance=True),
    _quantity("签订家风承诺书", group=INTEGRITY, unit="份"),
    # A visit to a cadre's home; the figure is the number of visits.
    _occurrence("廉政家访", group=INTEGRITY, takes_attendance=False),
    # Communities report back which serving members turned up (在职党员到社区报到).
    _occurrence(
        "志愿服务", "社区志愿服务", "在职党员到社区服务", "共驻共建", group=LEADING_ROLE, takes_attendance=True
    ),
    _quantity("驻村帮扶", "驻村", "结对帮扶", group=LEADING_ROLE, unit="批"),
    _amount("工作经费划拨", "划拨工作经费", group=LEADING_ROLE),
    _amount("捐款", group=LEADING_ROLE),
    _amount("筹款", group=LEADING_ROLE),
    # The secretary's visit to a branch he or she is linked with.
    _occurrence("联系点指导", "党支部联系点", group=RESPONSIBILITY, takes_attendance=False),
    # Duty work in the field, not a gathering.
    _occurrence("疫情防控", group=LEADING_ROLE, takes_attendance=False),
    # Training the unit gives others in its line of work (e.g. 统计法 for firms).
    _occurrence("业务宣传培训", "宣传教育培训", group=LEADING_ROLE, takes_attendance=False),
)

_WHITESPACE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    # \s covers the full-width space (U+3000) people type between Chinese words.
    return _WHITESPACE.sub("", text or "")


def _index_by_name(types: tuple[ActivityTypeSpec, ...]) -> dict[str, ActivityTypeSpec]:
    index: dict[str, ActivityTypeSpec] = {}
    for spec in types:
        for name in spec.names:
            key = _normalise(name)
            if key in index:
                # One name for two types would make imports ambiguous.
                raise ValueError(f"活动类型名称“{name}”重复：{index[key].name} 与 {spec.name}")
            index[key] = spec
    return index


_SPEC_BY_NAME = _index_by_name(ACTIVITY_TYPES)

# difflib's own default: below it a "did you mean" is noise, e.g. 主题党日会 → 党组会
# shares only 党 and 会 (0.5).
_SUGGESTION_CUTOFF = 0.6


def type_key(name: str) -> str:
    """The key of the catalogued type with this canonical name, for rules and figures that refer to a type as
    data: a name the catalogue does not hold fails when its module is imported, not silently at run time."""
    spec = _SPEC_BY_NAME.get(_normalise(name))
    if spec is None or spec.name != name:
        raise ValueError(f"活动类型目录中没有“{name}”（须写目录中的规范名称）")
    return spec.key


def resolve_type_name(text: str) -> ActivityTypeSpec | None:
    """The type named by `text` (canonical name or alias, spaces ignored), or None."""
    return _SPEC_BY_NAME.get(_normalise(text))


def suggest_type_names(text: str, n: int = 3) -> list[str]:
    """Canonical names closest to an unknown `text`, best first (aliases count too)."""
    wanted = _normalise(text)
    if not wanted:
        return []
    best_score: dict[str, float] = {}
    for name, spec in _SPEC_BY_NAME.items():
        score = difflib.SequenceMatcher(None, wanted, name).ratio()
        if score >= _SUGGESTION_CUTOFF and score > best_score.get(spec.name, 0.0):
            best_score[spec.name] = score
    # sorted() is stable, so equal scores keep catalogue order.
    ranked = sorted(best_score, key=best_score.__getitem__, reverse=True)
    return ranked[:n]


def unknown_type_message(text: str) -> str:
    """The message shown for a type name that is not in the catalogue."""
    suggestions = suggest_type_names(text, n=1)
    if suggestions:
        return f"未知的活动类型“{text}”，是否指“{suggestions[0]}”？"
    return f"未知的活动类型“{text}”，请使用活动类型目录中的名称。"
