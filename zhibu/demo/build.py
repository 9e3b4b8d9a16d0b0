"""The demo unit: a fictional 机关党委 with five branches, built step by step.

Each part of the product adds its step to STEPS, so `zhibu demo` always shows everything.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from zhibu.demo.records import build_records
from zhibu.demo.people import NameMaker, id_number, phone, random_date
from zhibu.demo.lists import build_lists
from zhibu.demo.development import build_development
from zhibu.demo.dues import build_dues
from zhibu.demo.points import build_points
from zhibu.demo.appraisal import build_appraisal
from zhibu.demo.elections import build_election
from zhibu.demo.jobs import build_jobs
from zhibu.demo.review import build_review
from zhibu.demo.membership import build_membership
from zhibu.orgs.models import Category, DuesCategory, Grant, Organisation, OrgKind, Person, PersonPost, Post, Role

COMMITTEE_NAME = "青川市统计局机关党委"
DEMO_PASSWORD = "zhibu-demo-2026"


@dataclass(frozen=True)
class BranchPlan:
    name: str
    full: int
    probationary: int
    pipeline: int  # people in development (发展对象, 积极分子, 申请人)
    retired: bool = False
    groups: tuple[str, ...] = ()
    elected_years_ago: float = 1.5


BRANCHES = (
    BranchPlan("机关第一党支部", full=24, probationary=2, pipeline=5, groups=("第一党小组", "第二党小组"), elected_years_ago=2.7),
    BranchPlan("机关第二党支部", full=16, probationary=1, pipeline=4, elected_years_ago=1.2),
    BranchPlan("统计执法监督党支部", full=10, probationary=1, pipeline=3, elected_years_ago=3.2),
    BranchPlan("数据管理中心党支部", full=5, probationary=1, pipeline=2, elected_years_ago=0.8),
    BranchPlan("离退休干部党支部", full=14, probationary=0, pipeline=0, retired=True, elected_years_ago=2.0),
)


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str


def _years_ago(today: date, years: float) -> date:
    return today - timedelta(days=int(years * 365.25))


def build_organisations(rng: random.Random, today: date) -> dict[str, Organisation]:
    committee = Organisation.objects.create_root(
        name=COMMITTEE_NAME, kind=OrgKind.ORGAN_COMMITTEE, unit="青川市统计局", line_of_work="统计", city="青川市",
        founded_on=date(1984, 7, 1), elected_on=_years_ago(today, 1.8), term_years=5,
    )
    orgs = {committee.name: committee}
    for plan in BRANCHES:
        branch = Organisation.objects.create_child(
            committee,
            name=plan.name, kind=OrgKind.BRANCH, unit="青川市统计局", line_of_work="统计", city="青川市",
            founded_on=date(1995 + rng.randrange(0, 20), rng.randrange(1, 13), 1),
            elected_on=_years_ago(today, plan.elected_years_ago), term_years=3,
        )
        orgs[branch.name] = branch
        for group_name in plan.groups:
            orgs[group_name] = Organisation.objects.create_child(branch, name=group_name, kind=OrgKind.GROUP)
    # Adding a sibling that sorts first renumbers the others' paths in the database only; fetch them again
    # so the steps see true paths (the subtree queries depend on them).
    fresh = Organisation.objects.in_bulk([org.pk for org in orgs.values()])
    return {name: fresh[org.pk] for name, org in orgs.items()}


def _person(rng, names, today, branch, category, *, retired=False, group=None) -> Person:
    gender = rng.choice(("男", "男", "女"))
    age = rng.randrange(62, 85) if retired else rng.randrange(24, 58)
    birth = random_date(rng, _years_ago(today, age + 1), _years_ago(today, age))
    applied = random_date(rng, birth.replace(year=birth.year + 19), birth.replace(year=birth.year + 23))
    person = Person(
        branch=branch, group=group, name=names.make(gender), gender=gender, birth_date=birth,
        id_number=id_number(rng, birth, gender), phone=phone(rng), category=category,
        dues_category=DuesCategory.RETIRED if retired else DuesCategory.IN_SERVICE,
        dues_base=Decimal(rng.randrange(3500, 5200) if retired else rng.randrange(2800, 13000)),
    )
    if category in (Category.FULL, Category.PROBATIONARY):
        admitted = (
            random_date(rng, _years_ago(today, 0.95), _years_ago(today, 0.2))
            if category == Category.PROBATIONARY
            else random_date(rng, applied + timedelta(days=800), min(applied + timedelta(days=1600), _years_ago(today, 1.2)))
        )
        person.applied_on = applied if category == Category.FULL else admitted - timedelta(days=900)
        person.activist_on = person.applied_on + timedelta(days=120)
        person.candidate_on = person.activist_on + timedelta(days=400)
        person.admitted_on = admitted
        if category == Category.FULL:
            person.full_on = admitted + timedelta(days=365)
    else:
        person.applied_on = random_date(rng, _years_ago(today, 2.5), _years_ago(today, 0.1))
        if category in (Category.ACTIVIST, Category.CANDIDATE):
            person.activist_on = min(person.applied_on + timedelta(days=90), today)
        if category == Category.CANDIDATE:
            person.applied_on = _years_ago(today, 2.4)
            person.activist_on = person.applied_on + timedelta(days=60)
            person.candidate_on = person.activist_on + timedelta(days=400)
    _profile(person, retired)
    person.save()
    return person


def _profile(person: Person, retired: bool) -> None:
    """民族, 学历, 工作岗位 … for the 党内统计 tables, from the person's own seed (the demo's stream stays as it was)."""
    rng = random.Random(person.id_number)
    person.ethnicity = rng.choice(("汉族",) * 9 + ("回族", "满族", "蒙古族"))
    person.native_place = rng.choice(("某省某市", "某省某县", "某市某区"))
    person.education = rng.choice(("硕士研究生", "大学本科", "大学本科", "大学本科", "大学专科", "博士研究生"))
    person.degree = {"博士研究生": "博士", "硕士研究生": "硕士", "大学本科": "学士"}.get(person.education, "")
    person.job = "离退休人员" if retired else rng.choice(("公务员", "公务员", "参照公务员法管理人员", "专业技术人员"))
    person.work_started_on = person.birth_date.replace(year=person.birth_date.year + 22, day=1)


def build_people(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    names = NameMaker(rng)
    pipeline_cycle = (Category.CANDIDATE, Category.ACTIVIST, Category.APPLICANT)
    for plan in BRANCHES:
        branch = orgs[plan.name]
        groups = [orgs[g] for g in plan.groups]
        members = []
        for index in range(plan.full + plan.probationary):
            category = Category.FULL if index < plan.full else Category.PROBATIONARY
            group = groups[index % len(groups)] if groups else None
            members.append(_person(rng, names, today, branch, category, retired=plan.retired, group=group))
        for index in range(plan.pipeline):
            _person(rng, names, today, branch, pipeline_cycle[index % 3], group=groups[index % len(groups)] if groups else None)
        full = [m for m in members if m.category == Category.FULL]
        # 7+ full members: a committee of secretary and three members; fewer: a secretary only.
        posts = [Post.SECRETARY, Post.ORGANISATION, Post.PUBLICITY, Post.DISCIPLINE] if len(full) >= 7 else [Post.SECRETARY]
        if len(full) >= 20:
            posts.insert(1, Post.DEPUTY_SECRETARY)
        for person, post in zip(full, posts):
            PersonPost.objects.create(person=person, post=post)
        for group in groups:
            leader = next(m for m in full[len(posts):] if m.group_id == group.pk and not m.posts.exists())
            PersonPost.objects.create(person=leader, post=Post.GROUP_LEADER)
        if not plan.retired:
            for person in rng.sample(full, k=max(1, len(full) // 6)):
                person.is_leading_cadre = True
                person.save(update_fields=["is_leading_cadre"])


def demo_member(orgs: dict[str, Organisation]) -> Person:
    """The person behind the member login dy1: the first branch's first full member without a post."""
    return Person.objects.filter(branch=orgs[BRANCHES[0].name], category=Category.FULL, posts__isnull=True).order_by("id").first()


