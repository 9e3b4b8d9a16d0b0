from django.db import models
from simple_history.models import HistoricalRecords

from zhibu.compliance.rules import DEFAULT_RULES, REMINDER, VIOLATION, RuleSpec

SEVERITIES = [(VIOLATION, VIOLATION), (REMINDER, REMINDER)]


class RuleQuerySet(models.QuerySet):
    def specs(self) -> list[RuleSpec]:
        """The enabled rules as the engine reads them, in the catalogue's order."""
        order = {spec.key: index for index, spec in enumerate(DEFAULT_RULES)}
        rows = sorted(self.filter(enabled=True), key=lambda rule: order.get(rule.key, len(order)))
        return [rule.spec() for rule in rows]


class Rule(models.Model):
    """A rule's settings; what it checks is fixed by its key (see rules.py and engine.py)."""

    key = models.CharField("规则键", max_length=40, unique=True)
    title = models.CharField("规则", max_length=100)
    citation = models.CharField("依据", max_length=200)
    kind = models.CharField("类型", max_length=20, editable=False)
    area = models.CharField("五个基本", max_length=10)
    activity_type = models.CharField("活动类型", max_length=40, blank=True, editable=False)
    period = models.CharField("周期", max_length=10, blank=True, editable=False)
    minimum = models.PositiveSmallIntegerField("每周期最少次数", default=1)
    severity = models.CharField("严重程度", max_length=4, choices=SEVERITIES, default=VIOLATION)
    points = models.PositiveSmallIntegerField("标准化分值", default=0)
    params = models.JSONField("参数", default=dict, blank=True)
    enabled = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "检查规则"
        verbose_name_plural = "检查规则"

    def __str__(self) -> str:
        return self.title

    def spec(self) -> RuleSpec:
        return RuleSpec(
            key=self.key, title=self.title, citation=self.citation, kind=self.kind, area=self.area,
            severity=self.severity, points=self.points, activity_type=self.activity_type or None,
            period=self.period or None, minimum=self.minimum, params=dict(self.params),
        )
