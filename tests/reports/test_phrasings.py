"""How reports written by different offices ask for figures: each phrasing, the figure it must map to and
the value it must get from a fixture whose counts differ, and each period, subset, scope and ordinal case on
its wrong side too (the reader refuses: 【待填】, never the parent's figure)."""

from datetime import date
from decimal import Decimal

import pytest

from zhibu.orgs import access
from zhibu.dues.models import DuesPayment
from zhibu.orgs.models import Category, DuesCategory, Gender, Organisation, Person
from zhibu.records.models import Activity, ActivityType, Attendance, Status, Tag
from zhibu.reports.fill import fill_placeholders

YEAR = 2025
TODAY = date(2026, 1, 15)


def _records(org, key, count, day=date(YEAR, 5, 10), *, tags=(), roll=None, **values):
    kind = ActivityType.objects.get(key=key)
    made = [Activity.objects.create(org=org, type=kind, date=day, **values) for _ in range(count)]
    for activity in made:
        if tags:
            activity.tags.set(Tag.for_names(list(tags)))
    for activity in made[:1]:
        for person, status in (roll or {}).items():
            Attendance.objects.create(activity=activity, person=person, status=status)
    return made


@pytest.fixture
def world(tree):
    a, b, committee = tree.orgs.a, tree.orgs.b, tree.orgs.committee
    Organisation.objects.filter(pk=a.pk).update(unit="测试局")
    Organisation.objects.filter(pk=b.pk).update(unit="测试局二所")
    p = tree.people
    Person.objects.filter(pk=p.a_other.pk).update(gender=Gender.FEMALE)

    def person(name, category, **dates):
        return Person.objects.create(branch=a, name=name, category=category, **dates)

    qian = person("钱芳", Category.FULL, gender=Gender.FEMALE, dues_category=DuesCategory.RETIRED,
                  admitted_on=date(2000, 7, 1), full_on=date(2001, 7, 1))
    sun = person("孙丽", Category.PROBATIONARY, gender=Gender.FEMALE, admitted_on=date(2025, 6, 1))
    person("周强", Category.PROBATIONARY, admitted_on=date(2024, 11, 1))
    person("吴敏", Category.PROBATIONARY, gender=Gender.FEMALE, admitted_on=date(2025, 9, 1))
    person("郑军", Category.FULL, admitted_on=date(2024, 5, 1), full_on=date(2025, 5, 1))
    person("冯退", Category.FULL, dues_category=DuesCategory.RETIRED, admitted_on=date(1990, 7, 1), full_on=date(1991, 7, 1))
    for number, day in enumerate((date(2025, 2, 1), date(2025, 8, 1), date(2025, 10, 1), date(2022, 3, 1))):
        person(f"积极{number}", Category.ACTIVIST, activist_on=day)
    # Admitted after the report year: an activist on its last day, not a member.
    late = person("陈后", Category.PROBATIONARY, activist_on=date(2024, 6, 1), candidate_on=date(2026, 1, 10), admitted_on=date(2026, 3, 1))
    late.periods.update(start=date(2024, 6, 1))  # developed in this branch: here since becoming an activist
    person("何对象", Category.CANDIDATE, activist_on=date(2024, 1, 1), candidate_on=date(2025, 4, 1))
    for number in range(11):
        person(f"申请{number}", Category.APPLICANT, applied_on=date(2025, 3, 1))

    _records(a, "支部党员大会", 4)
    _records(a, "支部党员大会", 29, date(YEAR - 1, 6, 1))
    _records(a, "支部委员会会议", 13)
    _records(tree.orgs.group_a, "党小组会", 5)
    _records(a, "党课", 6, tags=("廉政",))
    _records(a, "党课", 7, tags=("专题",))
    _records(a, "党课", 3, lecturer=p.a_secretary)
    _records(a, "党课", 1)
    _records(a, "主题党日", 10)
    _records(a, "主题党日", 1, roll={p.a_secretary: Status.PRESENT, p.a_member: Status.PRESENT, sun: Status.PRESENT,
                                    p.a_other: Status.ABSENT})
    _records(a, "主题党日", 1, roll={qian: Status.PRESENT, p.a_secretary: Status.PRESENT})
    _records(a, "组织生活会", 1, date(YEAR, 11, 20))
    _records(a, "民主生活会", 1, date(YEAR, 1, 18))
    _records(a, "民主生活会", 1, date(YEAR, 12, 2))
    _records(a, "谈心谈话", 19, roll={p.a_secretary: Status.PRESENT, p.a_member: Status.PRESENT, p.a_other: Status.PRESENT})
    _records(a, "理论学习", 21)
    _records(a, "警示教育", 6)
    _records(a, "警示教育", 1, roll={p.a_secretary: Status.PRESENT, p.a_member: Status.PRESENT, p.a_other: Status.PRESENT,
                                    qian: Status.LEAVE})
    _records(a, "警示教育", 1, roll={p.a_secretary: Status.PRESENT, sun: Status.PRESENT, p.a_member: Status.ABSENT,
                                    qian: Status.ABSENT})
    _records(a, "宣传教育活动", 9)
    _records(a, "意识形态分析研判会", 10)
    _records(a, "党建工作专题研究", 14)
    _records(committee, "党建工作专题研究", 3)
    _records(committee, "理论学习", 20)
    _records(a, "局务会", 15)
    _records(a, "局务会", 16, date(YEAR - 1, 4, 1))
    _records(a, "局务会", 18, date(YEAR - 2, 4, 1))
    _records(a, "局务会", 30, date(YEAR - 3, 4, 1))
    _records(a, "签订党风廉政建设责任书", 1, quantity=23)
    _records(a, "签订党风廉政建设责任书", 1, quantity=24)
    _records(a, "廉政谈话", 25)
    _records(a, "捐款", 1, amount=Decimal("1200.50"))
    _records(a, "捐款", 1, amount=Decimal("800"))
    _records(a, "志愿服务", 26)
    _records(a, "政治生日", 25)
    _records(a, "政治生日", 1, roll={p.a_member: Status.PRESENT, p.a_other: Status.PRESENT})
    _records(a, "政治生日", 1, roll={p.a_member: Status.PRESENT})
    _records(b, "支部党员大会", 6)
    for month, amount in (("2025-01", "50.25"), ("2025-02", "50.25"), ("2025-03", "40")):
        DuesPayment.objects.create(person=p.a_member, month=month, amount=Decimal(amount))
    DuesPayment.objects.create(person=p.a_member, month="2024-12", amount=Decimal("99"))
    return tree


