"""Party dues records: each member's yearly base, the payments per month, and each branch's settings.

What is due is never stored: it is computed from the year's base with the
2008 rules (zhibu.dues.calculator), so a corrected base corrects every month.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhibu.dues.calculator import (
    FARMER_MIN,
    REMINDER_AFTER_MONTHS,
    WARNING_AFTER_MONTHS,
    DuesError,
    Rounding,
    arrears_warning_level,
    calculate_monthly_dues,
)
from zhibu.orgs.models import DuesCategory, Organisation, Person

class BranchDuesSettings(models.Model):
    """What the 2008 rules leave to the branch. A branch without a row uses the defaults below."""

    branch = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="dues_settings", verbose_name="党支部")
    farmer_amount = models.DecimalField(
        "农民党员月党费（元）", max_digits=4, decimal_places=2, default=FARMER_MIN,
        help_text="2008年规定：农民党员每月交纳党费0.2元至1元，由支部确定",
    )
    rounding = models.CharField(
        "取整方式", max_length=10, choices=[(r.value, r.value) for r in Rounding], default=Rounding.HALF_UP_FEN.value,
        help_text="国家没有统一的取整规定，按比例计算的党费按此取整",
    )
    reminder_after = models.PositiveSmallIntegerField(
        "连续未缴几个月提醒", default=REMINDER_AFTER_MONTHS, help_text="本地做法，默认3个月")
    warning_after = models.PositiveSmallIntegerField(
        "连续未缴几个月警告", default=WARNING_AFTER_MONTHS,
        help_text="须少于6个月：党章规定连续六个月不交纳党费视为自行脱党，须在此之前警告")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "支部党费设置"
        verbose_name_plural = "支部党费设置"

    def __str__(self) -> str:
        return f"{self.branch} 党费设置"

    @classmethod
    def for_branch(cls, branch: Organisation) -> "BranchDuesSettings":
        """The branch's settings, or unsaved national defaults when it never changed them."""
        return cls.objects.filter(branch=branch).first() or cls(branch=branch)

    def clean(self):
        errors = {}
        try:
            calculate_monthly_dues(None, DuesCategory.FARMER, farmer_amount=self.farmer_amount)
        except DuesError as error:
            errors["farmer_amount"] = str(error)
        try:
            arrears_warning_level(0, reminder_after=self.reminder_after, warning_after=self.warning_after)
        except DuesError as error:
            errors["warning_after"] = str(error)
        if errors:
            raise ValidationError(errors)


class DuesBase(models.Model):
    """A member's dues base for one year: set at the start of the year, it holds for the whole year."""

    # PROTECT: dues records are financial records; deleting a person must not erase them.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_bases", verbose_name="党员")
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("党费类别", max_length=10, choices=DuesCategory.choices, default=DuesCategory.IN_SERVICE)
    base = models.DecimalField(
        "月缴费基数（元）", max_digits=10, decimal_places=2, null=True, blank=True,
        help_text="在职：税后月工资收入中固定的、经常性的部分；离退休：基本离退休费；其他类别可不填",
    )
    reduced_amount = models.DecimalField(
        "减免后月党费（元）", max_digits=8, decimal_places=2, null=True, blank=True,
        help_text="仅“困难减免”填写：经支部研究、上级党委批准的金额，免交填0",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党费缴费基数"
        verbose_name_plural = "党费缴费基数"
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="dues_base_once_a_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.year}年"

    def monthly_due(self, settings: BranchDuesSettings) -> Decimal:
        """The monthly amount under the 2008 rules; DuesError (Chinese) when the base cannot give one."""
        return calculate_monthly_dues(
            self.base,
            self.category,
            farmer_amount=settings.farmer_amount,
            reduced_amount=self.reduced_amount,
            rounding=settings.rounding,
        )


class PaymentSource(models.TextChoices):
    WEB = "web", "网页录入"
    IMPORT = "import", "工作簿导入"


class DuesPayment(models.Model):
    """What a member paid for one month (at most one row per month; a correction changes the row)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_payments", verbose_name="党员")
    month = models.CharField("月份", max_length=7, help_text="年-月，例如 2025-03")
    amount = models.DecimalField("实缴（元）", max_digits=10, decimal_places=2)
    paid_on = models.DateField("缴纳日期", null=True, blank=True)
    source = models.CharField("来源", max_length=10, choices=PaymentSource.choices, default=PaymentSource.WEB)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党费缴纳记录"
        verbose_name_plural = "党费缴纳记录"
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="dues_payment_once_a_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month} {self.amount}"
