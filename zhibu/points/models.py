"""Member points (积分制管理) as data: schemes with their rules, manual adjustments and vetoes.

Points themselves are never stored: zhibu.points.statement computes them from the work records'
attendance, the adjustments and the vetoes every time they are shown, so a corrected record corrects
the points.

Which scheme applies (PointScheme.for_org): the scheme of the organisation itself or of its nearest
ancestor, else the scheme without an organisation (the default, used by everyone else). Among the schemes
of that one organisation, the one with the latest 起用年度 not after the year asked for. A committee thus
sets one scheme for its whole subtree and a branch may still keep its own; changing the rules from next
year on is a new scheme with a later 起用年度, which leaves earlier years' points as they were.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhibu.lib.textinput import validate_visible
from zhibu.orgs.models import Organisation, Person
from zhibu.records.models import ActivityType, Status

FIRST_YEAR = 2000
POINTS = {"max_digits": 6, "decimal_places": 1}


class PointScheme(models.Model):
    name = models.CharField("方案名称", max_length=60)
    is_example = models.BooleanField(
        "示例方案", default=False, help_text="系统自带的示例（取自常见的地方做法，不是全国统一规定），可按本单位制度修改")
    org = models.ForeignKey(
        Organisation, models.CASCADE, null=True, blank=True, related_name="point_schemes", verbose_name="适用组织",
        help_text="适用于该组织及其下级组织；留空为默认方案，适用于没有自己方案的所有组织")
    from_year = models.PositiveSmallIntegerField(
        "起用年度", default=FIRST_YEAR, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)],
        help_text="从该年度起使用；以后年度改用新规则时另建一个起用年度更晚的方案，以前年度的积分不变")
    base = models.DecimalField("基础分", **POINTS, default=Decimal("60"))
    floor = models.DecimalField("最低分", **POINTS, null=True, blank=True, default=Decimal("0"),
                                help_text="扣分后不低于此分；留空为不设下限")
    cap = models.DecimalField("最高分", **POINTS, null=True, blank=True, help_text="加分后不高于此分；留空为不设上限")
    note = models.TextField("说明", blank=True, help_text="方案的依据，例如本单位积分管理办法的文号")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "积分方案"
        verbose_name_plural = "积分方案"
        ordering = ["org__path", "-from_year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["org", "from_year"], name="point_scheme_once_per_org_year"),
            models.UniqueConstraint(fields=["from_year"], condition=Q(org__isnull=True), name="point_default_scheme_once_per_year"),
        ]

    EXAMPLE_LABEL = "示例（可修改）"

    def __str__(self) -> str:
        return self.name

    @property
    def scope_label(self) -> str:
        return f"{self.org.name}及下级组织" if self.org_id else "默认（未设方案的所有组织）"

    def clean(self):
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise ValidationError({"cap": f"最高分（{self.cap}）不能低于最低分（{self.floor}）"})
        if self.floor is not None and self.floor > self.base:
            raise ValidationError({"floor": f"最低分（{self.floor}）不能高于基础分（{self.base}）"})
        if self.cap is not None and self.cap < self.base:
            raise ValidationError({"cap": f"最高分（{self.cap}）不能低于基础分（{self.base}）"})

    @classmethod
    def for_org(cls, org: Organisation, year: int) -> "PointScheme | None":
        """The scheme that applies to `org` in `year` (see the module's docstring), or None if none does."""
        ancestors = [org.path[:end] for end in range(Organisation.steplen, len(org.path) + 1, Organisation.steplen)]
        candidates = cls.objects.filter(Q(org__path__in=ancestors) | Q(org__isnull=True), from_year__lte=year)
        candidates = candidates.select_related("org").prefetch_related("rules__activity_type")
        return max(candidates, key=lambda s: (len(s.org.path) if s.org_id else 0, s.from_year), default=None)

    def rules_by_type(self) -> dict[int, "PointRule"]:
        """Activity type id → its rule (one query if the rules were prefetched)."""
        return {rule.activity_type_id: rule for rule in self.rules.all()}


class PointRule(models.Model):
    """Points for one activity type: per record attended, per leave, per absence without leave (signed)."""

    scheme = models.ForeignKey(PointScheme, models.CASCADE, related_name="rules", verbose_name="方案")
    activity_type = models.ForeignKey(ActivityType, models.CASCADE, related_name="+", verbose_name="活动类型")
    present = models.DecimalField("出席", **POINTS, default=Decimal("0"))
    leave = models.DecimalField("请假", **POINTS, default=Decimal("0"))
    absent = models.DecimalField("缺席", **POINTS, default=Decimal("0"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"
        ordering = ["activity_type__position", "activity_type__name"]
        constraints = [models.UniqueConstraint(fields=["scheme", "activity_type"], name="point_rule_once_per_type")]

    def __str__(self) -> str:
        return f"{self.activity_type.name}：出席{self.present} 请假{self.leave} 缺席{self.absent}"

    def points_for(self, status: str) -> Decimal:
        return {Status.PRESENT: self.present, Status.LEAVE: self.leave, Status.ABSENT: self.absent}[status]


class PointAdjustment(models.Model):
    """A manual addition or deduction (an article published, a task not done …), always with its reason."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="point_adjustments", verbose_name="党员")
    date = models.DateField("日期")
    points = models.DecimalField("分值", **POINTS, help_text="加分填正数，扣分填负数，例如 3 或 -2")
    reason = models.CharField("事由", max_length=200, validators=[validate_visible])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "积分调整"
        verbose_name_plural = "积分调整"
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="point_adjustment_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="point_adjustment_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.date:%Y-%m-%d} {self.points:+}：{self.reason}"


def adjustment_problems(points: Decimal | None, reason: str, day: date | None, today: date) -> dict[str, str]:
    """Field → what is wrong with an adjustment; one place for the web form and the 积分调整 sheet."""
    problems = {}
    if points is not None and points == 0:
        problems["points"] = "分值不能为0：加分填正数，扣分填负数"
    elif points is not None and abs(points) >= 10 ** (POINTS["max_digits"] - POINTS["decimal_places"]):
        problems["points"] = f"分值“{points}”太大，请核对"
    if not (reason or "").strip():
        problems["reason"] = "请填写事由（为什么加分或扣分）"
    if day and day > today:
        problems["date"] = f"{day:%Y-%m-%d} 晚于今天，积分调整的日期不能是将来"
    elif day and day.year < FIRST_YEAR:
        problems["date"] = f"日期不能早于{FIRST_YEAR}年"
    return problems


class PointVeto(models.Model):
    """一票否决: a legal or disciplinary violation sets the member's points for the year to 0."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="point_vetoes", verbose_name="党员")
    year = models.PositiveSmallIntegerField("年度")
    date = models.DateField("决定日期")
    reason = models.CharField("事由", max_length=200, validators=[validate_visible], help_text="例如：受到党内警告处分（文号）")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "一票否决"
        verbose_name_plural = "一票否决"
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="point_veto_once_per_year")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.year}年一票否决：{self.reason}"
