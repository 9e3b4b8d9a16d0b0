from django.conf import settings
from django.db import models

from zhibu.orgs.models import Organisation


class ReportDraft(models.Model):
    """One organisation's report for one year: its template and what the user typed for the 【待填】 places.

    The template is kept in the database (not on disk) so any app process can render it.
    """

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="report_drafts", verbose_name="组织")
    year = models.PositiveSmallIntegerField("年度")
    template_name = models.CharField("模板", max_length=200, blank=True, help_text="空表示默认模板")
    template_data = models.BinaryField("模板文件", null=True, blank=True)
    manual_values = models.JSONField("手填内容", default=dict, blank=True)
    problems_text = models.TextField("存在的问题（修改稿）", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "述职报告草稿"
        verbose_name_plural = "述职报告草稿"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_report_draft_per_org_year")]

    def manual(self) -> dict[int, str]:
        return {int(index): value for index, value in self.manual_values.items() if index.isdigit() and str(value).strip()}

    def claim_text(self) -> str:
        """What the user wrote for the rectification of last year's problems when no 问题清单 item backs a claim."""
        return str(self.manual_values.get("claim", "")).strip()
