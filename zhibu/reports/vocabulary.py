"""The words a report uses for what the records hold, read from the tables when a report is read.

Activity types are named by their current name and aliases (so an alias an administrator adds on the
活动类型 page is understood in the next report) and a few phrasings reports use for them; tags by their
names. Every word leads to the type's immutable key, never to a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhibu.records.catalogue import ACTIVITY_TYPES


@dataclass(frozen=True)
class TypeWord:
    key: str
    name: str  # the current display name
    measure: str  # count, quantity, amount
    unit: str
    takes_attendance: bool


# Phrasings reports use for a type besides its names (type key → words). A type the table does not hold is
# skipped; a word that is already a type's name or alias keeps that meaning.
REPORT_PHRASES: dict[str, tuple[str, ...]] = {
    "党建工作专题研究": ("研究党建工作", "研究部署党建工作", "专题研究党建", "研究党的建设工作"),
    "党风廉政建设专题研究": ("研究部署党风廉政建设", "研究党风廉政建设", "部署党风廉政建设工作"),
    "签订党风廉政建设责任书": ("党风廉政建设责任书", "廉政责任书", "责任书"),
    "签订家风承诺书": ("家风承诺书",),
    "工作经费划拨": ("划拨", "工作经费"),
    "理论学习": ("中心组学习", "理论中心组学习", "中心组理论学习", "理论学习中心组集体学习", "集体学习"),
    "支部党员大会": ("党员大会", "全体党员大会", "支部党员大会会议"),
    "支部委员会会议": ("支委会会议", "支部委员会"),
    "主题党日": ("主题党日活动", "党员活动日"),
    "志愿服务": ("志愿服务活动", "志愿活动", "志愿者服务"),
    "民主评议党员": ("民主评议党员会议",),
    "意识形态分析研判会": ("意识形态工作分析研判", "意识形态形势分析研判", "分析研判意识形态"),
    "警示教育": ("警示教育活动", "警示教育大会", "警示教育片"),
    "宣传教育活动": ("宣传教育",),
    "谈心谈话": ("谈心", "谈话谈心"),
    "政治生日": ("政治生日活动",),
    "廉政家访": ("家访",),
    "家风教育": ("家风教育系列活动",),
    "驻村帮扶": ("驻村工作队",),
}


@dataclass(frozen=True)
class Vocabulary:
    types: dict[str, TypeWord]  # word (spaces removed) → type
    tags: frozenset[str]
    names: dict[str, str]  # type key → display name

    @classmethod
    def from_catalogue(cls, tags=("廉政", "专题")) -> "Vocabulary":
        """The catalogue's words, as a fresh installation has them (for reading without a database)."""
        rows = [(s.key, s.name, list(s.aliases), str(s.measure), s.unit, s.takes_attendance) for s in ACTIVITY_TYPES]
        return cls.build(rows, tags)

    @classmethod
    def from_database(cls) -> "Vocabulary":
        from zhibu.records.models import ActivityType, Tag

        rows = [(t.key, t.name, t.alias_list, t.measure, t.unit, t.takes_attendance) for t in ActivityType.objects.all()]
        return cls.build(rows, Tag.objects.values_list("name", flat=True))

    @classmethod
    def build(cls, rows, tags) -> "Vocabulary":
        words: dict[str, TypeWord] = {}
        names = {}
        for key, name, aliases, measure, unit, takes_attendance in rows:
            word = TypeWord(key, name, measure, unit, takes_attendance)
            names[key] = name
            for text in (name, *aliases):
                words.setdefault("".join(text.split()), word)
        for key, phrases in REPORT_PHRASES.items():
            word = next((w for w in words.values() if w.key == key), None)
            if word:
                for phrase in phrases:
                    words.setdefault(phrase, word)
        return cls(words, frozenset(t for t in tags if t), names)
