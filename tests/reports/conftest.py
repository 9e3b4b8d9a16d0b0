"""A branch whose records give every figure of the seed report a different value, so a figure mapped to the
wrong metric cannot come out right by chance."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zhibu.records.models import Activity, ActivityType, Tag

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "masked_report_seed.txt"
YEAR = 2025

# How many records of each kind the fixture branch has in the report year; all different, so a
# figure mapped to the wrong metric cannot come out right by chance.
COUNTS = {
    "党建工作专题研究": 2, "意识形态分析研判会": 3, "民主生活会": 1, "支部党员大会": 4, "支部委员会会议": 11,
    "主题党日": 12, "领导干部上讲堂": 5, "政治生日": 6, "志愿服务": 7, "党风廉政建设专题研究": 9, "廉政承诺": 13,
    "廉政谈话": 14, "党风廉政建设责任制检查": 16, "廉政家访": 17,
}
# 党课: 3 tagged 廉政, 2 tagged 专题, 1 by the secretary, 2 plain: 8 in all.
LESSON_TAGS = [("廉政",), ("廉政",), ("廉政",), ("专题",), ("专题",), (), ()]


def add_records(org, type_name, day, count=1, *, tags=(), **values):
    kind = ActivityType.objects.get(name=type_name)
    made = [Activity.objects.create(org=org, type=kind, date=day, **values) for _ in range(count)]
    for activity in made:
        activity.tags.set(Tag.for_names(list(tags)))
    return made


@pytest.fixture
def branch_records(tree):
    branch = tree.orgs.a
    for type_name, count in COUNTS.items():
        add_records(branch, type_name, date(YEAR, 5, 1), count)
    for tags in LESSON_TAGS:
        add_records(branch, "党课", date(YEAR, 6, 1), tags=tags)
    add_records(branch, "党课", date(YEAR, 7, 1), lecturer=tree.people.a_secretary)
    add_records(branch, "签订党风廉政建设责任书", date(YEAR, 2, 1), quantity=10)
    add_records(branch, "签订党风廉政建设责任书", date(YEAR, 3, 1), quantity=15)
    add_records(branch, "签订家风承诺书", date(YEAR, 3, 1), quantity=30)
    add_records(branch, "签订家风承诺书", date(YEAR, 4, 1), quantity=7)
    add_records(branch, "驻村帮扶", date(YEAR, 4, 1), quantity=3)
    add_records(branch, "工作经费划拨", date(YEAR, 4, 1), amount=Decimal("35000"))
    add_records(branch, "工作经费划拨", date(YEAR, 9, 1), amount=Decimal("20000"))
    add_records(branch, "捐款", date(YEAR, 2, 1), amount=Decimal("1200.50"))
    add_records(branch, "捐款", date(YEAR, 3, 1), amount=Decimal("800"))
    add_records(branch, "筹款", date(YEAR, 3, 1), amount=Decimal("5000"))
    add_records(branch, "局务会", date(2023, 3, 1), 2)
    add_records(branch, "局务会", date(YEAR, 3, 1), 4)
    # Records that must not count: another year, another branch.
    add_records(branch, "支部党员大会", date(YEAR - 1, 12, 31))
    add_records(branch, "支部党员大会", date(YEAR + 1, 1, 1))
    add_records(tree.orgs.b, "支部党员大会", date(YEAR, 5, 1))
    return branch


OTHER_TEMPLATE = """二〇二五年度支部工作总结
一、主要工作
全年召开支部委员会会议X次，上党课×次，召开意识形态分析研判会议＊次，开展主题党日活动□次。
2023年以来共召开局务会**次。划拨工作经费**万元，捐款XX元，签订责任书x份。
其他活动*次。
"""