OFFICE, HOSPITAL, SCHOOL, COMMUNITY, COMMITTEE = "机关支部", "医院支部", "学校支部", "社区支部", "机关党委"
BRANCH_WRITERS = (OFFICE, HOSPITAL, SCHOOL, COMMUNITY)

# (writer, text, which mask (0 = first), the figure it must map to, the value). None: must stay 【待填】.
PHRASINGS = [
    # A branch secretary in an office
    (OFFICE, "全年召开支部党员大会*次。", 0, "count:支部党员大会", 4),
    (OFFICE, "召开支委会*次，", 0, "count:支部委员会会议", 13),
    (OFFICE, "组织党小组会*次。", 0, "count:党小组会", 5),
    (OFFICE, "讲党课*次，其中本人讲党课*次。", 0, "count:党课", 17),
    (OFFICE, "讲党课*次，其中本人讲党课*次。", 1, "count:党课|lecturer=secretary", 3),
    (OFFICE, "本人带头讲党课*次。", 0, "count:党课|lecturer=secretary", 3),
    (OFFICE, "讲廉政党课*次。", 0, "count:党课|tag=廉政", 6),
    (OFFICE, "开展专题党课*次。", 0, "count:党课|tag=专题", 7),
    (OFFICE, "开展谈心谈话*次。", 0, "count:谈心谈话", 19),
    (OFFICE, "开展集中学习*次。", 0, "count:理论学习", 21),
    (OFFICE, "组织观看警示教育片*次。", 0, "count:警示教育", 8),
    (OFFICE, "开展宣传教育活动*次。", 0, "count:宣传教育活动", 9),
    (OFFICE, "召开意识形态工作分析研判会*次。", 0, "count:意识形态分析研判会", 10),
    (OFFICE, "全年专题研究党建工作*次。", 0, "count:党建工作专题研究", 14),
    (OFFICE, "上年度召开局务会*次。", 0, "count:局务会|year=-1", 16),
    (OFFICE, "2023年以来，共召开局务会*次。", 0, "count:局务会|since=2023", 49),
    (OFFICE, "2023年以来共召开局务会*次。", 0, "count:局务会|since=2023", 49),
    (OFFICE, "签订党风廉政建设责任书*份。", 0, "quantity:签订党风廉政建设责任书", 47),
    (OFFICE, "开展廉政谈话*次。", 0, "count:廉政谈话", 25),
    (OFFICE, "组织党员干部捐款**元。", 0, "amount:捐款", 2000.5),
    (OFFICE, "捐款**万元。", 0, "amount:捐款", 0.2),
    (OFFICE, "开展志愿服务*次。", 0, "count:志愿服务", 26),
    (OFFICE, "为党员过政治生日*次。", 0, "count:政治生日", 27),
    (OFFICE, "为*名党员过政治生日。", 0, "people:政治生日", 2),
    (OFFICE, "参加主题党日活动*人次。", 0, "attendances:主题党日", 5),
    (OFFICE, "*名党员参加主题党日。", 0, "people:主题党日", 4),
    (OFFICE, "开展主题党日活动*次。", 0, "count:主题党日", 12),
    (OFFICE, "支部现有党员*名。", 0, "roster:members", 9),
    (OFFICE, "支部现有党员9名，其中正式党员*名、预备党员*名。", 0, "roster:full", 6),
    (OFFICE, "支部现有党员9名，其中正式党员6名、预备党员*名。", 0, "roster:probationary", 3),
    (OFFICE, "女党员*名。", 0, "roster:female", 4),
    (OFFICE, "在职党员*名，离退休党员*名。", 0, "roster:in_service", 7),
    (OFFICE, "在职党员*名，离退休党员*名。", 1, "roster:retired", 2),
    (OFFICE, "警示教育出席率为**%。", 0, "attendance_rate:警示教育", 62.5),
    (OFFICE, "收缴党费**元。", 0, "dues:paid", 140.5),
    (OFFICE, "于*月*日召开组织生活会。", 0, "month:组织生活会", 11),
    (OFFICE, "于*月*日召开组织生活会。", 1, "day:组织生活会", 20),
    (OFFICE, "召开本年度第*次组织生活会。", 0, "ordinal:组织生活会", 1),
    (OFFICE, "邀请市委党校专家讲党课*次。", 0, None, None),
    (OFFICE, "其中与共建社区联合开展主题党日*次。", 0, None, None),
    (OFFICE, "召开本年度第*次支部党员大会。", 0, None, None),
    (OFFICE, "民主生活会于*月召开。", 0, None, None),
    (OFFICE, "上半年召开支委会*次。", 0, None, None),
    (OFFICE, "较上年增加党员大会*次。", 0, None, None),
    (OFFICE, "理论学习参学率达**%。", 0, None, None),
    (OFFICE, "党员占干部职工总数的**%。", 0, None, None),
    (OFFICE, "截至10月底召开支委会*次。", 0, None, None),
    (OFFICE, "近三年召开党员大会*次。", 0, None, None),
    (OFFICE, "2022年召开局务会*次。", 0, None, None),
    (OFFICE, "党员大会平均出席*人。", 0, None, None),
    (OFFICE, "讲党课17次，其中在线上讲党课*次。", 0, None, None),
    (OFFICE, "讲党课17次，其中党课*次。", 0, None, None),
    (OFFICE, "班子成员讲党课*次。", 0, None, None),
    (OFFICE, "为全体党员讲党课*次。", 0, "count:党课", 17),
    (OFFICE, "局党组理论学习中心组集中学习*次，其中专题研讨*次。", 1, None, None),
    # A hospital's branch
    (HOSPITAL, "院党支部全年共召开党员大会*次。", 0, "count:支部党员大会", 4),
    (HOSPITAL, "召开支部委员会会议*次，研究党员发展等事项。", 0, "count:支部委员会会议", 13),
    (HOSPITAL, "组织全体党员开展主题党日活动*次。", 0, "count:主题党日", 12),
    (HOSPITAL, "支部书记讲党课*次。", 0, "count:党课|lecturer=secretary", 3),
    (HOSPITAL, "开展医德医风警示教育*次。", 0, "count:警示教育", 8),
    (HOSPITAL, "组织党员参加义诊志愿服务活动*次。", 0, "count:志愿服务", 26),
    (HOSPITAL, "开展谈心谈话*人次。", 0, "attendances:谈心谈话", 3),
    (HOSPITAL, "全年发展新党员*名。", 0, "developed:admitted", 2),
    (HOSPITAL, "截至2025年底，支部共有党员*名。", 0, "roster:members|on=2025-12-31", 9),
    (HOSPITAL, "截至2025年6月30日，支部共有党员*名。", 0, "roster:members|on=2025-06-30", 8),
    (HOSPITAL, "党费收缴**元。", 0, "dues:paid", 140.5),
    (HOSPITAL, "组织集中学习*次。", 0, "count:理论学习", 21),
    (HOSPITAL, "组织党员参加专家义诊*次。", 0, None, None),
    (HOSPITAL, "其中护理党员*名。", 0, None, None),
    (HOSPITAL, "开展主题党日活动12次，参与党员*人次。", 0, None, None),
    (HOSPITAL, "每月开展主题党日*次。", 0, None, None),
    # A school's branch
    (SCHOOL, "党支部共召开支部大会*次。", 0, "count:支部党员大会", 4),
    (SCHOOL, "上党课*次。", 0, "count:党课", 17),
    (SCHOOL, "书记讲党课*次。", 0, "count:党课|lecturer=secretary", 3),
    (SCHOOL, "组织党员教师开展志愿服务*次。", 0, "count:志愿服务", 26),
    (SCHOOL, "开展师德师风警示教育*次。", 0, "count:警示教育", 8),
    (SCHOOL, "新确定入党积极分子*名。", 0, "developed:activists", 3),
    (SCHOOL, "确定发展对象*名。", 0, "developed:candidates", 1),
    (SCHOOL, "全年接收预备党员*名。", 0, "developed:admitted", 2),
    (SCHOOL, "预备党员转正*名。", 0, "developed:confirmed", 1),
    (SCHOOL, "现有入党积极分子*名、发展对象*名。", 0, "roster:activists", 5),
    (SCHOOL, "现有入党积极分子*名、发展对象*名。", 1, "roster:candidates", 1),
    (SCHOOL, "收到入党申请人*名。", 0, "roster:applicants", 11),
    (SCHOOL, "本年度召开组织生活会*次。", 0, "count:组织生活会", 1),
    (SCHOOL, "2024年召开党员大会*次。", 0, "count:支部党员大会|year=-1", 29),
    (SCHOOL, "2025年召开党员大会*次。", 0, "count:支部党员大会", 4),
    (SCHOOL, "开展“三会一课”*次。", 0, None, None),
    (SCHOOL, "党员教师*名。", 0, None, None),
    (SCHOOL, "召开第*次党员大会。", 0, None, None),
    (SCHOOL, "党员人数较去年增长**%。", 0, None, None),
    # A community's branch
    (COMMUNITY, "社区党支部召开党员大会*次。", 0, "count:支部党员大会", 4),
    (COMMUNITY, "开展在职党员到社区服务*次。", 0, "count:志愿服务", 26),
    (COMMUNITY, "开展共驻共建活动*次。", 0, "count:志愿服务", 26),
    (COMMUNITY, "为老党员过政治生日*次。", 0, "count:政治生日", 27),
    (COMMUNITY, "社区党支部共有党员*名，其中离退休党员*名。", 0, "roster:members", 9),
    (COMMUNITY, "社区党支部共有党员*名，其中离退休党员*名。", 1, "roster:retired", 2),
    (COMMUNITY, "吸收预备党员*名。", 0, "developed:admitted", 2),
    (COMMUNITY, "开展宣传教育*次。", 0, "count:宣传教育活动", 9),
    (COMMUNITY, "下设党小组*个。", 0, "orgs:groups", 1),
    (COMMUNITY, "发展*名党员。", 0, "developed:admitted", 2),
    (COMMUNITY, "流动党员*名。", 0, None, None),
    (COMMUNITY, "其中少数民族党员*名。", 0, None, None),
    # A committee's own report
    (COMMITTEE, "各支部共召开党员大会*次。", 0, "count:支部党员大会|scope=subtree", 10),
    (COMMITTEE, "全年召开党员大会*次。", 0, "count:支部党员大会", 10),
    (COMMITTEE, "工委专题研究党建工作*次。", 0, "count:党建工作专题研究|scope=own", 3),
    (COMMITTEE, "全年专题研究党建工作*次。", 0, "count:党建工作专题研究", 17),
    (COMMITTEE, "党委理论学习中心组学习*次。", 0, "count:理论学习|scope=own", 20),
    (COMMITTEE, "机关党委下设党支部*个。", 0, "orgs:branches", 2),
    (COMMITTEE, "所属单位*个。", 0, "orgs:units", 2),
    (COMMITTEE, "全局共有党员*名。", 0, "roster:members", 10),
    (COMMITTEE, "各支部书记讲党课*次。", 0, "count:党课|lecturer=secretary|scope=subtree", 3),
    (COMMITTEE, "所属支部开展主题党日*次。", 0, "count:主题党日|scope=subtree", 12),
    (COMMITTEE, "全系统发展党员*名。", 0, "developed:admitted", 2),
    (COMMITTEE, "截至年底，全局共有预备党员*名。", 0, "roster:probationary|on=2025-12-31", 3),
    (COMMITTEE, "本人讲党课*次。", 0, None, None),
    (COMMITTEE, "党委书记讲党课*次。", 0, None, None),
    (COMMITTEE, "召开党建工作领导小组会议*次。", 0, None, None),
]


