"""The organisation tree, the people in it, and who may log in with which role."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from zhibu.lib.idcard import birth_date_from_id, id_number_problem, mobile_problem
from zhibu.lib.textinput import normalise, validate_visible
from zhibu.orgs import terms
from zhibu.orgs.versions import TouchingQuerySet
from zhibu.orgs.profile import CODE_LISTS, DEGREES, EDUCATION, ETHNIC_GROUPS


class OrgKind(models.TextChoices):
    PARTY_COMMITTEE = "党委", "党委"
    WORKING_COMMITTEE = "党工委", "党工委"
    ORGAN_COMMITTEE = "机关党委", "机关党委"
    GENERAL_BRANCH = "党总支", "党总支"
    BRANCH = "党支部", "党支部"
    GROUP = "党小组", "党小组"


# Which kinds may sit directly under which: a group only under a branch, a branch under a committee or general branch.
ALLOWED_PARENT_KINDS = {
    OrgKind.PARTY_COMMITTEE: {None, OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE},
    OrgKind.WORKING_COMMITTEE: {None, OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE},
    OrgKind.ORGAN_COMMITTEE: {None, OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE},
    OrgKind.GENERAL_BRANCH: {None, OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.ORGAN_COMMITTEE},
    OrgKind.BRANCH: {
        None,
        OrgKind.PARTY_COMMITTEE,
        OrgKind.WORKING_COMMITTEE,
        OrgKind.ORGAN_COMMITTEE,
        OrgKind.GENERAL_BRANCH,
    },
    OrgKind.GROUP: {OrgKind.BRANCH},
}

DEFAULT_TERM_YEARS = 3
# 支部工作条例 art. 12: village and community branches serve five-year terms.
VILLAGE_TERM_YEARS = 5


def parent_kind_problem(kind: str, parent_kind: str | None) -> str | None:
    allowed = ALLOWED_PARENT_KINDS[OrgKind(kind)]
    if parent_kind in allowed:
        return None
    if parent_kind is None:
        return f"{kind}必须有上级组织（党支部）"
    names = "、".join(k for k in allowed if k) or "无"
    return f"{kind}的上级应为{names}，不能是{parent_kind}"


class OrganisationQuerySet(TouchingQuerySet, MP_NodeQuerySet):
    def subtree_of(self, *roots: "Organisation") -> "OrganisationQuerySet":
        """The given organisations and everything below them."""
        if not roots:
            return self.none()
        condition = Q()
        for root in roots:
            condition |= Q(path__startswith=root.path)
        return self.filter(condition)

    def parent_names(self) -> dict[str, str]:
        """Name → parent's name for these organisations, in one query (roots map to "")."""
        steplen = Organisation.steplen
        names_by_path = dict(Organisation.objects.values_list("path", "name"))
        return {
            name: names_by_path.get(path[:-steplen], "") if len(path) > steplen else ""
            for path, name in self.values_list("path", "name")
        }

    def branches(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrgKind.BRANCH)


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self) -> OrganisationQuerySet:
        # treebeard's manager hard-codes its own queryset class; keep its path ordering with ours.
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")

    def create_root(self, **fields) -> "Organisation":
        return self.add_root(fields)

    def create_child(self, parent: "Organisation", **fields) -> "Organisation":
        return self.add_child(parent, fields)

    def place(self, org: "Organisation", parent: "Organisation | None") -> None:
        """Move an organisation under a new parent (None: make it a root), keeping siblings sorted by name."""
        current = self.get_parent(org)
        if (current.pk if current else None) == (parent.pk if parent else None):
            return
        if parent is None:
            self.move(org, self.get_first_root_node(), "sorted-sibling")
        else:
            self.move(org, parent, "sorted-child")


