"""民主评议党员: a branch's yearly appraisal of its members (see rules.py for the rules and their sources).

The 民主测评 is a secret vote on the shared ballot machinery (zhibu.ballots): the appraisal's `poll`
holds who may vote (full members with a login when the 测评 opens) and who voted; `AppraisalBallot` and
`Mark` hold what was voted, without a voter, a time or a counting number. Paper ballots are entered by the
clerk as tallies on each participant. The 组织评定 sets each participant's `grade`.
"""

from __future__ import annotations

import uuid
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from zhibu.appraisal.rules import DEFAULT_PARTICIPATION_TARGET, DISPOSALS, GRADES, NOT_GRADED
from zhibu.orgs.models import Organisation, OrgKind, Person

EARLIEST_YEAR = 2000


class Status(models.TextChoices):
    PREPARING = "准备", "学习教育、自我评价"
    VOTING = "测评中", "民主测评"
    EVALUATING = "待评定", "组织评定"
    DONE = "已完成", "已完成"


GRADE_CHOICES = [(g, g) for g in GRADES]
RESULT_CHOICES = [*GRADE_CHOICES, (NOT_GRADED, NOT_GRADED)]
DISPOSAL_CHOICES = [(d, d) for d in DISPOSALS]


class Appraisal(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="appraisals", verbose_name="党支部")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("阶段", max_length=10, choices=Status.choices, default=Status.PREPARING)
    excellent_numerator = models.PositiveSmallIntegerField("优秀比例（分子）", default=1)
    excellent_denominator = models.PositiveSmallIntegerField("优秀比例（分母）", default=3)
    participation_target = models.PositiveSmallIntegerField(
        "参评率目标（%）", default=DEFAULT_PARTICIPATION_TARGET, validators=[MaxValueValidator(100)])
    poll = models.OneToOneField("ballots.Poll", on_delete=models.PROTECT, null=True, blank=True, related_name="appraisal")
    evaluated_on = models.DateField("组织评定日期", null=True, blank=True)
    activity = models.ForeignKey("records.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="民主评议党员记录")
    imported = models.BooleanField("由工作簿导入", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "民主评议党员"
        verbose_name_plural = "民主评议党员"
        ordering = ["-year", "branch__path"]
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="one_appraisal_per_branch_year",
                                               violation_error_message="该支部这一年度已有民主评议，请打开已有的那一次")]

    def __str__(self) -> str:
        return f"{self.branch.name}{self.year}年度民主评议党员"

    def clean(self):
        from datetime import date

        errors = {}
        if self.branch_id and self.branch.kind != OrgKind.BRANCH:
            errors["branch"] = f"民主评议党员由党支部开展，“{self.branch.name}”是{self.branch.kind}"
        if self.year is not None and not EARLIEST_YEAR <= self.year <= date.today().year:
            errors["year"] = f"年度应在{EARLIEST_YEAR}至{date.today().year}之间"
        if not self.excellent_denominator or self.excellent_numerator > self.excellent_denominator:
            errors["excellent_denominator"] = "优秀比例应是不大于1的分数，例如 1/3"
        if errors:
            raise ValidationError(errors)

    @property
    def excellent_share(self) -> Fraction:
        return Fraction(self.excellent_numerator, self.excellent_denominator or 1)

    @property
    def title(self) -> str:
        return str(self)


class Participant(models.Model):
    """A member taking part: 正式党员 are graded, 预备党员 take part without a grade."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="appraisals")
    name = models.CharField("姓名", max_length=30)
    category = models.CharField("人员类别", max_length=10)
    graded = models.BooleanField("确定等次", default=True)
    statement = models.TextField("自我评价", blank=True)
    paper_excellent = models.PositiveIntegerField("纸质票·优秀", default=0)
    paper_qualified = models.PositiveIntegerField("纸质票·合格", default=0)
    paper_basic = models.PositiveIntegerField("纸质票·基本合格", default=0)
    paper_unqualified = models.PositiveIntegerField("纸质票·不合格", default=0)
    grade = models.CharField("评定结果", max_length=4, choices=RESULT_CHOICES, blank=True)
    disposal = models.CharField("处置", max_length=4, choices=DISPOSAL_CHOICES, blank=True)
    follow_up_on = models.DateField("跟踪回访日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "person"], name="participant_once_per_appraisal")]

    def __str__(self) -> str:
        return self.name

    def paper_counts(self) -> dict[str, int]:
        return dict(zip(GRADES, (self.paper_excellent, self.paper_qualified, self.paper_basic, self.paper_unqualified)))


class AppraisalBallot(models.Model):
    """One voter's sheet, without the voter: a random key, no time, no user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="ballots")


class Mark(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(AppraisalBallot, on_delete=models.CASCADE, related_name="marks")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="marks")
    grade = models.CharField("等次", max_length=4, choices=GRADE_CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "participant"], name="one_mark_per_participant_and_ballot")]
