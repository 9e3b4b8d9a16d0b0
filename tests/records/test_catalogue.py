"""The activity type catalogue: every row of the exchange-format table, and name look-up."""

import pytest

from zhibu.records.catalogue import (
    ACTIVITY_TYPES,
    ActivityTypeSpec,
    resolve_type_name,
    suggest_type_names,
    unknown_type_message,
)

# Canonical name → aliases, as in the table of docs/exchange-format.md.
CATALOGUE_TABLE = {
    "支部党员大会": ("党员大会", "支部大会"),
    "支部委员会会议": ("支委会", "支委会议"),
    "党小组会": ("党小组会议",),
    "党课": ("讲党课", "上党课"),
    "主题党日": ("主题党日活动",),
    "组织生活会": (),
    "民主评议党员": ("民主评议",),
    "民主生活会": (),
    "谈心谈话": (),
    "政治生日": ("过政治生日",),
    "理论学习": ("集中学习", "理论学习中心组学习", "支部理论学习"),
    "领导干部上讲堂": (),
    "警示教育": ("观看警示教育片",),
    "宣传教育活动": ("宪法宣传周", "宣传月"),
    "意识形态分析研判会": ("意识形态研判会", "意识形态领域分析研判会"),
    "党建工作专题研究": ("专题研究党建工作",),
    "局务会": ("办公会", "党组会"),
    "党风廉政建设专题研究": ("专题研究部署党风廉政建设工作",),
    "签订党风廉政建设责任书": ("签订责任书",),
    "廉政承诺": ("作廉政承诺",),
    "廉政谈话": (),
    "党风廉政建设责任制检查": ("检查党风廉政建设责任制落实情况",),
    "家风教育": ("家风教育活动",),
    "签订家风承诺书": (),
    "廉政家访": (),
    "志愿服务": ("社区志愿服务", "在职党员到社区服务", "共驻共建"),
    "驻村帮扶": ("驻村", "结对帮扶"),
    "工作经费划拨": ("划拨工作经费",),
    "捐款": (),
    "筹款": (),
    "联系点指导": ("党支部联系点",),
    "疫情防控": (),
    "业务宣传培训": ("宣传教育培训",),
}


def spec(name):
    return next(spec for spec in ACTIVITY_TYPES if spec.name == name)


def test_it_holds_every_row_of_the_table_with_its_aliases():
    assert {spec.name: spec.aliases for spec in ACTIVITY_TYPES} == CATALOGUE_TABLE
    assert len(ACTIVITY_TYPES) == len(CATALOGUE_TABLE)


def test_groups_drop_the_tables_notes():
    assert spec("民主生活会").group == "组织生活"
    assert spec("签订家风承诺书").group == "党风廉政"
    assert spec("驻村帮扶").group == "党建引领"
    assert {s.group for s in ACTIVITY_TYPES} == {"三会一课", "组织生活", "学习教育", "意识形态", "责任落实", "党风廉政", "党建引领"}


@pytest.mark.parametrize(
    "name, measure, unit",
    [
        ("签订党风廉政建设责任书", "quantity", "份"),
        ("签订家风承诺书", "quantity", "份"),
        ("驻村帮扶", "quantity", "批"),
        ("工作经费划拨", "amount", "元"),
        ("捐款", "amount", "元"),
        ("筹款", "amount", "元"),
        ("支部党员大会", "count", "次"),
    ],
)
def test_measures_and_units(name, measure, unit):
    assert (spec(name).measure, spec(name).unit) == (measure, unit)


def test_meetings_take_attendance_and_acts_do_not():
    for name in ("支部党员大会", "党课", "主题党日", "民主生活会", "理论学习", "意识形态分析研判会", "党建工作专题研究", "党风廉政建设专题研究", "局务会"):
        assert spec(name).takes_attendance, name
    for name in ("签订党风廉政建设责任书", "签订家风承诺书", "捐款", "筹款", "工作经费划拨", "驻村帮扶"):
        assert not spec(name).takes_attendance, name


def test_a_unit_that_does_not_fit_the_measure_is_refused():
    with pytest.raises(ValueError, match="计量单位"):
        ActivityTypeSpec("测试", (), "党建引领", False, "amount", "份")


@pytest.mark.parametrize("text", ["支部委员会会议", "支委会", " 支委 会议 ", "支委\u3000会"])
def test_it_resolves_canonical_names_and_aliases_ignoring_spaces(text):
    assert resolve_type_name(text).name == "支部委员会会议"


def test_an_unknown_name_resolves_to_none():
    assert resolve_type_name("篮球比赛") is None


def test_it_suggests_the_nearest_canonical_names():
    assert suggest_type_names("党支部大会")[0] == "支部党员大会"  # close to the alias 支部大会
    assert suggest_type_names("主题党日会") == ["主题党日"]
    assert len(suggest_type_names("廉政", n=2)) <= 2
    assert suggest_type_names("篮球比赛") == []


def test_the_unknown_type_message_asks_about_the_nearest_name():
    assert unknown_type_message("党支部大会") == "未知的活动类型“党支部大会”，是否指“支部党员大会”？"
    assert "活动类型目录" in unknown_type_message("篮球比赛")
