"""A background job (后台任务): who started it, for which organisation, how far it is, and the file it made."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobKind(models.TextChoices):
    EXPORT = "export", "导出数据交换工作簿"
    IMPORT = "import", "导入数据交换工作簿"
    REPORTS = "reports", "下载全部支部述职报告"
    LEDGER = "ledger", "生成台账"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    kind = models.CharField("任务", max_length=20, choices=JobKind.choices)
    title = models.CharField("名称", max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                              verbose_name="发起人")
    # The organisation the job reads or writes; only its owner sees the job, and only while they may see it.
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                            related_name="jobs", verbose_name="组织")
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("已完成步数", default=0)
    total = models.PositiveIntegerField("总步数", default=0)
    stage = models.CharField("当前步骤", max_length=300, blank=True)
    error = models.TextField("错误", blank=True)
    # What a finished job tells: e.g. an import's summaries or its list of problems.
    result = models.JSONField("结果", default=dict, blank=True)
    filename = models.CharField("文件名", max_length=255, blank=True)
    mimetype = models.CharField(max_length=100, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)  # under MEDIA_ROOT/jobs/
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)
