from django.db import models
from simple_history.models import HistoricalRecords

from zhibu.compliance.rules import DEFAULT_RULES, REMINDER, VIOLATION, RuleSpec

SEVERITIES = [(VIOLATION, VIOLATION), (REMINDER, REMINDER)]


class RuleQuerySet(models.QuerySet):
    def specs(self, org=None) -> list[RuleSpec]:
        """The enabled rules as the engine reads them for `org` (its own or its nearest ancestor's settings, else the
        defaults), in the catalogue's order."""
        return specs_of(list(self), org)


def specs_of(rules: list["Rule"], org=None, settings: list["RuleSetting"] | None = None) -> list[RuleSpec]:
    """Rule.objects.specs for rows already loaded; `settings`: every RuleSetting, loaded once for many calls."""
    order = {spec.key: index for index, spec in enumerate(DEFAULT_RULES)}
    applying = settings_for(org, settings)
    specs = []
    for rule in sorted(rules, key=lambda rule: order.get(rule.key, len(order))):
        setting = applying.get(rule.pk)
        if setting.enabled if setting else rule.enabled:
            specs.append(rule.spec(setting))
    return specs


def settings_for(org, settings: list["RuleSetting"] | None = None) -> dict[int, "RuleSetting"]:
    """Rule id → the setting that applies to `org`: its own, else the nearest ancestor's (deepest wins)."""
    if org is None:
        return {}
    if settings is None:
        settings = list(RuleSetting.objects.select_related("org"))
    found: dict[int, RuleSetting] = {}
    for setting in sorted((s for s in settings if org.path.startswith(s.org.path)), key=lambda s: s.org.depth):
        found[setting.rule_id] = setting
    return found


class RuleValues(models.Model):
    """The values of a rule that a committee may set for itself: held by the rule's row (the defaults) and by each
    RuleSetting; Rule.spec takes them from the setting that applies, else from the rule."""

    minimum = models.PositiveSmallIntegerField("每周期最少次数", default=1)
    severity = models.CharField("严重程度", max_length=4, choices=SEVERITIES, default=VIOLATION)
    points = models.PositiveSmallIntegerField("标准化分值", default=0)
    params = models.JSONField("参数", default=dict, blank=True)
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        abstract = True


class Rule(RuleValues):
    """A rule's settings; what it checks is fixed by its key (see rules.py and engine.py)."""

    key = models.CharField("规则键", max_length=40, unique=True)
    title = models.CharField("规则", max_length=100)
    citation = models.CharField("依据", max_length=200)
    kind = models.CharField("类型", max_length=20, editable=False)
    area = models.CharField("五个基本", max_length=10)
    activity_type = models.CharField("活动类型", max_length=40, blank=True, editable=False)
    period = models.CharField("周期", max_length=10, blank=True, editable=False)
    history = HistoricalRecords()

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "检查规则"
        verbose_name_plural = "检查规则"

    def __str__(self) -> str:
        return self.title

    def spec(self, setting: "RuleSetting | None" = None) -> RuleSpec:
        source = setting or self
        return RuleSpec(
            key=self.key, title=self.title, citation=self.citation, kind=self.kind, area=self.area,
            severity=source.severity, points=source.points, activity_type=self.activity_type or None,
            period=self.period or None, minimum=source.minimum, params={**self.params, **source.params},
        )


class RuleSetting(RuleValues):
    """A committee's (or branch's) own values of one rule, for itself and everything below it.

    Setting them never changes another unit's: the rule's own row holds the defaults, set by a system administrator."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="rule_settings", verbose_name="组织")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="settings", verbose_name="规则")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "本组织的规则设置"
        verbose_name_plural = "本组织的规则设置"
        constraints = [models.UniqueConstraint(fields=["org", "rule"], name="rule_setting_once_per_org")]

    def __str__(self) -> str:
        return f"{self.org.name}：{self.rule.title}"


class Judgement(models.Model):
    """A branch's findings and score for a year, kept between requests so committee pages need not judge a
    thousand branches on every view (compliance/judgements.py). Reused only when judged today, under the same
    rules and engine, at the branch's current data version (orgs.BranchVersion); else judged again."""

    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    judged_on = models.DateField()
    rules_key = models.CharField(max_length=64)  # digest of the rules as they apply to the branch and the engine
    version = models.PositiveBigIntegerField()  # the branch's BranchVersion when its facts were read
    # {"findings": [...], "score": {...}} as zlib-compressed JSON: a thousand rows are written in one statement,
    # and PostgreSQL's driver quotes JSON text in bulk inserts character by character (seconds for a unit).
    payload = models.BinaryField()

    class Meta:
        verbose_name = "合规检查结果（缓存）"
        verbose_name_plural = "合规检查结果（缓存）"
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="judgement_once_per_branch_and_year")]
