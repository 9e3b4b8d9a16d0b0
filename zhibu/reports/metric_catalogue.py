"""Figures (统计指标) as composed keys: what a report figure counts, written so a saved mapping stays stable.

There is no list of figures to maintain: every activity type yields its figures from what its records hold,
and the key says which one. A key is `<what>:<subject>` followed by options `|name=value` in name order:

- over the records of one activity type (the subject is the type's immutable key, ActivityType.key):
  `count:谈心谈话` (records), `quantity:签订党风廉政建设责任书` (total 数量, 份/批), `amount:捐款`
  (total 金额 in 元), `people:政治生日` (different people present), `attendances:主题党日` (人次: people
  present, added up over the records), `attendance_rate:支部党员大会` (实到 over 应到, in %),
  `ordinal:支部党员大会` ("第*次", 1 when the period holds exactly one such record), `month:组织生活会` /
  `day:组织生活会` ("*月*日", the date of the only such record);
- over the roster on a day (year end unless `on=`): `roster:members` (正式 + 预备), `roster:full`,
  `roster:probationary`, `roster:female`, `roster:in_service`, `roster:retired`, `roster:activists`,
  `roster:candidates`, `roster:applicants`; `orgs:branches`, `orgs:groups`, `orgs:units` (distinct 单位);
- development in the year: `developed:admitted` (入党日期 in the year: 发展党员, 接收预备党员),
  `developed:confirmed` (转正), `developed:activists`, `developed:candidates` (newly confirmed);
- dues: `dues:paid` (元 paid for the year's months), `dues:rate` (paid over due, %);
- the 党内统计 tables (zhibu/stats): `stats:<cell>`, e.g. `stats:t1.start` (上年底党员总数), `stats:t1.developed`,
  `stats:t1.transfer_out`, `stats:t2.minority`, `stats:t2.edu_ba`, `stats:t3.age35`, `stats:t4.overdue` — every cell
  in zhibu/stats/catalogue.py; the roster figures (`roster:members`, `full`, `probationary`, `female`) are the same
  counts as 党员的基本情况;
- `rectification:rate` (last year's 问题清单 items 已完成, %).

Options: `tag=廉政` (records carrying the tag), `lecturer=secretary` (主讲人 is the secretary of the record's
branch), `scope=own` (the organisation's own records and its 党小组's, not its branches'), `year=-1` (the
year before the report year), `since=2023` (from 1 January 2023 to the end of the report year),
`on=2025-06-30` (roster on that day).

No Django, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from zhibu.stats.catalogue import STATS_CELLS

# What a key counts, and the unit its value is in.
TYPE_MEASURES = {
    "count": "次", "quantity": "", "amount": "元", "people": "人", "attendances": "人次",
    "attendance_rate": "%", "ordinal": "次", "month": "月", "day": "日",
}
ROSTER = {
    "members": "党员", "full": "正式党员", "probationary": "预备党员", "female": "女党员", "in_service": "在职党员",
    "retired": "离退休党员", "activists": "入党积极分子", "candidates": "发展对象", "applicants": "入党申请人",
}
ORGS = {"branches": "党支部", "groups": "党小组", "units": "所属单位"}
DEVELOPED = {"admitted": "发展党员（接收预备党员）", "confirmed": "预备党员转正", "activists": "新确定入党积极分子",
             "candidates": "新确定发展对象"}
OTHER = {("dues", "paid"): ("收缴党费", "元"), ("dues", "rate"): ("党费收缴率", "%"),
         ("rectification", "rate"): ("上年度问题整改完成率", "%")}
STATS = STATS_CELLS  # cell key → what it counts; unit 人 (t4: 个)
RATES = frozenset({"attendance_rate", "dues", "rectification"})

_OPTION_NAMES = ("lecturer", "on", "scope", "since", "tag", "year")
_OPTION = re.compile(r"^(lecturer=secretary|scope=own|scope=subtree|since=\d{4}|tag=[^|=:]+|year=-[1-9]|on=\d{4}-\d{2}-\d{2})$")
_LABELS = {"count": "次数", "quantity": "数量", "amount": "金额", "people": "人数", "attendances": "人次",
           "attendance_rate": "出席率", "ordinal": "第几次", "month": "月份", "day": "日期"}


@dataclass(frozen=True)
class Metric:
    what: str
    subject: str
    tag: str | None = None
    lecturer: str | None = None  # "secretary"
    scope: str | None = None  # "own" or "subtree"; None: the rule for the organisation (see fill.py)
    year: int | None = None  # -1: the year before the report year
    since: int | None = None
    on: date | None = None

    @property
    def key(self) -> str:
        options = {
            "lecturer": self.lecturer, "on": self.on.isoformat() if self.on else None, "scope": self.scope,
            "since": self.since, "tag": self.tag, "year": self.year,
        }
        return f"{self.what}:{self.subject}" + "".join(f"|{n}={options[n]}" for n in _OPTION_NAMES if options[n] is not None)

    @property
    def over_type(self) -> bool:
        return self.what in TYPE_MEASURES

    @property
    def is_rate(self) -> bool:
        return self.what == "attendance_rate" or (self.what, self.subject) in (("dues", "rate"), ("rectification", "rate"))

    @property
    def is_date(self) -> bool:
        return self.what in ("month", "day")

    def label(self, type_names: dict[str, str] | None = None) -> str:
        """In Chinese, with the type's current display name when given."""
        if self.over_type:
            name = (type_names or {}).get(self.subject, self.subject)
            words = name + _LABELS[self.what]
        elif self.what == "roster":
            words = f"{ROSTER[self.subject]}人数"
        elif self.what == "orgs":
            words = f"{ORGS[self.subject]}个数"
        elif self.what == "developed":
            words = f"{DEVELOPED[self.subject]}人数"
        elif self.what == "stats":
            words = f"{STATS[self.subject]}（党内统计）"
        else:
            words = OTHER[(self.what, self.subject)][0]
        qualifiers = []
        if self.tag:
            qualifiers.append(f"标签“{self.tag}”")
        if self.lecturer:
            qualifiers.append("书记主讲")
        if self.scope == "own":
            qualifiers.append("本级")
        if self.year == -1:
            qualifiers.append("上年度")
        if self.since:
            qualifiers.append(f"{self.since}年以来")
        if self.on:
            qualifiers.append(f"截至{self.on.year}年{self.on.month}月{self.on.day}日")
        return words + (f"（{'，'.join(qualifiers)}）" if qualifiers else "")

    def with_options(self, **options) -> "Metric":
        return replace(self, **options)


def parse_metric(key: str) -> Metric:
    """The metric a key names; KeyError with a Chinese message for a key that is not well formed."""
    head, *options = key.split("|")
    what, _, subject = head.partition(":")
    valid = (
        (what in TYPE_MEASURES and subject)
        or (what == "roster" and subject in ROSTER)
        or (what == "orgs" and subject in ORGS)
        or (what == "developed" and subject in DEVELOPED)
        or (what == "stats" and subject in STATS)
        or (what, subject) in OTHER
    )
    if not valid or not all(_OPTION.match(option) for option in options):
        raise KeyError(f"无法识别的统计指标“{key}”")
    values: dict = {}
    for option in options:
        name, _, value = option.partition("=")
        if name in ("since", "year"):
            values[name] = int(value)
        elif name == "on":
            values[name] = date.fromisoformat(value)
        else:
            values[name] = value
    metric = Metric(what, subject, **values)
    if metric.key != key:
        raise KeyError(f"统计指标“{key}”的选项须按名称顺序排列：{metric.key}")
    return metric


def metric_by_key(key: str) -> Metric:
    return parse_metric(key)
