"""Demo records: every branch's work for the previous year and this year up to today.

Branches meet as the 支部工作条例 asks (主题党日 and, where a committee is required, 支委会 every month;
党员大会 and 党课 every quarter; 党小组会 every month for groups; 组织生活会 and 民主评议 in Q4), the
committee holds the meetings the annual report counts, and attendance is mostly full with some leave and a
few absences. A few gaps are left on purpose (DELIBERATE_GAPS) for the compliance checks to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from zhibu.orgs.models import COMMITTEE_POSTS, MEMBER_CATEGORIES, Organisation, OrgKind, Person, Post
from zhibu.records.models import Activity, ActivityType, Attendance, Status, Tag


@dataclass(frozen=True)
class Gap:
    """A finding the compliance engine (zhibu.compliance) must report for the demo.

    `rule` is a compliance rule key; `year_offset` is relative to the demo's today (-1: the previous year);
    `period` is the finding's period within that year: "07" for July, "Q2" for the second quarter, "" for
    the year. For "cadre_attendance" the person is `low_attendance_cadre(branch)`.
    """

    branch: str
    rule: str
    year_offset: int
    period: str = ""
    note: str = ""

    def period_label(self, today: date) -> str:
        """The label the engine gives the period, e.g. "2025-07", "2025-Q2" or "2025"."""
        year = today.year + self.year_offset
        return f"{year}-{self.period}" if self.period else str(year)


# Everything the compliance engine finds in the demo, apart from reminders of periods still running
# (status "due": this year's 组织生活会 and 民主评议 are planned for December, a term ends within 6 months).
# Exact for a demo built on any day from April on; tests/demo checks it against the engine.
DELIBERATE_GAPS: tuple[Gap, ...] = (
    Gap("机关第二党支部", "committee_meeting_monthly", -1, "07", "上年7月未召开支委会"),
    Gap("统计执法监督党支部", "congress_quarterly", -1, "Q2", "上年第二季度未召开党员大会"),
    Gap("离退休干部党支部", "secretary_lesson_yearly", -1, note="上年书记未讲党课"),
    Gap("机关第一党支部", "cadre_attendance", -1, note="一名领导干部上年参加组织生活出席率约三成，低于60%"),
    Gap("机关第一党支部", "cadre_attendance", 0, note="同一名领导干部今年仍很少参加"),
    Gap("机关第一党支部", "study_hours_yearly", -1, note="同一名领导干部上年集中学习培训不足32学时"),
    # From the people step (BranchPlan.elected_years_ago = 3.2): the committee's three-year term is over.
    Gap("统计执法监督党支部", "term_expired", 0, note="支委会任期已届满未换届"),
)

LOW_ATTENDANCE_RATE = 0.3
LEAVE_REASONS = ("公差", "出差", "病假", "事假", "外出学习", "休假", "下乡调研", "参加市里会议")
PLACES = ("机关三楼会议室", "党员活动室", "机关党委会议室")
OUTSIDE_LECTURERS = ("市委党校 刘明远教授", "市纪委监委 宣教室 陈静", "市委讲师团 黄建华")
PLANNED_AHEAD = timedelta(days=40)  # meetings this close after today are created as planned records

SUBJECTS = {
    "主题党日": ("重温入党誓词", "参观革命纪念馆", "学习党章", "“七一”主题党日", "学习贯彻全会精神", "清洁家园志愿行动",
               "观看红色电影", "党史知识竞赛", "走访慰问困难党员", "统计法宣传进社区", "学习身边榜样", "年终学习总结"),
    "支部委员会会议": ("研究本月支部工作", "研究发展党员工作", "研究党费收缴使用", "研究主题党日安排", "研究党员教育培训",
                  "研究年度工作计划"),
    "支部党员大会": ("传达上级会议精神，通报支部工作", "讨论接收预备党员", "学习党纪学习教育读本", "总结年度工作"),
    "党课": ("学习党的创新理论", "坚定理想信念", "弘扬伟大建党精神", "严守纪律规矩"),
    "党小组会": ("学习上级文件精神", "交流学习体会", "开展批评与自我批评", "讨论支部工作建议"),
}


def low_attendance_cadre(branch: Organisation) -> Person | None:
    """The leading cadre whose poor attendance is one of the DELIBERATE_GAPS."""
    return Person.objects.filter(branch=branch, is_leading_cadre=True, posts__isnull=True).order_by("pk").first()


@dataclass
class Planned:
    org: Organisation
    type_name: str
    day: date
    subject: str = ""
    chair: Person | None = None
    recorder: Person | None = None
    lecturer: Person | None = None
    lecturer_text: str = ""
    quantity: int = 1
    amount: Decimal | None = None
    study_hours: Decimal | None = None  # None: the type's default 学时
    tags: tuple[str, ...] = ()
    roll: list[Person] = field(default_factory=list)


class DemoRecords:
    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self.types = {t.key: t for t in ActivityType.objects.all()}
        self.planned: list[Planned] = []
        self.low_cadres: set[int] = set()
        self.gaps = {(g.branch, g.rule, g.period_label(today)) for g in DELIBERATE_GAPS}

    def is_gap(self, branch: str, rule: str, year: int, period: str = "") -> bool:
        return (branch, rule, f"{year}-{period}" if period else str(year)) in self.gaps

    def add(self, org, type_name, day, **values) -> None:
        if day < date(self.today.year - 1, 1, 1) or day > self.today + PLANNED_AHEAD:
            return
        self.planned.append(Planned(org, type_name, day, **values))

    def day_in(self, year: int, month: int, first: int = 3, last: int = 20) -> date:
        """A weekday between the `first` and `last` of the month."""
        while True:
            day = date(year, month, self.rng.randrange(first, last + 1))
            if day.weekday() < 5:
                return day

    # -- branches ----------------------------------------------------------

    def branch(self, branch: Organisation) -> None:
        people = list(Person.objects.filter(branch=branch, category__in=MEMBER_CATEGORIES).prefetch_related("posts").order_by("pk"))
        if not people:
            return
        posts = {p.pk: {post.post for post in p.posts.all()} for p in people}
        secretary = next(p for p in people if Post.SECRETARY in posts[p.pk])
        committee = [p for p in people if posts[p.pk] & COMMITTEE_POSTS]
        has_committee = len(committee) > 1
        groups = list(Organisation.objects.filter(path__startswith=branch.path, kind=OrgKind.GROUP).order_by("path"))
        keeper = next((p for p in people if Post.ORGANISATION in posts[p.pk]), secretary)  # keeps the minutes
        first_plan = len(self.planned)
        cadre = low_attendance_cadre(branch)
        if cadre and any(g.branch == branch.name and g.rule == "cadre_attendance" for g in DELIBERATE_GAPS):
            self.low_cadres.add(cadre.pk)
        for year in (self.today.year - 1, self.today.year):
            for month in range(1, 13):
                self.add(branch, "主题党日", self.day_in(year, month, 5, 12), subject=SUBJECTS["主题党日"][month - 1],
                         chair=secretary, roll=people)
                if has_committee and not self.is_gap(branch.name, "committee_meeting_monthly", year, f"{month:02d}"):
                    self.add(branch, "支部委员会会议", self.day_in(year, month, 3, 15), chair=secretary, roll=committee,
                             subject=self.rng.choice(SUBJECTS["支部委员会会议"]))
                for group in groups:
                    members = [p for p in people if p.group_id == group.pk]
                    leader = next((p for p in members if Post.GROUP_LEADER in posts[p.pk]), members[0])
                    self.add(group, "党小组会", self.day_in(year, month, 10, 25), chair=leader, roll=members,
                             subject=self.rng.choice(SUBJECTS["党小组会"]))
                birthdays = [p for p in people if p.admitted_on and p.admitted_on.month == month]
                if birthdays:
                    self.add(branch, "政治生日", self.day_in(year, month, 1, 28), subject=f"为{month}月入党的党员过政治生日",
                             chair=secretary, roll=birthdays)
            secretary_quarter = self.rng.randrange(1, 5)
            for quarter in range(1, 5):
                middle = quarter * 3 - 1
                if not self.is_gap(branch.name, "congress_quarterly", year, f"Q{quarter}"):
                    self.add(branch, "支部党员大会", self.day_in(year, middle, 8, 20), chair=secretary, roll=people,
                             subject=SUBJECTS["支部党员大会"][quarter - 1])
                by_secretary = quarter == secretary_quarter and not self.is_gap(branch.name, "secretary_lesson_yearly", year)
                lecturer, outsider = (secretary, "") if by_secretary else self._other_lecturer(committee, secretary)
                tags = ("廉政",) if quarter == 3 else ("专题",) if quarter == 2 else ()
                self.add(branch, "党课", self.day_in(year, middle + 1 if middle < 11 else 11, 3, 20), chair=secretary,
                         lecturer=lecturer, lecturer_text=outsider, tags=tags, roll=people,
                         subject=("廉政党课：" if "廉政" in tags else "") + SUBJECTS["党课"][quarter - 1])
                # A full day of 集中学习 a quarter (8 学时): with the lessons, about 32 学时 a year (第二十条).
                self.add(branch, "理论学习", self.day_in(year, quarter * 3, 5, 25), chair=secretary, roll=people,
                         subject="集中学习习近平新时代中国特色社会主义思想", study_hours=Decimal(8))
            self.add(branch, "组织生活会", self.day_in(year, 12, 10, 20), chair=secretary, roll=people,
                     subject=f"{year}年度组织生活会")
            self.add(branch, "民主评议党员", self.day_in(year, 12, 15, 24), chair=secretary, roll=people,
                     subject=f"{year}年度民主评议党员")
            if has_committee:
                self.add(branch, "谈心谈话", self.day_in(year, 11, 1, 10), chair=secretary, roll=committee,
                         subject="支委之间谈心谈话")
            for month in (3, 6, 9, 12):
                volunteers = self.rng.sample(people, k=min(len(people), self.rng.randrange(4, 9)))
                self.add(branch, "志愿服务", self.day_in(year, month, 5, 25), subject="在职党员到社区服务", roll=volunteers)
            self.add(branch, "警示教育", self.day_in(year, 4, 5, 25), tags=("廉政",), roll=people, subject="观看警示教育片")
            self.add(branch, "捐款", self.day_in(year, 6, 1, 28), amount=Decimal(self.rng.randrange(8, 30) * 100),
                     subject="“七一”捐款")
        for plan in self.planned[first_plan:]:
            if self.types[plan.type_name].takes_attendance:
                plan.recorder = keeper

    def _other_lecturer(self, committee: list[Person], secretary: Person) -> tuple[Person | None, str]:
        others = [p for p in committee if p.pk != secretary.pk]
        if others and self.rng.random() < 0.6:
            return self.rng.choice(others), ""
        return None, self.rng.choice(OUTSIDE_LECTURERS)

    # -- the committee -----------------------------------------------------

    def committee(self, committee: Organisation) -> None:
        cadres = list(Person.objects.filter(branch__path__startswith=committee.path, is_leading_cadre=True).order_by("pk"))
        secretaries = list(Person.objects.filter(branch__path__startswith=committee.path, posts__post=Post.SECRETARY).order_by("pk"))
        chair = next((p for p in cadres if p.pk not in self.low_cadres), None)
        for year in (self.today.year - 1, self.today.year):
            for month in range(1, 13):
                self.add(committee, "局务会", self.day_in(year, month, 2, 8), chair=chair, roll=cadres,
                         subject=f"{month}月局务会：研究党建和业务工作")
            for quarter in range(1, 5):
                self.add(committee, "党建工作专题研究", self.day_in(year, quarter * 3 - 2, 10, 20), chair=chair,
                         roll=cadres + secretaries, subject="专题研究党建工作")
                self.add(committee, "驻村帮扶", self.day_in(year, quarter * 3 - 1, 10, 25), quantity=self.rng.randrange(1, 4),
                         subject="分批到帮扶村开展工作")
            for month in (1, 7):
                self.add(committee, "意识形态分析研判会", self.day_in(year, month, 10, 25), chair=chair, roll=cadres,
                         subject="分析研判意识形态领域情况")
                self.add(committee, "党风廉政建设专题研究", self.day_in(year, month + 1, 5, 20), chair=chair, roll=cadres,
                         tags=("廉政",), subject="专题研究部署党风廉政建设工作")
            self.add(committee, "民主生活会", self.day_in(year, 1, 15, 28), chair=chair, roll=cadres, subject="领导班子民主生活会")
            self.add(committee, "签订党风廉政建设责任书", self.day_in(year, 3, 1, 15), quantity=len(cadres) + len(secretaries),
                     tags=("廉政",), subject="逐级签订党风廉政建设责任书")
            self.add(committee, "廉政承诺", self.day_in(year, 3, 16, 28), tags=("廉政",), subject="领导干部作廉政承诺")
            self.add(committee, "廉政谈话", self.day_in(year, 4, 1, 20), chair=chair, roll=cadres[1:] + secretaries,
                     tags=("廉政",), subject="集体廉政谈话")
            self.add(committee, "党风廉政建设责任制检查", self.day_in(year, 11, 3, 14), tags=("廉政",),
                     subject="检查党风廉政建设责任制落实情况")
            self.add(committee, "家风教育", self.day_in(year, 5, 5, 25), roll=cadres, tags=("廉政",), subject="家风家教专题学习")
            self.add(committee, "签订家风承诺书", self.day_in(year, 5, 26, 28), quantity=len(cadres), tags=("廉政",),
                     subject="领导干部签订家风承诺书")
            self.add(committee, "廉政家访", self.day_in(year, 9, 1, 20), tags=("廉政",), subject="走访干部家庭")
            self.add(committee, "领导干部上讲堂", self.day_in(year, 6, 1, 20), lecturer=chair, roll=cadres + secretaries,
                     subject="统计工作与依法统计")
            self.add(committee, "宣传教育活动", date(year, 12, 4) if date(year, 12, 4).weekday() < 5 else self.day_in(year, 12, 1, 8),
                     subject="“宪法宣传周”活动")
            self.add(committee, "业务宣传培训", self.day_in(year, 9, 10, 25), subject="统计法律法规宣传培训")
            self.add(committee, "联系点指导", self.day_in(year, 5, 10, 25), subject="到党支部联系点指导工作")
            self.add(committee, "工作经费划拨", self.day_in(year, 4, 1, 20), amount=Decimal(self.rng.randrange(3, 9) * 10000),
                     subject="向帮扶村划拨工作经费")
            self.add(committee, "筹款", self.day_in(year, 10, 10, 25), amount=Decimal(self.rng.randrange(20, 60) * 500),
                     subject="为帮扶村产业项目筹款")

    # -- writing -----------------------------------------------------------

    def status(self, person: Person) -> tuple[str, str]:
        present = LOW_ATTENDANCE_RATE if person.pk in self.low_cadres else 0.92
        draw = self.rng.random()
        if draw < present:
            return Status.PRESENT, ""
        if draw < present + (1 - present) * 0.75:
            return Status.LEAVE, self.rng.choice(LEAVE_REASONS)
        return Status.ABSENT, ""

    def write(self) -> None:
        self.planned.sort(key=lambda p: (p.day, p.org.path, p.type_name))
        records = []
        for plan in self.planned:
            held = plan.day <= self.today
            records.append(Activity(
                org=plan.org, type=self.types[plan.type_name], date=plan.day, start_time=self.rng.choice((time(9, 0), time(14, 30), time(15, 0))),
                subject=plan.subject, place=self.rng.choice(PLACES) if self.types[plan.type_name].takes_attendance else "",
                chair=plan.chair, recorder=plan.recorder, lecturer=plan.lecturer, lecturer_text=plan.lecturer_text,
                quantity=plan.quantity, amount=plan.amount, study_hours=plan.study_hours,
                minutes=_minutes(plan) if held and self.types[plan.type_name].takes_attendance else "",
            ))
        records = bulk_create_with_history(records, Activity, batch_size=500)
        tags = {tag.name: tag for tag in Tag.for_names(sorted({t for p in self.planned for t in p.tags}))}
        links, roll = [], []
        for record, plan in zip(records, self.planned):
            links += [Activity.tags.through(activity_id=record.pk, tag_id=tags[name].pk) for name in plan.tags]
            if record.date <= self.today and record.type.takes_attendance:
                for person in plan.roll:
                    if person.admitted_on and person.admitted_on > record.date:
                        continue  # not yet a member on that day
                    leads = person in (plan.chair, plan.lecturer)
                    status, reason = (Status.PRESENT, "") if leads else self.status(person)
                    if plan.study_hours and person.pk not in self.low_cadres:
                        # Who missed a day of 集中学习 made it up (补学): the hours of 第二十条 are met, bar the
                        # deliberate gap. The draw above is kept, so the rest of the demo stays as it was.
                        status, reason = Status.PRESENT, ""
                    roll.append(Attendance(activity_id=record.pk, person=person, status=status, reason=reason))
        Activity.tags.through.objects.bulk_create(links, batch_size=1000)
        bulk_create_with_history(roll, Attendance, batch_size=1000)


def _minutes(plan: Planned) -> str:
    chair = plan.chair.name if plan.chair else "主持人"
    return "\n".join((
        f"一、{chair}传达学习上级有关文件和会议精神。",
        f"二、围绕“{plan.subject or plan.type_name}”进行学习讨论，与会同志结合工作实际交流发言。",
        "三、对下一阶段工作作出安排，要求全体党员立足岗位、发挥先锋模范作用。",
    ))


def build_records(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    # Re-read the tree: inserting sorted siblings moves paths, so the objects handed in may be stale.
    orgs = {org.name: org for org in Organisation.objects.filter(pk__in=[o.pk for o in orgs.values()]).order_by("path")}
    demo = DemoRecords(rng, today)
    for org in orgs.values():
        if org.kind == OrgKind.BRANCH:
            demo.branch(org)
    # After the branches: the committee's chair must not be the cadre with poor attendance.
    for org in orgs.values():
        if org.depth == 1:
            demo.committee(org)
    demo.write()
