"""换届选举 of a branch committee (or of the 书记 of a branch without one). See rules.py.

Each round of voting is a secret vote on the shared ballot machinery (zhibu.ballots): the round's `poll`
holds who may vote and who voted; `ElectionBallot` and `ElectionMark` hold what was voted, without a voter,
a time or a counting number. Paper ballots are entered as tallies per candidate of the round.
"""

from __future__ import annotations

import uuid
from fractions import Fraction

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from zhibu.elections.rules import DEFAULT_MARGIN_PERCENT
from zhibu.orgs.models import Organisation, Person, Post


class Status(models.TextChoices):
    PREPARING = "筹备", "请示与候选人"
    APPROVED = "已批复", "候选人已批复"
    VOTING = "投票中", "党员大会投票"
    COUNTED = "待批复", "选举结果待批复"
    DONE = "已完成", "已完成"


class Election(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="elections", verbose_name="党支部")
    status = models.CharField("阶段", max_length=10, choices=Status.choices, default=Status.PREPARING)
    seats = models.PositiveSmallIntegerField("应选名额", validators=[MinValueValidator(1), MaxValueValidator(9)],
                                             help_text="支部委员会委员名额；不设委员会的支部填1（直接选举书记）")
    margin_percent = models.PositiveSmallIntegerField("差额比例（%）", default=DEFAULT_MARGIN_PERCENT, validators=[MaxValueValidator(100)])
    quorum_numerator = models.PositiveSmallIntegerField("到会比例（分子）", default=4)
    quorum_denominator = models.PositiveSmallIntegerField("到会比例（分母）", default=5)
    requested_on = models.DateField("请示日期", null=True, blank=True)
    candidates_approved_on = models.DateField("上级批复候选人日期", null=True, blank=True)
    candidates_approval_ref = models.CharField("批复文号", max_length=60, blank=True)
    meeting_on = models.DateField("党员大会日期", null=True, blank=True)
    expected = models.PositiveSmallIntegerField("应到（有选举权的党员）", null=True, blank=True)
    attended = models.PositiveSmallIntegerField("实到", null=True, blank=True)
    secretary = models.ForeignKey("Candidate", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="书记")
    deputy = models.ForeignKey("Candidate", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="副书记")
    result_approved_on = models.DateField("上级批复选举结果日期", null=True, blank=True)
    result_approval_ref = models.CharField("选举结果批复文号", max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "换届选举"
        verbose_name_plural = "换届选举"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.branch.name}{'委员会' if self.seats > 1 else '书记'}换届选举"

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator or 1)

    @property
    def elects_committee(self) -> bool:
        return self.seats > 1

    def current_round(self) -> "Round | None":
        return self.rounds.order_by("-number").first()


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=30)
    elected_in = models.PositiveSmallIntegerField("当选轮次", null=True, blank=True)
    post = models.CharField("分工", max_length=10, choices=[(p.value, p.value) for p in Post if p != Post.GROUP_LEADER], blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="candidate_once_per_election")]

    def __str__(self) -> str:
        return self.name

    @property
    def elected(self) -> bool:
        return self.elected_in is not None


class Round(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("轮次")
    seats = models.PositiveSmallIntegerField("本轮应选名额")
    poll = models.OneToOneField("ballots.Poll", on_delete=models.PROTECT, related_name="election_round")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="round_number_once")]

    def __str__(self) -> str:
        return f"第{self.number}轮"


class RoundCandidate(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="entries")
    paper_votes = models.PositiveIntegerField("纸质票赞成票", default=0)
    votes = models.PositiveIntegerField("得票（结束时计）", null=True, blank=True)

    class Meta:
        ordering = ["candidate__name"]
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="candidate_once_per_round")]


class ElectionBallot(models.Model):
    """One voter's sheet in a round, without the voter: a random key, no time, no user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")


class ElectionMark(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(ElectionBallot, on_delete=models.CASCADE, related_name="marks")
    entry = models.ForeignKey(RoundCandidate, on_delete=models.CASCADE, related_name="marks")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "entry"], name="one_mark_per_candidate_and_ballot")]