def _org(world, writer):
    return world.orgs.committee if writer == COMMITTEE else world.orgs.a


def test_the_table_is_large_and_varied():
    assert len(PHRASINGS) >= 80
    assert {writer for writer, *_ in PHRASINGS} == {OFFICE, HOSPITAL, SCHOOL, COMMUNITY, COMMITTEE}
    assert sum(1 for *_, metric, _ in PHRASINGS if metric is None) >= 25


@pytest.mark.parametrize("writer, text, index, metric, value", PHRASINGS, ids=[f"{w}:{t}#{i}" for w, t, i, *_ in PHRASINGS])
def test_a_phrasing_maps_to_its_figure_and_value(world, writer, text, index, metric, value):
    item = fill_placeholders(access.SYSTEM, _org(world, writer), YEAR, text, today=TODAY)[index]
    if metric is None:
        assert (item.status, item.value, item.text) == ("needs_input", None, "【待填】"), item.as_json()
        assert "请" in item.as_json()["reason"]
    else:
        assert (item.metric, item.value, item.status) == (metric, value, "filled"), item.as_json()


def test_the_previous_year_without_records_is_not_this_years_figure(world):
    item = fill_placeholders(access.SYSTEM, world.orgs.b, YEAR, "上年度召开党员大会*次。", today=TODAY)[0]
    assert item.status == "needs_input" and "2024" in item.note


def test_a_since_year_typed_by_the_user_sets_the_period(world):
    text = "****年以来，共召开局务会*次。"
    waiting = fill_placeholders(access.SYSTEM, world.orgs.a, YEAR, text, today=TODAY)[1]
    assert waiting.status == "needs_input"
    typed = fill_placeholders(access.SYSTEM, world.orgs.a, YEAR, text, {0: "2024"}, today=TODAY)[1]
    assert (typed.metric, typed.value) == ("count:局务会|since=2024", 31)


def test_a_typed_value_is_kept_even_where_the_records_give_one(world):
    text = "****年以来，共召开局务会*次。"
    filled = fill_placeholders(access.SYSTEM, world.orgs.a, YEAR, text, {0: "2023", 1: "24"}, today=TODAY)
    assert (filled[1].value, filled[1].text, filled[1].source) == (24, "24", "user")
    assert "49" in filled[1].note  # the computed figure is named, not used
