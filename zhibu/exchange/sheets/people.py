"""Sheet 党员: members and people in development."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhibu.exchange.sheets.person_profile import PROFILE_COLUMNS, profile_cells, read_profile_columns
from zhibu.exchange.sheets.organisations import DECLARED_ORGS, DECLARED_PARENTS, known_org_kind
from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import parse_date, parse_decimal, split_list
from zhibu.lib.idcard import birth_date_from_id, id_number_problem, mobile_problem
from zhibu.orgs import access
from zhibu.orgs.models import (
    MEMBER_CATEGORIES,
    Category,
    DuesCategory,
    Gender,
    MembershipPeriod,
    Organisation,
    OrgKind,
    Person,
    PersonPost,
    Post,
)

# The stages in the order a person passes them; a later stage's date may not precede an earlier one's.
STAGE_COLUMNS = ("申请入党日期", "确定积极分子日期", "确定发展对象日期", "入党日期", "转正日期")
PERSON_FIELDS = (
    "gender", "birth_date", "id_number", "phone", "category", "applied_on", "activist_on",
    "candidate_on", "admitted_on", "full_on", "is_leading_cadre", "dues_category", "dues_base",
)
YES_NO = {"是": True, "否": False}
# ImportContext.declared key: (branch name, person name) of every person in the workbook, for later sheets.
DECLARED_PEOPLE = "people"
# ImportContext.declared key: (branch name, person name) → 入党日期 of every person in the workbook, for later sheets.
DECLARED_ADMISSIONS = "people_admitted_on"



def people_to_refer_to(rows: list[Row], context: ImportContext) -> dict[tuple[str, str], date | None]:
    """(branch name, name) → 入党日期 of everyone a later sheet's rows (姓名) may refer to: the people the
    importer manages, and the people this workbook's 党员 sheet declares."""
    names = {row.text("姓名") for row in rows}
    people = access.managed_people(context.actor).filter(name__in=names).select_related("branch")
    known = {(person.branch.name, person.name): person.admitted_on for person in people}
    known.update(context.declared.get(DECLARED_ADMISSIONS, {}))
    return known


def report_unknown_person(read: RowReader, branch_name: str, name: str) -> None:
    # Same words whether the person exists elsewhere or not: an import must not reveal other branches.
    read.problem("姓名", f"在“{branch_name}”找不到人员“{name}”，或您无权管理",
                 "请核对姓名和组织（组织填所在党支部），或在“党员”表中加上此人")


@dataclass
class PersonRow:
    row: int
    name: str
    branch_name: str
    group_name: str
    gender: str
    birth_date: date | None
    id_number: str | None
    phone: str
    category: str
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    admitted_on: date | None
    full_on: date | None
    posts: list[str]
    is_leading_cadre: bool
    dues_category: str
    dues_base: Decimal | None
    profile: dict = field(default_factory=dict)  # Person field → value, for the profile columns present