class Organisation(MP_Node):
    name = models.CharField("名称", max_length=100, unique=True, validators=[validate_visible])
    kind = models.CharField("类别", max_length=10, choices=OrgKind.choices)
    unit = models.CharField("单位", max_length=100, blank=True, validators=[validate_visible])
    line_of_work = models.CharField("业务领域", max_length=50, blank=True)
    city = models.CharField("所在地", max_length=50, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    elected_on = models.DateField("换届日期", null=True, blank=True, help_text="最近一次选举产生委员会的日期")
    term_years = models.PositiveSmallIntegerField(
        "任期年限", default=DEFAULT_TERM_YEARS, help_text="一般为3年；村、社区党支部为5年"
    )
    history = HistoricalRecords()

    node_order_by = ["name"]
    objects = OrganisationManager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.name, self.unit = normalise(self.name), normalise(self.unit)
        if self.term_years not in (3, 5):
            raise ValidationError({"term_years": "任期年限应为3或5年"})
        if self.founded_on and self.founded_on > date.today():
            raise ValidationError({"founded_on": "成立日期不能晚于今天"})
        if self.elected_on and self.elected_on > date.today():
            raise ValidationError({"elected_on": "换届日期不能晚于今天"})

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    @property
    def parent_name(self) -> str:
        parent = Organisation.objects.get_parent(self)
        return parent.name if parent else ""

    def term_ends_on(self) -> date | None:
        return terms.term_ends_on(self.elected_on, self.term_years)

    def branch(self) -> "Organisation | None":
        """The branch itself, or for a 党小组 its branch."""
        if self.kind == OrgKind.BRANCH:
            return self
        if self.kind == OrgKind.GROUP:
            return Organisation.objects.get_parent(self)
        return None


class Category(models.TextChoices):
    FULL = terms.FULL_MEMBER, terms.FULL_MEMBER
    PROBATIONARY = terms.PROBATIONARY_MEMBER, terms.PROBATIONARY_MEMBER
    CANDIDATE = terms.CANDIDATE, terms.CANDIDATE
    ACTIVIST = terms.ACTIVIST, terms.ACTIVIST
    APPLICANT = terms.APPLICANT, terms.APPLICANT


MEMBER_CATEGORIES = (Category.FULL, Category.PROBATIONARY)


class Post(models.TextChoices):
    SECRETARY = terms.SECRETARY, terms.SECRETARY
    DEPUTY_SECRETARY = terms.DEPUTY_SECRETARY, terms.DEPUTY_SECRETARY
    ORGANISATION = terms.ORGANISATION_MEMBER, terms.ORGANISATION_MEMBER
    PUBLICITY = terms.PUBLICITY_MEMBER, terms.PUBLICITY_MEMBER
    DISCIPLINE = terms.DISCIPLINE_MEMBER, terms.DISCIPLINE_MEMBER
    GROUP_LEADER = terms.GROUP_LEADER, terms.GROUP_LEADER


# Offices list people by post in this order before the others (then by surname strokes).
POST_ORDER = {post.value: rank for rank, post in enumerate(Post)}
COMMITTEE_POSTS = {Post(post) for post in terms.COMMITTEE_POSTS}


class DuesCategory(models.TextChoices):
    IN_SERVICE = "在职", "在职"
    RETIRED = "离退休", "离退休"
    STUDENT = "学生", "学生"
    FARMER = "农民", "农民"
    UNEMPLOYED = "下岗失业", "下岗失业"
    HARDSHIP = "困难减免", "困难减免"


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class PersonQuerySet(TouchingQuerySet):
    def members(self) -> "PersonQuerySet":
        return self.filter(category__in=MEMBER_CATEGORIES)

    def on_roll(self) -> "PersonQuerySet":
        """Those in the unit now (an open membership period); someone transferred out, expelled, suspended or
        dead keeps their last branch in Person.branch but is not on the roll."""
        return self.filter(periods__end__isnull=True)

    def full_members(self) -> "PersonQuerySet":
        return self.filter(category=Category.FULL)

    def with_posts(self) -> "PersonQuerySet":
        return self.prefetch_related("posts")


class Person(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", verbose_name="所在组织"
    )
    group = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_people",
        verbose_name="党小组",
    )
    name = models.CharField("姓名", max_length=30, validators=[validate_visible])
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number = models.CharField("身份证号", max_length=18, null=True, blank=True, unique=True)
    phone = models.CharField("手机号", max_length=11, blank=True)
    category = models.CharField("人员类别", max_length=10, choices=Category.choices)
    applied_on = models.DateField("申请入党日期", null=True, blank=True)
    activist_on = models.DateField("确定积极分子日期", null=True, blank=True)
    candidate_on = models.DateField("确定发展对象日期", null=True, blank=True)
    admitted_on = models.DateField("入党日期", null=True, blank=True, help_text="支部大会通过接收为预备党员的日期（政治生日）")
    full_on = models.DateField("转正日期", null=True, blank=True)
    is_leading_cadre = models.BooleanField("领导干部", default=False)
    dues_category = models.CharField("党费类别", max_length=10, choices=DuesCategory.choices, default=DuesCategory.IN_SERVICE)
    dues_base = models.DecimalField("月缴费基数", max_digits=10, decimal_places=2, null=True, blank=True)
    # What the 党内统计 tables and the national roster ask for (zhibu/orgs/profile.py holds the code lists).
    ethnicity = models.CharField("民族", max_length=10, blank=True, choices=[(n, n) for n in ETHNIC_GROUPS])
    native_place = models.CharField("籍贯", max_length=50, blank=True, validators=[validate_visible])
    education = models.CharField("学历", max_length=10, blank=True, choices=[(n, n) for n in EDUCATION])
    degree = models.CharField("学位", max_length=10, blank=True, choices=[(n, n) for n in DEGREES])
    job = models.CharField("工作岗位", max_length=30, blank=True, help_text="代码表“工作岗位”中的一项")
    work_started_on = models.DateField("参加工作日期", null=True, blank=True)
    household_place = models.CharField("户籍所在地", max_length=100, blank=True, validators=[validate_visible])
    residence = models.CharField("现居住地", max_length=100, blank=True, validators=[validate_visible])
    migrant_worker = models.BooleanField("是否农民工", default=False)
    stratum = models.CharField("新社会阶层类型", max_length=30, blank=True, help_text="代码表“新社会阶层类型”中的一项，或留空")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person", verbose_name="登录账号"
    )
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="person_name_unique_in_branch")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        today = date.today()
        self.name = normalise(self.name)  # so duplicates are found on the name as it reads
        if self.id_number:
            self.id_number = self.id_number.strip().upper()
            problem = id_number_problem(self.id_number)
            if problem:
                errors["id_number"] = problem
            elif self.birth_date and birth_date_from_id(self.id_number) != self.birth_date:
                errors["birth_date"] = "出生日期与身份证号中的出生日期不一致"
        if self.phone:
            problem = mobile_problem(self.phone)
            if problem:
                errors["phone"] = problem
        if self.category in MEMBER_CATEGORIES and not self.admitted_on:
            errors["admitted_on"] = f"{self.category}必须填写入党日期"
        if self.category == Category.FULL and self.admitted_on and self.full_on and self.full_on < self.admitted_on:
            errors["full_on"] = "转正日期不能早于入党日期"
        self.native_place, self.household_place, self.residence = (
            normalise(self.native_place), normalise(self.household_place), normalise(self.residence))
        for field, kind in (("job", "job"), ("stratum", "stratum")):
            value = getattr(self, field)
            if value and not CodeItem.objects.filter(kind=kind, name=value).exists():
                errors[field] = f"“{value}”不在代码表“{CODE_LISTS[kind][0]}”中，请从列表中选择或先在代码表中加上它"
        if self.work_started_on and self.birth_date and self.work_started_on <= self.birth_date:
            errors["work_started_on"] = "参加工作日期应晚于出生日期"
        for field in ("birth_date", "applied_on", "activist_on", "candidate_on", "admitted_on", "full_on", "work_started_on"):
            value = getattr(self, field)
            if value and value > today:
                errors[field] = f"{self._meta.get_field(field).verbose_name}不能晚于今天"
        if self.branch_id and self.branch.kind != OrgKind.BRANCH:
            errors["branch"] = "所在组织必须是党支部"
        if self.group_id and self.branch_id and Organisation.objects.get_parent(self.group).pk != self.branch_id:
            errors["group"] = f"党小组“{self.group.name}”不属于{self.branch.name}"
        if errors:
            raise ValidationError(errors)

    # Derived values are computed, never stored twice.
    def standing_years(self, on: date | None = None) -> int | None:
        """党龄: whole years since becoming a full member (党章: counted from 转正)."""
        if self.category != Category.FULL:
            return None
        start = self.full_on or self.admitted_on
        if not start:
            return None
        on = on or date.today()
        years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
        return max(years, 0)

    def political_birthday(self, year: int) -> date | None:
        """Anniversary of the day the branch meeting admitted the person (入党日期, not 转正)."""
        if not self.admitted_on:
            return None
        try:
            return self.admitted_on.replace(year=year)
        except ValueError:
            return date(year, 2, 28)

    def age(self, on: date | None = None) -> int | None:
        if not self.birth_date:
            return None
        on = on or date.today()
        return on.year - self.birth_date.year - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def post_names(self) -> list[str]:
        return sorted((p.post for p in self.posts.all()), key=lambda post: POST_ORDER.get(post, 99))

    @property
    def is_member(self) -> bool:
        return self.category in MEMBER_CATEGORIES


