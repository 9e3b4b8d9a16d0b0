"""The 党内统计 tables of one organisation and year, counted from the membership history and the roster.

Every figure is a SQL aggregate over one of five bases, each read with one query however many branches a
committee has:

- `start`: the party members in the organisation's subtree on 31 December of the year before (members_on);
- `end`: those on 31 December of the year (today, for the running year);
- `events`: the year's membership events of people who were members that day (转入, 转出, 内部转接 crossing
  the subtree's edge, 出党, 停止党籍, 恢复党籍, 死亡);
- `developed`: people admitted (入党日期) in the year while placed in the subtree;
- `orgs`: the organisations of the subtree.

A cell's people (or organisations) are the same base filtered by the same condition (`Statistics.members`),
so a link and a count never disagree. A committee's tables sum its subtree; a branch's are its own, and the
branches' tables add up to the committee's, except that a 内部转接 between two of its branches is a 转出 of one
and a 转入 of the other but neither for the committee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q

from zhibu.orgs.membership import _period_condition, members_on, probationary_q
from zhibu.orgs.models import (
    MEMBER_CATEGORIES,
    Category,
    EventKind,
    EventState,
    Gender,
    MembershipEvent,
    MembershipPeriod,
    Organisation,
    OrgKind,
    Person,
    PersonPost,
    Post,
)
from zhibu.orgs.profile import JOB, MAJORITY, codes
from zhibu.stats.bands import (
    ADMISSION_BANDS,
    DEVELOPED_AGE_BANDS,
    EDUCATION_BANDS,
    MEMBER_AGE_BANDS,
    WHOLE_ORG_WORD,
    AgeBand,
    DateBand,
)

LAYOUT_NOTE = ("表式依据公开发布的党内统计表样整理，并非官方报表格式；各分组（年龄、入党时间、学历）"
               "可调整。年龄按统计截止日计算。")
COMMITTEE_KINDS = (OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.ORGAN_COMMITTEE)
COMMITTEE_POSTS_BEYOND_SECRETARY = (Post.DEPUTY_SECRETARY, Post.ORGANISATION, Post.PUBLICITY, Post.DISCIPLINE)


@dataclass
class Cell:
    key: str  # e.g. "t1.start": table and row, also the address of its people
    label: str
    value: int | None = None
    level: int = 0  # 1, 2: "其中" rows
    number: str = ""  # row number in the official layout (第一表)
    linked: bool = True  # has people (or organisations) behind it

    @property
    def title(self) -> str:
        """The label standing alone (a heading): without "其中：" and brackets."""
        return self.label.replace("其中：", "").strip("（）")


@dataclass
class Check:
    text: str
    ok: bool
    details: list[str] = field(default_factory=list)


@dataclass
class Table:
    key: str
    title: str
    sections: list[tuple[str, list[Cell]]]
    checks: list[Check] = field(default_factory=list)
    note: str = ""

    def cells(self) -> list[Cell]:
        return [cell for _, cells in self.sections for cell in cells]

    def value(self, key: str) -> int:
        return next(cell.value for cell in self.cells() if cell.key == key)


def _minus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_q(band: AgeBand, day: date) -> Q:
    """Age in whole years on `day` within the band, as a condition on birth_date."""
    condition = Q(birth_date__isnull=False)
    if band.oldest is not None:  # age <= oldest: born after day minus (oldest + 1) years
        condition &= Q(birth_date__gt=_minus_years(day, band.oldest + 1))
    if band.youngest is not None:  # age >= youngest: born on or before day minus youngest years
        condition &= Q(birth_date__lte=_minus_years(day, band.youngest))
    return condition


def date_q(band: DateBand, name: str) -> Q:
    condition = Q(**{f"{name}__isnull": False})
    if band.first:
        condition &= Q(**{f"{name}__gte": band.first})
    if band.last:
        condition &= Q(**{f"{name}__lte": band.last})
    return condition


MINORITY = ~Q(ethnicity="") & ~Q(ethnicity=MAJORITY)
# A cell read from an optional fact, and the cell counting the people who lack that fact: a report quoting the
# first while the second is not 0 would quote a guess (reports/compute.py leaves it 【待填】).
NEEDS_FACT = (
    ("female", "gender_unknown"), ("minority", "eth_unknown"), ("edu_", "edu_unknown"), ("age", "age_unknown"),
    ("job", "job_unknown"),
)


def unknown_cell(key: str) -> str | None:
    """For "t2.edu_ba": "t2.edu_unknown"; None for a cell that needs no optional fact."""
    table, _, name = key.partition(".")
    if table not in ("t2", "t3") or name.endswith("unknown"):
        return None
    return next((f"{table}.{unknown}" for prefix, unknown in NEEDS_FACT if name.startswith(prefix)), None)


def roster_counts(org: Organisation, day: date) -> dict[str, int]:
    """党员, 正式党员, 预备党员, 女党员 in `org`'s subtree on `day`, in one query (the reports' roster figures)."""
    values = members_on(org, day).aggregate(
        members=Count("pk"), probationary=Count("pk", filter=probationary_q(day)),
        female=Count("pk", filter=Q(gender=Gender.FEMALE)),
    )
    values["full"] = values["members"] - values["probationary"]
    return values


class Statistics:
    """The tables for `org` (a committee or a branch) and `year`, as of `today`."""

    def __init__(self, org: Organisation, year: int, *, today: date | None = None):
        self.org, self.year = org, year
        self.today = today or date.today()
        self.first = date(year, 1, 1)
        self.last = min(date(year, 12, 31), self.today)
        self.before = date(year - 1, 12, 31)
        self.jobs = codes(JOB)
        self._definitions: dict[str, tuple[str, Q]] = {}
        self.tables = self._build()

    # ---- the bases ------------------------------------------------------------------------------------

    def base(self, name: str):
        if name == "start":
            return members_on(self.org, self.before)
        if name == "end":
            return members_on(self.org, self.last)
        if name == "developed":
            periods = MembershipPeriod.objects.filter(
                _period_condition([self.org]), start__lte=F("person__admitted_on")
            ).filter(Q(end__isnull=True) | Q(end__gt=F("person__admitted_on")))
            return Person.objects.filter(
                pk__in=periods.values("person_id"), category__in=MEMBER_CATEGORIES,
                admitted_on__range=(self.first, self.last),
            )
        if name == "events":
            return MembershipEvent.objects.filter(
                state=EventState.DONE, on__range=(self.first, self.last),
                person__category__in=MEMBER_CATEGORIES, person__admitted_on__lte=F("on"),
            )
        if name == "orgs":
            return Organisation.objects.filter(path__startswith=self.org.path)
        raise KeyError(name)

    def _event_conditions(self) -> dict[str, Q]:
        inside = Q(org__path__startswith=self.org.path)
        target_inside = Q(target__path__startswith=self.org.path)
        moved_in = Q(kind=EventKind.INTERNAL) & target_inside & ~inside
        moved_out = Q(kind=EventKind.INTERNAL) & inside & ~target_inside
        whole = Q(reason__contains=WHOLE_ORG_WORD)
        transfer_in = (Q(kind=EventKind.TRANSFER_IN) & inside) | moved_in
        transfer_out = (Q(kind=EventKind.TRANSFER_OUT) & inside) | moved_out
        return {
            "restored": Q(kind=EventKind.RESTORED) & inside,
            "transfer_in": transfer_in,
            "internal_in": moved_in,
            "whole_in": transfer_in & whole,
            "expelled": Q(kind=EventKind.EXPELLED) & inside,
            "suspended": Q(kind=EventKind.SUSPENDED) & inside,
            "died": Q(kind=EventKind.DIED) & inside,
            "transfer_out": transfer_out,
            "internal_out": moved_out,
            "whole_out": transfer_out & whole,
        }

    def _count(self, base: str, conditions: dict[str, Q]) -> dict[str, int]:
        """One aggregate query: key → how many rows of the base meet the condition."""
        if not conditions:
            return {}
        aliases = {key: "c_" + key.replace(".", "_") for key in conditions}
        for key, condition in conditions.items():
            self._definitions[key] = (base, condition)
        values = self.base(base).aggregate(**{aliases[k]: Count("pk", filter=c) for k, c in conditions.items()})
        return {key: values[aliases[key]] or 0 for key in conditions}

    # ---- the tables --------------------------------------------------------------------------------------

    def _build(self) -> list[Table]:
        return [self._table_changes(), self._table_members(), self._table_developed(), self._table_orgs()]

    def _table_changes(self) -> Table:
        start = self._count("start", {"t1.start": Q()})
        events = self._count("events", {f"t1.{key}": q for key, q in self._event_conditions().items()})
        developed = self._count("developed", {"t1.developed": Q()})
        end = self._count("end", {"t1.actual": Q()})
        v = {**start, **events, **developed, **end}
        self._t1_developed = v["t1.developed"]
        v["t1.increase"] = v["t1.developed"] + v["t1.restored"] + v["t1.transfer_in"]
        v["t1.decrease"] = v["t1.expelled"] + v["t1.suspended"] + v["t1.died"] + v["t1.transfer_out"]
        v["t1.expected"] = v["t1.start"] + v["t1.increase"] - v["t1.decrease"]
        v["t1.difference"] = v["t1.actual"] - v["t1.expected"]
        rows = [
            ("1", "t1.start", "上年底总数", 0, True),
            ("2", "t1.increase", "本年增加", 0, True),
            ("3", "t1.developed", "其中：发展党员", 1, True),
            ("4", "t1.restored", "恢复党籍", 1, True),
            ("5", "t1.transfer_in", "转入组织关系", 1, True),
            ("6", "t1.whole_in", "其中：整建制转入", 2, True),
            ("", "t1.internal_in", "（其中：本单位内部转接转入）", 2, True),
            ("7", "t1.decrease", "本年减少", 0, True),
            ("8", "t1.expelled", "其中：出党", 1, True),
            ("9", "t1.suspended", "停止党籍", 1, True),
            ("10", "t1.died", "死亡", 1, True),
            ("11", "t1.transfer_out", "转出组织关系", 1, True),
            ("12", "t1.whole_out", "其中：整建制转出", 2, True),
            ("", "t1.internal_out", "（其中：本单位内部转接转出）", 2, True),
            ("13", "t1.expected", "本年底应有数", 0, False),
            ("14", "t1.actual", "本年底实有数", 0, True),
            ("15", "t1.difference", "实有数与应有数之差", 0, v["t1.difference"] != 0),
        ]
        cells = [Cell(key, label, v[key], level, number, linked) for number, key, label, level, linked in rows]
        checks = [
            Check("本年增加 = 发展党员 + 恢复党籍 + 转入组织关系（2 = 3 + 4 + 5）",
                  v["t1.increase"] == v["t1.developed"] + v["t1.restored"] + v["t1.transfer_in"]),
            Check("转入组织关系 ≥ 其中整建制转入（5 ≥ 6）", v["t1.transfer_in"] >= v["t1.whole_in"]),
            Check("本年减少 = 出党 + 停止党籍 + 死亡 + 转出组织关系（7 = 8 + 9 + 10 + 11）",
                  v["t1.decrease"] == v["t1.expelled"] + v["t1.suspended"] + v["t1.died"] + v["t1.transfer_out"]),
            Check("转出组织关系 ≥ 其中整建制转出（11 ≥ 12）", v["t1.transfer_out"] >= v["t1.whole_out"]),
            Check("本年底应有数 = 上年底总数 + 本年增加 − 本年减少（13 = 1 + 2 − 7）",
                  v["t1.expected"] == v["t1.start"] + v["t1.increase"] - v["t1.decrease"]),
        ]
        difference = Check(f"本年底实有数 − 应有数 = {v['t1.difference']}（15 = 14 − 13，应为 0）", v["t1.difference"] == 0)
        if not difference.ok:
            difference.details = self.explain_difference()
        checks.append(difference)
        note = (f"统计期：{self.first:%Y年%-m月%-d日}至{self.last:%Y年%-m月%-d日}。“转入/转出组织关系”含本单位内部转接进出本组织的；"
                f"原因中写有“{WHOLE_ORG_WORD}”的计为整建制转入、转出。")
        return Table("t1", "第一表　两年党员数综合比较", [("", cells)], checks, note)

    def _profile_section(self, prefix: str, day: date, age_bands, with_jobs: bool, base: str):
        conditions: dict[str, Q] = {f"{prefix}.total": Q(), f"{prefix}.female": Q(gender=Gender.FEMALE),
                                    f"{prefix}.minority": MINORITY, f"{prefix}.eth_unknown": Q(ethnicity=""),
                                    f"{prefix}.gender_unknown": Q(gender="")}
        if prefix == "t2":
            conditions["t2.probationary"] = probationary_q(day)
        for band in age_bands:
            conditions[f"{prefix}.{band.key}"] = age_q(band, day)
        conditions[f"{prefix}.age_unknown"] = Q(birth_date__isnull=True)
        for band in EDUCATION_BANDS:
            conditions[f"{prefix}.edu_{band.key}"] = Q(education__in=band.values)
        conditions[f"{prefix}.edu_unknown"] = Q(education="")
        if prefix == "t2":
            for band in ADMISSION_BANDS:
                conditions[f"t2.{band.key}"] = date_q(band, "admitted_on")
        if with_jobs:
            for position, job in enumerate(self.jobs):
                conditions[f"t2.job{position}"] = Q(job=job)
            conditions["t2.job_other"] = ~Q(job="") & ~Q(job__in=self.jobs)
            conditions["t2.job_unknown"] = Q(job="")
        return self._count(base, conditions)

    def _sum_checks(self, v: dict, prefix: str, groups: list[tuple[str, list[str]]]) -> list[Check]:
        total = v[f"{prefix}.total"]
        checks = [Check(f"女、少数民族均不多于总数（{total}）", v[f"{prefix}.female"] <= total and v[f"{prefix}.minority"] <= total)]
        for title, keys in groups:
            added = sum(v[k] for k in keys)
            checks.append(Check(f"{title}各项（含未填）之和 {added} = 总数 {total}", added == total))
        return checks

    def _table_members(self) -> Table:
        day = self.last
        v = self._profile_section("t2", day, MEMBER_AGE_BANDS, True, "end")
        general = [Cell("t2.total", "党员总数", v["t2.total"]), Cell("t2.female", "女党员", v["t2.female"], 1),
                   Cell("t2.minority", "少数民族党员", v["t2.minority"], 1),
                   Cell("t2.probationary", "预备党员", v["t2.probationary"], 1), *self._unfilled_cells("t2", v)]
        ages = self._age_cells("t2", v, MEMBER_AGE_BANDS)
        education = self._education_cells("t2", v)
        admitted = [Cell(f"t2.{b.key}", b.label, v[f"t2.{b.key}"], b.level) for b in ADMISSION_BANDS]
        jobs = [Cell(f"t2.job{i}", job, v[f"t2.job{i}"]) for i, job in enumerate(self.jobs)]
        if v["t2.job_other"]:
            jobs.append(Cell("t2.job_other", "其他（已不在代码表中）", v["t2.job_other"]))
        jobs.append(Cell("t2.job_unknown", "工作岗位未填", v["t2.job_unknown"]))
        checks = [Check(f"预备党员（{v['t2.probationary']}）不多于总数", v["t2.probationary"] <= v["t2.total"])]
        checks += self._sum_checks(v, "t2", [
            ("年龄", [c.key for c in ages]),
            ("学历", [c.key for c in education if c.level == 0]),
            ("入党时间", [f"t2.{b.key}" for b in ADMISSION_BANDS if b.level == 0]),
            ("工作岗位", [c.key for c in jobs]),
        ])
        return Table("t2", "党员的基本情况", [
            ("", general), ("年龄", ages), ("学历", education), ("入党时间", admitted), ("工作岗位", jobs),
        ], checks, f"截至{day:%Y年%-m月%-d日}在册的党员（正式党员和预备党员）。")

    def _unfilled_cells(self, prefix: str, v: dict) -> list[Cell]:
        """The people a table counts whose gender or ethnicity is not filled in (so the 女 and 少数民族 lines can
        be checked)."""
        return [Cell(f"{prefix}.gender_unknown", "（性别未填）", v[f"{prefix}.gender_unknown"], 1),
                Cell(f"{prefix}.eth_unknown", "（民族未填）", v[f"{prefix}.eth_unknown"], 1)]

    def _age_cells(self, prefix: str, v: dict, bands) -> list[Cell]:
        cells = [Cell(f"{prefix}.{b.key}", b.label, v[f"{prefix}.{b.key}"]) for b in bands]
        cells.append(Cell(f"{prefix}.age_unknown", "出生日期未填", v[f"{prefix}.age_unknown"]))
        return cells

    def _education_cells(self, prefix: str, v: dict) -> list[Cell]:
        cells = [Cell(f"{prefix}.edu_{b.key}", b.label, v[f"{prefix}.edu_{b.key}"], b.level) for b in EDUCATION_BANDS]
        cells.append(Cell(f"{prefix}.edu_unknown", "学历未填", v[f"{prefix}.edu_unknown"]))
        return cells

    def _table_developed(self) -> Table:
        v = self._profile_section("t3", self.last, DEVELOPED_AGE_BANDS, False, "developed")
        general = [Cell("t3.total", "发展党员总数", v["t3.total"]), Cell("t3.female", "女", v["t3.female"], 1),
                   Cell("t3.minority", "少数民族", v["t3.minority"], 1), *self._unfilled_cells("t3", v)]
        ages = self._age_cells("t3", v, DEVELOPED_AGE_BANDS)
        education = self._education_cells("t3", v)
        checks = self._sum_checks(v, "t3", [
            ("年龄", [c.key for c in ages]), ("学历", [c.key for c in education if c.level == 0]),
        ])
        if v["t3.total"] != self._t1_developed:
            checks.append(Check("发展党员总数与第一表“发展党员”一致", False))
        return Table("t3", "发展党员情况", [("", general), ("年龄", ages), ("学历", education)], checks,
                     f"{self.year}年入党日期在统计期内、当时在本组织的人员。")

    def _table_orgs(self) -> Table:
        due = Q()
        overdue = Q()
        for years in (3, 5):
            due |= Q(term_years=years, elected_on__year=self.year - years)
            # Term ended before the day counted: elected more than `years` ago (by that day).
            overdue |= Q(term_years=years, elected_on__lt=_minus_years(self.last, years))
        elected_kinds = ~Q(kind=OrgKind.GROUP)
        committee = PersonPost.objects.filter(
            person__branch=OuterRef("pk"), person__periods__end__isnull=True,
            person__category__in=MEMBER_CATEGORIES, post__in=COMMITTEE_POSTS_BEYOND_SECRETARY,
        )
        conditions = {
            "t4.committees": Q(kind__in=COMMITTEE_KINDS),
            "t4.general": Q(kind=OrgKind.GENERAL_BRANCH),
            "t4.branches": Q(kind=OrgKind.BRANCH),
            "t4.with_committee": Q(kind=OrgKind.BRANCH) & Q(Exists(committee)),
            "t4.groups": Q(kind=OrgKind.GROUP),
            "t4.due": elected_kinds & due,
            "t4.overdue": elected_kinds & overdue,
            "t4.no_election": elected_kinds & Q(elected_on__isnull=True),
        }
        v = self._count("orgs", conditions)
        cells = [
            Cell("t4.committees", "党委（含党工委、机关党委）", v["t4.committees"]),
            Cell("t4.general", "党总支", v["t4.general"]),
            Cell("t4.branches", "党支部", v["t4.branches"]),
            Cell("t4.with_committee", "其中：设支部委员会的", v["t4.with_committee"], 1),
            Cell("t4.groups", "党小组", v["t4.groups"]),
        ]
        terms = [
            Cell("t4.due", f"{self.year}年任期届满应换届", v["t4.due"]),
            Cell("t4.overdue", f"截至{self.last:%Y年%-m月%-d日}任期已满未换届（超期）", v["t4.overdue"]),
            Cell("t4.no_election", "未登记换届日期", v["t4.no_election"]),
        ]
        checks = [Check("设支部委员会的党支部不多于党支部总数", v["t4.with_committee"] <= v["t4.branches"])]
        return Table("t4", "党组织情况", [("组织数", cells), ("换届", terms)], checks,
                     "含本组织自身。设支部委员会的：有副书记或组织、宣传、纪检委员在册的党支部。任期按组织资料中的换届日期和任期年限计算。")

    # ---- the people behind a cell ----------------------------------------------------------------------

    def definition(self, key: str) -> tuple[str, Q] | None:
        """(base, condition) of a counted cell; sums (本年增加 …) are the union of their parts."""
        return self._definitions.get(key)

    PARTS = {
        "t1.increase": ("t1.developed", "t1.restored", "t1.transfer_in"),
        "t1.decrease": ("t1.expelled", "t1.suspended", "t1.died", "t1.transfer_out"),
    }

    def members(self, key: str) -> list[dict]:
        """The rows behind a cell: people (with their branch), events (with date and kind) or organisations."""
        if key in self.PARTS:
            return [row for part in self.PARTS[key] for row in self.members(part)]
        if key == "t1.difference":
            return [{"姓名": line, "说明": ""} for line in self.explain_difference()]
        found = self.definition(key)
        if found is None:
            raise KeyError(key)
        base, condition = found
        rows = self.base(base).filter(condition)
        if base == "orgs":
            return [{"名称": o.name, "类别": o.kind, "换届日期": o.elected_on, "任期届满": o.term_ends_on(), "pk": o.pk}
                    for o in rows.order_by("path")]
        if base == "events":
            return [{"姓名": e.person.name, "日期": e.on, "说明": _event_text(e), "person_pk": e.person_id}
                    for e in rows.select_related("person", "org", "target").order_by("on", "pk")]
        return [{"姓名": p.name, "所在党支部": p.branch.name, "日期": p.admitted_on, "说明": p.category, "person_pk": p.pk}
                for p in rows.select_related("branch").order_by("branch__path", "name")]

    def explain_difference(self) -> list[str]:
        """Person by person, why the year-end roll differs from last year's plus the year's changes."""
        start = set(self.base("start").values_list("pk", flat=True))
        end = set(self.base("end").values_list("pk", flat=True))
        change: dict[int, int] = {}
        for pk in self.base("developed").values_list("pk", flat=True):
            change[pk] = change.get(pk, 0) + 1
        conditions = self._event_conditions()
        gains = conditions["restored"] | conditions["transfer_in"]
        losses = conditions["expelled"] | conditions["suspended"] | conditions["died"] | conditions["transfer_out"]
        events = self.base("events")
        for pk in events.filter(gains).values_list("person_id", flat=True):
            change[pk] = change.get(pk, 0) + 1
        for pk in events.filter(losses).values_list("person_id", flat=True):
            change[pk] = change.get(pk, 0) - 1
        lines = []
        ids = start | end | set(change)
        names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
        for pk in sorted(ids, key=lambda pk: names.get(pk, "")):
            expected = (pk in start) + change.get(pk, 0)
            actual = int(pk in end)
            if expected == actual:
                continue
            name = names.get(pk, str(pk))
            if actual > expected:
                lines.append(f"{name}：年底在册，但上年底不在、本年也没有发展、恢复党籍或转入的记录"
                             "（请核对入党日期，或补登转入、恢复党籍）")
            elif actual == 0 and expected == 1:
                lines.append(f"{name}：按上年底名册和本年变动应在册，年底却不在"
                             "（请补登出党、停止党籍、死亡或转出，或核对人员类别和入党日期）")
            else:
                lines.append(f"{name}：本年变动记录与名册不一致（按记录应为{expected}，名册为{actual}），请核对组织关系记录")
        return lines


def _event_text(event: MembershipEvent) -> str:
    text = f"{event.kind}（{event.org.name}"
    if event.kind == EventKind.INTERNAL and event.target_id:
        text += f" → {event.target.name}"
    elif event.other_party:
        text += f"；对方：{event.other_party}"
    if event.exit_form:
        text += f"；{event.exit_form}"
    return text + "）"
