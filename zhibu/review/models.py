"""The annual review (述职评议) a committee holds of its branch secretaries, and the secret ballot.

Secrecy is built into the tables rather than promised by the pages:

- Who may vote (frozen when voting opens) and THAT a login voted are the session's `poll` in the shared
  ballot tables (zhibu.ballots): its receipt's unique constraint stops a second vote, even from two
  browser tabs at once.
- `Ballot` and `Grade` record WHAT was voted, and hold no reference to a user, no time of voting and no
  counting number: their keys are random UUIDs. With ordinary counting ids the third receipt and the
  third ballot would belong together, so the order of ids alone would tell who voted what.
- Results are shown only after voting closes, only as counts and only from the poll's minimum number of
  ballots on; comments are listed in text order.

What remains is the physical order in which a database stores rows, readable by someone with the
database file itself; no page, export or command shows it.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from zhibu.orgs.models import Organisation, OrgKind, Person
from zhibu.review.scoring import DEFAULT_SCHEME, GRADES, Scheme

COMMITTEE_KINDS = (OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH)
EARLIEST_YEAR = 2000


class Status(models.TextChoices):
    PREPARING = "准备", "准备"
    VOTING = "投票中", "投票中"
    ENDED = "已结束", "已结束"


class Level(models.TextChoices):
    """The four grades (等次) of the 2019 述职评议考核办法."""

    GOOD = "好", "好"
    FAIRLY_GOOD = "较好", "较好"
    AVERAGE = "一般", "一般"
    POOR = "差", "差"


assert tuple(Level.values) == GRADES  # the scoring module and the tables name the same grades in the same order


def _points_field(label: str, default: int):
    return models.PositiveSmallIntegerField(label, default=default)


class ReviewSession(models.Model):
    committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="review_sessions", verbose_name="组织")
    year = models.PositiveSmallIntegerField("年度", help_text="被评议的工作年度，通常为上一年")
    title = models.CharField("名称", max_length=120)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREPARING)
    # The defaults are common practice, not a rule: each committee sets its own per session.
    points_good = _points_field("“好”计分", DEFAULT_SCHEME.points["好"])
    points_fairly_good = _points_field("“较好”计分", DEFAULT_SCHEME.points["较好"])
    points_average = _points_field("“一般”计分", DEFAULT_SCHEME.points["一般"])
    points_poor = _points_field("“差”计分", DEFAULT_SCHEME.points["差"])
    vote_weight = models.PositiveSmallIntegerField("投票得分权重（%）", default=DEFAULT_SCHEME.vote_weight)
    compliance_weight = models.PositiveSmallIntegerField(
        "规范化建设得分权重（%）", default=DEFAULT_SCHEME.compliance_weight, help_text="与投票得分权重合计100"
    )
    band_good = models.PositiveSmallIntegerField("综合得分不低于此为“好”", default=DEFAULT_SCHEME.bands[0][0])
    band_fairly_good = models.PositiveSmallIntegerField("不低于此为“较好”", default=DEFAULT_SCHEME.bands[1][0])
    band_average = models.PositiveSmallIntegerField("不低于此为“一般”，更低为“差”", default=DEFAULT_SCHEME.bands[2][0])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_on = models.DateField("开始投票日期", null=True, blank=True)
    closed_on = models.DateField("结束投票日期", null=True, blank=True)
    poll = models.OneToOneField("ballots.Poll", on_delete=models.PROTECT, null=True, blank=True, related_name="review_session")
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "述职评议"
        verbose_name_plural = "述职评议"
        ordering = ["-year", "committee__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"], name="one_review_per_committee_year",
                violation_error_message="该组织这一年度已有述职评议，请在列表中打开已有的那一次",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.committee_id and self.committee.kind not in COMMITTEE_KINDS:
            errors["committee"] = f"述职评议由党委、党工委、机关党委或党总支组织，“{self.committee.name}”是{self.committee.kind}"
        elif self.committee_id and not Organisation.objects.subtree_of(self.committee).branches().exists():
            errors["committee"] = f"“{self.committee.name}”下没有党支部，无人可评议"
        if self.year is not None and not EARLIEST_YEAR <= self.year <= date.today().year:
            errors["year"] = f"年度应在{EARLIEST_YEAR}至{date.today().year}之间（评议已经开展或正在开展的年度）"
        if (self.vote_weight or 0) + (self.compliance_weight or 0) != 100:
            errors["compliance_weight"] = (
                f"两项权重合计应为100，现在是{self.vote_weight}+{self.compliance_weight}={(self.vote_weight or 0) + (self.compliance_weight or 0)}"
            )
        points = (self.points_good, self.points_fairly_good, self.points_average, self.points_poor)
        if any(p is None or p > 100 for p in points) or list(points) != sorted(set(points), reverse=True):
            errors["points_poor"] = "各等次计分应在0至100之间，并且好 > 较好 > 一般 > 差"
        bands = (self.band_good, self.band_fairly_good, self.band_average)
        if any(b is None or b > 100 for b in bands) or list(bands) != sorted(set(bands), reverse=True):
            errors["band_average"] = "等次分数线应在0至100之间，并且“好”线 > “较好”线 > “一般”线"
        if errors:
            raise ValidationError(errors)

    def scheme(self) -> Scheme:
        return Scheme(
            points={"好": self.points_good, "较好": self.points_fairly_good, "一般": self.points_average, "差": self.points_poor},
            vote_weight=self.vote_weight,
            compliance_weight=self.compliance_weight,
            bands=((self.band_good, "好"), (self.band_fairly_good, "较好"), (self.band_average, "一般"), (0, "差")),
        )

    @property
    def is_preparing(self) -> bool:
        return self.status == Status.PREPARING

    @property
    def is_voting(self) -> bool:
        return self.status == Status.VOTING

    @property
    def is_ended(self) -> bool:
        return self.status == Status.ENDED


class Reportee(models.Model):
    """One branch whose secretary reports (述职) in the session."""

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="reportees")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    secretary = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="书记")
    # Kept as text too: the result stays readable after the secretary changes or leaves.
    secretary_name = models.CharField("书记姓名", max_length=30, blank=True)
    # The standardisation score (percent) of the session's year, fixed when voting closes so the result
    # does not drift as records are added later.
    compliance_percent = models.PositiveSmallIntegerField("规范化建设得分", null=True, blank=True)

    class Meta:
        ordering = ["branch__path"]
        constraints = [models.UniqueConstraint(fields=["session", "branch"], name="reportee_once_per_session")]

    def __str__(self) -> str:
        return f"{self.branch.name}（{self.secretary_name or '未配备书记'}）"

    def report_query(self) -> str:
        return f"?org={self.branch_id}&year={self.session.year}"

    def report_url(self) -> str:
        return reverse("report_builder") + self.report_query()

    def report_download_url(self) -> str:
        return reverse("report_download") + self.report_query()


class Ballot(models.Model):
    """One voter's sheet, without the voter: a random key, no time, no user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="ballots")


class GradeQuerySet(models.QuerySet):
    def with_comment(self) -> "GradeQuerySet":
        return self.exclude(comment="")


class Grade(models.Model):
    """One grade (and an optional comment) for one secretary on one ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="grades")
    reportee = models.ForeignKey(Reportee, on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField("等次", max_length=4, choices=Level.choices)
    comment = models.TextField("意见建议", blank=True)
    # Set when the organiser turns the comment into a 问题清单 item, so it is turned only once.
    list_item = models.ForeignKey("lists.ListItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = GradeQuerySet.as_manager()

    class Meta:
        ordering = ["comment"]  # never by key or insertion: the order must not hint at who wrote what
        constraints = [models.UniqueConstraint(fields=["ballot", "reportee"], name="one_grade_per_reportee_and_ballot")]