class PersonPost(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    post = models.CharField("党内职务", max_length=10, choices=Post.choices)
    history = HistoricalRecords()

    objects = TouchingQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "post"], name="post_once_per_person")]

    def __str__(self) -> str:
        return self.post


class CodeItem(models.Model):
    """One entry of an editable code list (工作岗位, 新社会阶层类型)."""

    kind = models.CharField("代码表", max_length=10, choices=[(k, label) for k, (label, _) in CODE_LISTS.items()])
    name = models.CharField("名称", max_length=30, validators=[validate_visible])
    position = models.PositiveSmallIntegerField("顺序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "代码表条目"
        verbose_name_plural = "代码表条目"
        ordering = ["kind", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="code_item_once")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COMMITTEE_ADMIN = "committee_admin", "党委管理员"
    SECRETARY = "secretary", "支部书记"
    CLERK = "clerk", "党务干事"


class Grant(models.Model):
    """A login's role over one organisation and everything below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants", verbose_name="组织")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    # Who granted it is the history's user (the web login, or the actor passed to create_account).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "授权"
        verbose_name_plural = "授权"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="grant_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.org} · {self.get_role_display()}"

    def clean(self):
        if self.role in (Role.SECRETARY, Role.CLERK) and self.org.kind != OrgKind.BRANCH:
            raise ValidationError({"org": "支部书记和党务干事的授权组织必须是党支部"})


class OrgOptions(models.Model):
    """Tools an organisation chooses for itself and everything below it. Both are offered, never required
    (国办函〔2026〕12号: no forced 打卡签到, no forced 积分排名): switched off here, they are off in the whole subtree."""

    org = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="options", verbose_name="组织")
    sign_in = models.BooleanField("使用签到", default=True, help_text="成员用签到码或二维码在手机上签到；关闭后只由书记登记出席情况")
    points_ranking = models.BooleanField("使用积分排名", default=True, help_text="在积分页面按积分排列党员；关闭后只显示每人的积分明细")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "可选功能"
        verbose_name_plural = "可选功能"

    def __str__(self) -> str:
        return f"{self.org.name}的可选功能"


def option_on(org: Organisation | None, name: str) -> bool:
    """Whether a tool (OrgOptions field) is on for `org`: off when it or any organisation above it switched it off."""
    if org is None:
        return True
    steplen = Organisation.steplen
    ancestors = [org.path[:end] for end in range(steplen, len(org.path) + 1, steplen)]
    return not OrgOptions.objects.filter(org__path__in=ancestors, **{name: False}).exists()


class AccountEvent(models.Model):
    """A step in a login's life taken on the web (停用, 启用, 重设密码, 解除锁定): who did it to whom, and when.
    Grants keep their own history (HistoricalRecords on Grant)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_events", verbose_name="账号")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人")
    what = models.CharField("操作", max_length=20)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "账号操作"
        verbose_name_plural = "账号操作"
        ordering = ["-at", "-pk"]


