"""The secret ballot shared by every vote in the product (述职评议, 民主评议党员, 换届选举).

A `Poll` is one vote. Its tables keep three things apart:

- `Elector` — who may vote. Frozen when the poll opens, from the people who were members then and the
  logins that existed then; a login or a person created afterwards is not in it. Later changes (someone
  struck off, someone wrongly left out put back) are made by a named login with a reason and kept in the
  history table, so who changed the electorate can always be read.
- `Receipt` — THAT a login voted, nothing about how. Its unique constraint stops a second vote even
  from two requests at the same moment.
- The ballots themselves live in each vote's app (grades, marks for candidates). They hold no user, no
  time and no counting number: their keys are random UUIDs, so neither ids nor times tie them to receipts.

Results are released only once `min_ballots` ballots (online and paper) have been cast, so a result
cannot be read back to one or two voters; until then the turnout reads "不足 N 人".
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


def default_min_ballots() -> int:
    return settings.ZHIBU_BALLOT_MINIMUM


class Poll(models.Model):
    label = models.CharField("投票名称", max_length=200)
    opened_at = models.DateTimeField("开始投票时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束投票时间", null=True, blank=True)
    min_ballots = models.PositiveSmallIntegerField(
        "公布结果所需最少票数", default=default_min_ballots,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="投票人数少于此数时不显示结果和意见，以免推知个人的投票；一般为5",
    )
    paper_ballots = models.PositiveIntegerField("纸质选票张数", default=0, help_text="现场收回、由工作人员录入计票结果的纸质选票")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "投票"
        verbose_name_plural = "投票"

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Elector(models.Model):
    """One login that may vote in a poll (see the module's docstring)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="electors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("orgs.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField("姓名", max_length=150)
    active = models.BooleanField("有投票权", default=True)
    reason = models.CharField("变更原因", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "投票人"
        verbose_name_plural = "投票人"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="elector_once_per_poll")]

    def __str__(self) -> str:
        return self.name


class Receipt(models.Model):
    """That a login has voted in a poll — and nothing about how."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="one_receipt_per_user_and_poll")]