class PersonSheet(Sheet):
    name = "党员"
    columns = (
        Column("姓名", required=True, field="orgs.Person.name"),
        Column("所在组织", required=True),
        Column("党小组"),
        Column("性别"),
        Column("出生日期"),
        Column("身份证号"),
        Column("手机号"),
        Column("人员类别", required=True),
        Column("申请入党日期"),
        Column("确定积极分子日期"),
        Column("确定发展对象日期"),
        Column("入党日期"),
        Column("转正日期"),
        Column("党内职务"),
        Column("领导干部"),
        Column("党费类别"),
        Column("月缴费基数"),
        *PROFILE_COLUMNS,
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[PersonRow]:
        plan: list[PersonRow] = []
        names_in_branch: dict[tuple[str, str], int] = {}
        id_rows: dict[str, int] = {}
        for row in rows:
            read = RowReader(self, row, context)
            entry = self._read_row(read, context)
            key = (entry.branch_name, entry.name)
            if entry.name and key in names_in_branch:
                read.problem(
                    "姓名", f"{entry.branch_name}已有同名人员（第{names_in_branch[key]}行）",
                    "同一支部内重名须在姓名中区分，例如 张伟（大）、张伟（小）",
                )
            names_in_branch.setdefault(key, row.number)
            if entry.id_number:
                if entry.id_number in id_rows:
                    read.problem("身份证号", f"身份证号与第{id_rows[entry.id_number]}行重复", "每人的身份证号必须唯一")
                id_rows.setdefault(entry.id_number, row.number)
            if read.ok:
                plan.append(entry)
        self._check_id_numbers_against_database(plan, context)
        context.declared[DECLARED_PEOPLE] = {(entry.branch_name, entry.name) for entry in plan}
        context.declared[DECLARED_ADMISSIONS] = {(entry.branch_name, entry.name): entry.admitted_on for entry in plan}
        return plan

    def _read_row(self, read: RowReader, context: ImportContext) -> PersonRow:
        branch_name = read.text("所在组织")
        if branch_name:
            kind = known_org_kind(branch_name, context)
            if kind is None:
                read.problem("所在组织", f"找不到组织“{branch_name}”", "请在“党组织”表中加上它，或核对名称")
            elif kind != OrgKind.BRANCH:
                read.problem("所在组织", f"“{branch_name}”是{kind}，不是党支部", "人员只能属于党支部；党小组请填在“党小组”列")
        group_name = read.text("党小组")
        if group_name and branch_name:
            self._check_group(read, group_name, branch_name, context)
        id_number = read.text("身份证号").upper() or None
        birth_date = read.past_date("出生日期", parse_date)
        if id_number:
            problem = id_number_problem(id_number)
            if problem:
                read.problem("身份证号", problem, "请核对号码；不知道时可留空")
            elif birth_date and birth_date_from_id(id_number) != birth_date:
                read.problem("出生日期", "出生日期与身份证号中的出生日期不一致", "请核对其中之一")
        phone = read.text("手机号")
        if phone:
            problem = mobile_problem(phone)
            if problem:
                read.problem("手机号", problem)
        category = read.choice("人员类别", Category.values) or ""
        stage_dates = [read.past_date(column, parse_date) for column in STAGE_COLUMNS]
        applied_on, activist_on, candidate_on, admitted_on, full_on = stage_dates
        if category in MEMBER_CATEGORIES and not admitted_on and not read.row.text("入党日期"):
            read.problem("入党日期", f"{category}必须填写入党日期", "填写支部大会通过其入党的日期")
        self._check_stage_order(read, stage_dates)
        posts = split_list(read.row.raw("党内职务"))
        for post in posts:
            if post not in Post.values:
                read.problem("党内职务", f"“{post}”不是有效的党内职务", "可填：" + "、".join(Post.values) + "，多个用顿号分隔")
        leading = read.choice("领导干部", YES_NO, default="否")
        dues_base = read.parsed("月缴费基数", parse_decimal, "填写以元为单位的金额，例如 6500 或 6500.50")
        if dues_base is not None and dues_base < 0:
            read.problem("月缴费基数", "月缴费基数不能为负数")
        return PersonRow(
            row=read.row.number,
            name=read.text("姓名"),
            branch_name=branch_name,
            group_name=group_name,
            gender=read.choice("性别", Gender.values, default="") or "",
            birth_date=birth_date,
            id_number=id_number,
            phone=phone,
            category=category,
            applied_on=applied_on,
            activist_on=activist_on,
            candidate_on=candidate_on,
            admitted_on=admitted_on,
            full_on=full_on,
            posts=posts,
            is_leading_cadre=YES_NO.get(leading or "否", False),
            dues_category=read.choice("党费类别", DuesCategory.values, default=DuesCategory.IN_SERVICE) or "",
            dues_base=dues_base,
            profile=read_profile_columns(read, context),
        )

    def _check_group(self, read: RowReader, group_name: str, branch_name: str, context: ImportContext) -> None:
        declared = context.declared.get(DECLARED_ORGS, {})
        parents = context.declared.get(DECLARED_PARENTS, {})
        if group_name in declared:
            kind, parent = declared[group_name], parents.get(group_name)
        else:
            group = access.managed_orgs(context.actor).filter(name=group_name).first()
            kind, parent = (group.kind, group.parent_name) if group else (None, None)
        if kind is None:
            read.problem("党小组", f"找不到党小组“{group_name}”", "请在“党组织”表中加上它，或核对名称")
        elif kind != OrgKind.GROUP:
            read.problem("党小组", f"“{group_name}”是{kind}，不是党小组")
        elif parent != branch_name:
            read.problem("党小组", f"党小组“{group_name}”不属于{branch_name}", "请核对所在组织或党小组")

    def _check_stage_order(self, read: RowReader, stage_dates: list[date | None]) -> None:
        previous_column, previous = None, None
        for column, value in zip(STAGE_COLUMNS, stage_dates):
            if value is None:
                continue
            if previous and value < previous:
                read.problem(column, f"{column} {value:%Y-%m-%d} 早于{previous_column} {previous:%Y-%m-%d}",
                             "各阶段日期应依次不早于前一阶段，请核对")
            previous_column, previous = column, value

    def _check_id_numbers_against_database(self, plan: list[PersonRow], context: ImportContext) -> None:
        from zhibu.exchange.sheets.membership import declared_moves

        moves = declared_moves(context)
        numbers = [entry.id_number for entry in plan if entry.id_number]
        holders = {p.id_number: p for p in Person.objects.filter(id_number__in=numbers).select_related("branch")}
        for entry in plan:
            holder = holders.get(entry.id_number) if entry.id_number else None
            if holder and (holder.branch.name, holder.name) != (entry.branch_name, entry.name):
                if not access.managed_people(context.actor).filter(pk=holder.pk).exists():
                    # Worded as any wrong number is: whether someone elsewhere holds it is not this login's to learn.
                    context.add(self.name, entry.row, "身份证号", "请核对身份证号", "请核对号码；不知道时可留空")
                elif Person.objects.filter(branch__name=entry.branch_name, name=entry.name).exclude(pk=holder.pk).exists():
                    context.add(self.name, entry.row, "身份证号",
                                f"身份证号与{holder.branch.name}的{holder.name}相同，而{entry.branch_name}另有{entry.name}",
                                "请核对号码：一个身份证号只属于一个人")
                elif holder.branch.name != entry.branch_name and (entry.name, entry.branch_name) not in moves:
                    context.add(self.name, entry.row, "所在组织",
                                f"{holder.name}的组织关系在{holder.branch.name}，与所在组织“{entry.branch_name}”不一致",
                                "调动须有日期：请在“组织关系”表加一行内部转接（或转出、转入），或改回原所在组织")
        # The same for a 党小组 changed within the branch.
        by_place = _people_by_place(plan)
        for entry in plan:
            person = holders.get(entry.id_number) if entry.id_number else None
            person = person or by_place.get((entry.branch_name, entry.name))
            if person is None or person.branch.name != entry.branch_name:
                continue
            current = person.group.name if person.group else ""
            if current != entry.group_name and (entry.name, entry.group_name or entry.branch_name) not in moves:
                context.add(self.name, entry.row, "党小组",
                            f"{person.name}的组织关系在“{current or person.branch.name}”，与党小组“{entry.group_name or '（无）'}”不一致",
                            "调整党小组须有日期：请在“组织关系”表加一行内部转接，或改回原党小组")

    def apply(self, plan: list[PersonRow], context: ImportContext) -> SheetSummary:
        from zhibu.exchange.sheets.membership import moved_person

        summary = SheetSummary()
        orgs = {org.name: org for org in Organisation.objects.filter(
            name__in={e.branch_name for e in plan} | {e.group_name for e in plan if e.group_name})}
        numbers = [entry.id_number for entry in plan if entry.id_number]
        by_number = {}
        for start in range(0, len(numbers), 5000):  # below SQLite's limit on parameters
            by_number.update({p.id_number: p for p in Person.objects.filter(id_number__in=numbers[start:start + 5000])})
        by_place = _people_by_place(plan)
        new: list[tuple[Person, PersonRow]] = []
        for entry in plan:
            branch = orgs[entry.branch_name]
            person = by_number.get(entry.id_number) if entry.id_number else None
            if person is None:
                person = by_place.get((entry.branch_name, entry.name))
            if person is None:  # moved here by this workbook's sheet 组织关系: the person is found where they were
                person = moved_person(entry.name, entry.branch_name, context)
            values = {
                "branch": branch,
                "group": orgs.get(entry.group_name) if entry.group_name else None,
                "name": entry.name,
                **{f: getattr(entry, f) for f in PERSON_FIELDS},
                **entry.profile,
            }
            if person is None:
                new.append((Person(**values), entry))
                summary.created += 1
                continue
            # The placement is written by the membership changes (sheet 组织关系), never here.
            values.pop("branch"), values.pop("group")
            changed = [f for f, v in values.items() if getattr(person, f) != v]
            for f in changed:
                setattr(person, f, values[f])
            if changed:
                person.save()
            posts_changed = set(person.post_names) != set(entry.posts)
            if posts_changed:
                person.posts.exclude(post__in=entry.posts).delete()
                for post in set(entry.posts) - set(person.posts.values_list("post", flat=True)):
                    PersonPost.objects.create(person=person, post=post)
            if changed or posts_changed:
                summary.updated += 1
            else:
                summary.unchanged += 1
        _create_people(new)
        return summary

    def export_rows(self, actor, orgs):
        people = (
            access.visible_people(actor)
            .filter(branch__in=orgs)
            .select_related("branch", "group")
            .prefetch_related("posts")
            .order_by("branch__path", "name")
        )
        for person in people:
            yield {
                "姓名": person.name,
                "所在组织": person.branch.name,
                "党小组": person.group.name if person.group else "",
                "性别": person.gender,
                "出生日期": person.birth_date,
                "身份证号": person.id_number or "",
                "手机号": person.phone,
                "人员类别": person.category,
                "申请入党日期": person.applied_on,
                "确定积极分子日期": person.activist_on,
                "确定发展对象日期": person.candidate_on,
                "入党日期": person.admitted_on,
                "转正日期": person.full_on,
                "党内职务": person.post_names,
                "领导干部": "是" if person.is_leading_cadre else "否",
                "党费类别": person.dues_category,
                "月缴费基数": person.dues_base,
                **profile_cells(person),
            }


def _people_by_place(plan: list[PersonRow]) -> dict[tuple[str, str], Person]:
    """(branch name, name) → the person already there, for the workbook's rows, in a query per 5,000 names."""
    names = sorted({entry.name for entry in plan})
    wanted = {(entry.branch_name, entry.name) for entry in plan}
    found = {}
    for start in range(0, len(names), 5000):
        for person in Person.objects.filter(name__in=names[start:start + 5000]).select_related("branch", "group"):
            key = (person.branch.name, person.name)
            if key in wanted:
                found.setdefault(key, person)
    return found


def _create_people(new: list[tuple[Person, PersonRow]]) -> None:
    """New people in a few statements, as saving each would leave them: a history row, the initial membership
    period (membership.registration_start) and their posts (with history)."""
    from zhibu.orgs.membership import registration_start
    from zhibu.records.bulk import copy_history

    people = Person.objects.bulk_create([person for person, _entry in new], batch_size=1000)
    copy_history(Person, "id", [person.pk for person in people])
    MembershipPeriod.objects.bulk_create([
        MembershipPeriod(person=person, branch_id=person.branch_id, group_id=person.group_id, start=registration_start(person))
        for person in people
    ], batch_size=1000)
    posts = PersonPost.objects.bulk_create([
        PersonPost(person=person, post=post) for person, (_same, entry) in zip(people, new) for post in dict.fromkeys(entry.posts)
    ], batch_size=1000)
    copy_history(PersonPost, "id", [post.pk for post in posts])