class PersonalDataAccess(models.Model):
    """One look at personal data in full, or one export of it: who, when, what, which organisation's people."""

    VIEW = "view"
    EXPORT = "export"
    ACTIONS = [(VIEW, "查看完整身份证号"), (EXPORT, "导出个人信息")]

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人")
    username = models.CharField("登录名", max_length=150, help_text="记录当时的登录名；命令行操作为“命令行”")
    action = models.CharField("操作", max_length=10, choices=ACTIONS)
    what = models.CharField("内容", max_length=200)
    org = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="组织")
    org_name = models.CharField("组织名称", max_length=100, help_text="记录当时的名称")
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="人员")
    people = models.PositiveIntegerField("人数", default=1)
    masked = models.BooleanField("已隐去部分号码", default=False)

    class Meta:
        verbose_name = "个人信息访问记录"
        verbose_name_plural = "个人信息访问记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.what}"


# ---- membership over time ------------------------------------------------------------------------
#
# A person's membership is a sequence of dated periods in a branch (and 党小组), opened and closed by events.
# Person.branch / Person.group hold the CURRENT placement only, as a cache of the open period (or, for someone
# who has left the unit, of the last one): many pages filter on them, and a join through the periods on every
# list would cost each of them a query. They have one writer, zhibu/orgs/membership.py, which sets them from
# the periods; a Person saved with a branch or group other than its periods' is refused (see membership.py).
# Anything about a date in the past asks membership.members_on(orgs, day), never Person.branch.


