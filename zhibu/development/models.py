"""Dated records of the 25 steps a person goes through on the way into the Party.

The stage dates themselves (申请入党日期 … 转正日期) stay on Person, where the
roster, the exchange workbook and every other page read them; recording a
step that starts a stage also sets that date (see zhibu.development.pipeline).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhibu.development.rules import STEPS
from zhibu.orgs.models import Person

STEP_CHOICES = [(step.number, f"第{step.number}步 {step.name}") for step in STEPS]


class Decision(models.TextChoices):
    """What the branch meeting at the end of probation decides (细则 第三十二条)."""

    CONVERT = "按期转正", "按期转正"
    EXTEND = "延长预备期", "延长预备期"
    CANCEL = "取消预备党员资格", "取消预备党员资格"


class DevelopmentRecord(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="development_records", verbose_name="人员")
    step = models.PositiveSmallIntegerField("步骤", choices=STEP_CHOICES)
    date = models.DateField("日期")
    note = models.CharField(
        "说明", max_length=200, blank=True,
        help_text="例如：谈话人（第2、16步）、培养联系人（第5步）、入党介绍人（第9步）、政审结论（第10步）、表决结果（第15、23步）",
    )
    training_days = models.DecimalField("集中培训天数", max_digits=4, decimal_places=1, null=True, blank=True,
                                        help_text="第11步：不少于3天或24学时，填其一即可")
    training_hours = models.DecimalField("集中培训学时", max_digits=5, decimal_places=1, null=True, blank=True)
    decision = models.CharField("支部大会决议", max_length=10, choices=Decision.choices, blank=True,
                                help_text="第23步：按期转正、延长预备期或取消预备党员资格")
    extension_months = models.PositiveSmallIntegerField("延长预备期（月）", null=True, blank=True,
                                                        help_text="延长预备期时填写：6至12个月，只能延长一次")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "发展党员记录"
        verbose_name_plural = "发展党员记录"
        ordering = ["date", "step", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=len(STEPS)), name="development_step_1_to_25"),
        ]

    def __str__(self) -> str:
        return f"{self.person} 第{self.step}步 {self.date:%Y-%m-%d}"

    @property
    def step_info(self):
        return STEPS[self.step - 1]

    @property
    def details(self) -> str:
        """The step's extra facts in words, for timelines and ledgers."""
        parts = []
        if self.training_days is not None:
            parts.append(f"{self.training_days.normalize():f}天")
        if self.training_hours is not None:
            parts.append(f"{self.training_hours.normalize():f}学时")
        if self.decision:
            parts.append(self.decision + (f"{self.extension_months}个月" if self.extension_months else ""))
        return "，".join(parts)