def build_logins(orgs: dict[str, Organisation]) -> list[DemoLogin]:
    User = get_user_model()
    logins = []

    def create(username, role, scope, **extra):
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, **extra)
        logins.append(DemoLogin(username, role, scope))
        return user

    create("admin", "系统管理员", "全部", is_superuser=True, is_staff=True)
    organiser = create("jgdw", "党委管理员", COMMITTEE_NAME)
    Grant.objects.create(user=organiser, org=orgs[COMMITTEE_NAME], role=Role.COMMITTEE_ADMIN)
    for number, plan in enumerate(BRANCHES, start=1):
        branch = orgs[plan.name]
        secretary = Person.objects.get(branch=branch, posts__post=Post.SECRETARY)
        user = create(f"zb{number}", "支部书记", f"{plan.name}（{secretary.name}）")
        secretary.user = user
        secretary.save(update_fields=["user"])
        Grant.objects.create(user=user, org=branch, role=Role.SECRETARY)
    member = demo_member(orgs)
    member.user = create("dy1", "党员", f"{member.name}（{member.branch.name}）")
    member.save(update_fields=["user"])
    return logins


# Later parts of the product add their steps here; development comes before dues because it settles
# the admission dates that dues are owed from.
STEPS = [build_people, build_development, build_dues, build_records, build_lists, build_points, build_review,
         build_appraisal, build_membership]
# Steps that need the demo logins (a vote's electorate is frozen when it opens).
STEPS_AFTER_LOGINS = [build_election, build_jobs]


def demo_exists() -> bool:
    return Organisation.objects.filter(name=COMMITTEE_NAME).exists()


@transaction.atomic
def build_demo(today: date | None = None, seed: int = 2026) -> list[DemoLogin]:
    """Fill an empty database with the demo unit. The same seed and day give the same data."""
    today = today or date.today()
    rng = random.Random(seed)
    orgs = build_organisations(rng, today)
    for step in STEPS:
        step(rng, today, orgs)
    logins = build_logins(orgs)
    for step in STEPS_AFTER_LOGINS:
        step(rng, today, orgs)
    return logins
