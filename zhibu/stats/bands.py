"""The buckets of the 党内统计 tables, as data: editions change them (docs/statistics.md).

The layout follows the public reproductions gathered in docs/statistics.md, not an official form; the
pages and the workbook say so. Change a bucket here and every table, link and sheet follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DateBand:
    key: str
    label: str
    first: date | None  # included; None: open
    last: date | None  # included; None: open
    level: int = 0  # 1: an "其中" row inside the bands, not added to the sum


# 入党时间 (党员基本情况).
ADMISSION_BANDS = (
    DateBand("a1937", "1937年7月6日及以前", None, date(1937, 7, 6)),
    DateBand("a1945", "1937年7月7日至1945年9月2日", date(1937, 7, 7), date(1945, 9, 2)),
    DateBand("a1949", "1945年9月3日至1949年9月30日", date(1945, 9, 3), date(1949, 9, 30)),
    DateBand("a1966", "1949年10月1日至1966年4月30日", date(1949, 10, 1), date(1966, 4, 30)),
    DateBand("a1976", "1966年5月1日至1976年10月31日", date(1966, 5, 1), date(1976, 10, 31)),
    DateBand("a1978", "1976年11月1日至1978年12月31日", date(1976, 11, 1), date(1978, 12, 31)),
    DateBand("a2002", "1979年1月1日至2002年10月31日", date(1979, 1, 1), date(2002, 10, 31)),
    DateBand("a2002on", "2002年11月1日以后", date(2002, 11, 1), None),
    DateBand("a2012on", "其中：2012年11月1日以后", date(2012, 11, 1), None, level=1),
    DateBand("a2017on", "其中：2017年10月1日以后", date(2017, 10, 1), None, level=1),
)


@dataclass(frozen=True)
class AgeBand:
    key: str
    label: str
    youngest: int | None  # age in whole years at the day counted, included
    oldest: int | None


# 党员基本情况: age at the end of the year.
MEMBER_AGE_BANDS = (
    AgeBand("age30", "30岁及以下", None, 30),
    AgeBand("age35", "31岁至35岁", 31, 35),
    AgeBand("age40", "36岁至40岁", 36, 40),
    AgeBand("age45", "41岁至45岁", 41, 45),
    AgeBand("age50", "46岁至50岁", 46, 50),
    AgeBand("age55", "51岁至55岁", 51, 55),
    AgeBand("age60", "56岁至60岁", 56, 60),
    AgeBand("age61", "61岁及以上", 61, None),
)
# 发展党员情况: age at the end of the year.
DEVELOPED_AGE_BANDS = (
    AgeBand("age35", "35岁及以下", None, 35),
    AgeBand("age59", "36岁至59岁", 36, 59),
    AgeBand("age60", "60岁及以上", 60, None),
)


@dataclass(frozen=True)
class EducationBand:
    key: str
    label: str
    values: tuple[str, ...]
    level: int = 0


EDUCATION_BANDS = (
    EducationBand("pg", "研究生", ("研究生", "博士研究生", "硕士研究生")),
    EducationBand("phd", "其中：博士", ("博士研究生",), level=1),
    EducationBand("msc", "其中：硕士", ("硕士研究生",), level=1),
    EducationBand("ba", "大学本科", ("大学本科",)),
    EducationBand("college", "大学专科", ("大学专科",)),
    EducationBand("sec", "中专", ("中专",)),
    EducationBand("high", "高中、中技", ("高中", "中技")),
    EducationBand("junior", "初中及以下", ("初中及以下",)),
)

# A 转入 or 转出 whose 原因 carries this word is counted as 整建制 (the records have no other mark of it).
WHOLE_ORG_WORD = "整建制"
