"""The default metrics (统计指标), as data.

A metric is one figure a report quotes, e.g. "共召开党员大会*次": which
records it counts (activity types, tags, lecturer) and how (count them, add
up their 数量 or 金额, count distinct people). The keys are stable: saved
report mappings and exports refer to them.

The catalogue covers every figure of the seed 述职报告 plus a few that
branches quote as often (党小组会, 组织生活会, 民主评议党员).

No Django, no database: the metrics engine evaluates these specs and the
template reader uses their names to recognise figures in a report text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from zhibu.records.catalogue import resolve_type_name


class Aggregation(StrEnum):
    COUNT = "count"  # number of records
    SUM_QUANTITY = "sum_quantity"  # total of the records' 数量 (份, 批)
    SUM_AMOUNT = "sum_amount"  # total of the records' 金额 (yuan; the unit may ask for 万元)
    DISTINCT_PEOPLE = "distinct_people"  # number of different people present
    RECTIFICATION_RATE = "rectification_rate"  # share of last year's 问题清单 items 已完成


class Scope(StrEnum):
    # The reporting organisation's own records (a branch's include its 党小组's).
    BRANCH = "branch"
    # The organisation and every organisation below it: a committee's report speaks for all its branches
    # ("全局共召开党员大会*次"), so this is the default.
    SUBTREE = "subtree"


_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class MetricSpec:
    """One figure over the records.

    `types` are canonical activity type names; `tags` narrow the records to
    those carrying every tag; `lecturer_is_secretary` keeps only lessons whose
    主讲人 is the branch secretary. `phrases` are the words, besides the
    types' names, that name this figure in a report text.
    """

    key: str
    label: str
    aggregation: str
    types: tuple[str, ...]
    tags: tuple[str, ...] = ()
    lecturer_is_secretary: bool = False
    unit: str = "次"
    scope: str = Scope.SUBTREE
    phrases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"指标键“{self.key}”须为小写英文、数字和下划线")
        Aggregation(self.aggregation)
        Scope(self.scope)
        for type_name in self.types:
            spec = resolve_type_name(type_name)
            if spec is None or spec.name != type_name:
                raise ValueError(f"指标“{self.label}”引用的“{type_name}”不是活动类型的规范名称")

    @property
    def narrows_records(self) -> bool:
        """True when only some records of its types count (by tag or lecturer)."""
        return bool(self.tags) or self.lecturer_is_secretary


def _count(key: str, label: str, *types: str, **options) -> MetricSpec:
    return MetricSpec(key, label, Aggregation.COUNT, types, **options)


METRICS: tuple[MetricSpec, ...] = (
    # 一、责任落实
    _count("party_building_study_count", "专题研究党建工作次数", "党建工作专题研究", phrases=("研究党建工作",)),
    _count("bureau_meeting_count", "局务会次数", "局务会"),
    # 意识形态
    _count("ideology_review_count", "意识形态分析研判会次数", "意识形态分析研判会"),
    # 三会一课
    _count("party_congress_count", "支部党员大会次数", "支部党员大会"),
    _count("committee_meeting_count", "支部委员会会议次数", "支部委员会会议"),
    _count("party_group_meeting_count", "党小组会次数", "党小组会"),
    _count("party_lesson_count", "党课次数", "党课"),
    # Derived lessons: named in a report only by their own phrases, because
    # the plain words 党课/讲党课 mean all lessons (party_lesson_count).
    _count("secretary_lesson_count", "书记讲党课次数", "党课", lecturer_is_secretary=True, phrases=("书记讲党课",)),
    _count("integrity_lesson_count", "廉政党课次数", "党课", tags=("廉政",), phrases=("廉政党课",)),
    _count("themed_lesson_count", "专题党课次数", "党课", tags=("专题",), phrases=("专题党课",)),
    # 组织生活
    _count("democratic_life_meeting_count", "民主生活会次数", "民主生活会"),
    _count("organisation_life_meeting_count", "组织生活会次数", "组织生活会"),
    _count("member_appraisal_count", "民主评议党员次数", "民主评议党员"),
    _count("theme_party_day_count", "主题党日次数", "主题党日"),
    _count("political_birthday_count", "过政治生日次数", "政治生日"),
    # Those a 政治生日 record honoured are listed on it as 出席.
    MetricSpec("political_birthday_people", "过政治生日党员人数", Aggregation.DISTINCT_PEOPLE, ("政治生日",), unit="人"),
    # 学习教育
    _count("leader_lecture_count", "领导干部上讲堂次数", "领导干部上讲堂"),
    # 党风廉政
    _count(
        "integrity_study_count",
        "专题研究部署党风廉政建设次数",
        "党风廉政建设专题研究",
        phrases=("研究部署党风廉政建设",),
    ),
    MetricSpec(
        "responsibility_letter_count",
        "签订党风廉政建设责任书份数",
        Aggregation.SUM_QUANTITY,
        ("签订党风廉政建设责任书",),
        unit="份",
        phrases=("党风廉政建设责任书",),
    ),
    _count("integrity_pledge_count", "廉政承诺次数", "廉政承诺"),
    _count("integrity_talk_count", "廉政谈话次数", "廉政谈话"),
    _count("responsibility_inspection_count", "党风廉政建设责任制检查次数", "党风廉政建设责任制检查"),
    MetricSpec(
        "family_pledge_count",
        "签订家风承诺书份数",
        Aggregation.SUM_QUANTITY,
        ("签订家风承诺书",),
        unit="份",
        phrases=("家风承诺书",),
    ),
    _count("family_visit_count", "廉政家访次数", "廉政家访"),
    # 党建引领
    _count("volunteer_service_count", "志愿服务活动次数", "志愿服务"),
    MetricSpec("village_batch_count", "驻村帮扶批次", Aggregation.SUM_QUANTITY, ("驻村帮扶",), unit="批"),
    # Reports quote allocations in 万元; the records keep yuan.
    MetricSpec(
        "work_fund_amount",
        "划拨工作经费（万元）",
        Aggregation.SUM_AMOUNT,
        ("工作经费划拨",),
        unit="万元",
        phrases=("划拨",),
    ),
    MetricSpec("donation_amount", "捐款金额（元）", Aggregation.SUM_AMOUNT, ("捐款",), unit="元"),
    MetricSpec("fundraising_amount", "筹款金额（元）", Aggregation.SUM_AMOUNT, ("筹款",), unit="元"),
    # 问题整改: over the 问题清单 rather than over activity records.
    MetricSpec(
        "rectification_rate",
        "上年度问题整改完成率",
        Aggregation.RECTIFICATION_RATE,
        (),
        unit="%",
        phrases=("整改完成率",),
    ),
)


def _index_by_key(metrics: tuple[MetricSpec, ...]) -> dict[str, MetricSpec]:
    index: dict[str, MetricSpec] = {}
    for metric in metrics:
        if metric.key in index:
            raise ValueError(f"指标键“{metric.key}”重复")
        index[metric.key] = metric
    return index


_METRIC_BY_KEY = _index_by_key(METRICS)


def metric_by_key(key: str) -> MetricSpec:
    """The metric with this key; KeyError names the key when there is none."""
    try:
        return _METRIC_BY_KEY[key]
    except KeyError:
        raise KeyError(f"没有键为“{key}”的统计指标") from None