class EventKind(models.TextChoices):
    TRANSFER_IN = "转入", "转入"
    TRANSFER_OUT = "转出", "转出"
    INTERNAL = "内部转接", "内部转接"
    EXPELLED = "出党", "出党"
    SUSPENDED = "停止党籍", "停止党籍"
    RESTORED = "恢复党籍", "恢复党籍"
    DIED = "死亡", "死亡"
    AWAY = "外出流动", "外出流动"
    BACK = "流动返回", "流动返回"
    LOST = "失联", "失联"
    FOUND = "恢复联系", "恢复联系"


# Events that end the person's period in the unit, and those after which nothing more may happen.
LEAVING_KINDS = {EventKind.TRANSFER_OUT, EventKind.EXPELLED, EventKind.SUSPENDED, EventKind.DIED}
FINAL_KINDS = {EventKind.EXPELLED, EventKind.DIED}
# Events that only mark a state while the person stays in the branch: start kind → end kind.
STATE_KINDS = {EventKind.AWAY: EventKind.BACK, EventKind.LOST: EventKind.FOUND}


class ExitForm(models.TextChoices):
    LAPSED = "自行脱党", "自行脱党"
    REMOVED = "除名", "除名"
    EXPELLED = "开除党籍", "开除党籍"
    WITHDREW = "退党", "退党"


class EventState(models.TextChoices):
    DONE = "已生效", "已生效"
    PENDING = "待接收", "待接收"  # a 内部转接 sent by one branch and not yet accepted by the other


class MembershipEvent(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="membership_events", verbose_name="人员")
    kind = models.CharField("变动类型", max_length=10, choices=EventKind.choices)
    on = models.DateField("日期", help_text="生效日期")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="组织")
    target = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="转入组织",
        help_text="内部转接：本单位的党支部或党小组",
    )
    other_party = models.CharField("对方组织", max_length=100, blank=True, help_text="转入、转出：介绍信上的组织；外出流动：流入地党组织")
    exit_form = models.CharField("出党方式", max_length=10, choices=ExitForm.choices, blank=True)
    letter_number = models.CharField("介绍信编号", max_length=40, blank=True)
    letter_valid_until = models.DateField("介绍信有效期至", null=True, blank=True)
    dues_paid_to = models.CharField("党费交至", max_length=7, blank=True, help_text="例如 2025-06")
    receipt_on = models.DateField("回执日期", null=True, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    ref = models.CharField("编号", max_length=50, null=True, blank=True, unique=True)
    state = models.CharField("状态", max_length=10, choices=EventState.choices, default=EventState.DONE)
    accepted_on = models.DateField("接收日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "组织关系变动"
        verbose_name_plural = "组织关系变动"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.on:%Y-%m-%d} {self.kind}"

    @property
    def awaiting_receipt(self) -> bool:
        return self.kind == EventKind.TRANSFER_OUT and self.receipt_on is None

    def overdue(self, today: date) -> bool:
        """A 转出 letter past its validity whose 回执 has not come back."""
        return self.awaiting_receipt and self.letter_valid_until is not None and self.letter_valid_until < today


class MembershipPeriod(models.Model):
    """One stretch of a person's membership in a branch (and 党小组): from `start` up to, not including, `end`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="periods", verbose_name="人员")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="member_periods", verbose_name="党支部")
    group = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="group_periods", verbose_name="党小组"
    )
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="不含当日；空表示仍在")
    opened_by = models.ForeignKey(MembershipEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    closed_by = models.ForeignKey(MembershipEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = TouchingQuerySet.as_manager()

    class Meta:
        verbose_name = "组织关系期间"
        verbose_name_plural = "组织关系期间"
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(end__isnull=True), name="one_open_period_per_person"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="period_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.branch} {self.start}–{self.end or ''}"

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class Exemption(models.Model):
    """第二十三条: an old or frail member need not attend organisational activities and study, from a date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exemptions", verbose_name="人员")
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="不含当日；空表示长期")
    reason = models.CharField("原因", max_length=200, help_text="例如 年老体弱、长期卧床")

    objects = TouchingQuerySet.as_manager()

    class Meta:
        verbose_name = "免于参加组织生活"
        verbose_name_plural = "免于参加组织生活"
        ordering = ["start", "pk"]

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class BranchVersion(models.Model):
    """A branch's version: grows whenever a fact the compliance check reads about it changes (orgs/versions.py)."""

    branch = models.OneToOneField(Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "党支部数据版本"
        verbose_name_plural = "党支部数据版本"
