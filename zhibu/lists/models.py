"""The three lists (问题清单、任务清单、责任清单): their items, and the evidence that closes an item
(files, and links to work records).

An item belongs to one organisation and to the year it was raised in. Its
status moves 未开始 → 进行中 → 已完成 only through `zhibu.lists.workflow`, which
checks the rules and leaves an entry in the item's history (django-simple-history)
with the reason, so "已整改完成" is a record rather than a claim.

Carry-over is computed, never copied: the list of year Y shows the items
raised in Y plus every earlier item still open on 1 January of Y
(`ListItemQuerySet.of_year`). A copy would split one problem's history over
two rows, count it twice in the rectification rate, and let the copy's
status drift from the original's.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhibu.lib.uploads import FileKind
from zhibu.orgs.models import Organisation, Person

# An earlier year is taken for a typo (205 for 2025, say) rather than a real list.
EARLIEST_YEAR = 2000


# Labels spelled out: without them Django derives English labels from the member names.
class ListKind(models.TextChoices):
    PROBLEM = "问题清单", "问题清单"
    TASK = "任务清单", "任务清单"
    RESPONSIBILITY = "责任清单", "责任清单"


class Status(models.TextChoices):
    NOT_STARTED = "未开始", "未开始"
    IN_PROGRESS = "进行中", "进行中"
    DONE = "已完成", "已完成"


def latest_allowed_year(today: date | None = None) -> int:
    """Next year's lists are drawn up in December, so next year is the latest year an item may carry."""
    return (today or date.today()).year + 1


def people_of(org: Organisation):
    """The people who may answer for an item of `org`: its branch (a 党小组's branch) or its whole subtree."""
    root = org.branch() or org
    return Person.objects.filter(branch__in=Organisation.objects.subtree_of(root))


def resolve_owner(org: Organisation, name: str) -> Person | None:
    """The one person of `org`'s branch or subtree with this name; None when there is none or more than one."""
    if not name:
        return None
    matches = list(people_of(org).filter(name=name)[:2])
    return matches[0] if len(matches) == 1 else None


# Items without a deadline go last, on SQLite as on PostgreSQL (which differ in where they put NULL).
BY_DEADLINE = models.F("deadline").asc(nulls_last=True)


class ListItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ListItemQuerySet":
        """Managers see their organisations' items; anyone linked to a person also sees the items they own."""
        from zhibu.orgs import access

        if access.sees_everything(user):
            return self
        condition = Q(org__in=access.managed_orgs(user))
        person = access.own_person(user)
        if person:
            condition |= Q(owner=person)
        return self.filter(condition)

    def managed_by(self, user) -> "ListItemQuerySet":
        from zhibu.orgs import access

        return access.scope_to_orgs(user, self, "org", manage=True)

    def in_org(self, org: Organisation, *, subtree: bool = True) -> "ListItemQuerySet":
        if subtree:
            return self.filter(org__path__startswith=org.path)
        return self.filter(org=org)

    def of_year(self, year: int) -> "ListItemQuerySet":
        """Year `year`'s list: items raised in it, plus earlier items still open on its first day (carried over)."""
        still_open = Q(completed_on__isnull=True) | Q(completed_on__gte=date(year, 1, 1))
        return self.filter(Q(year=year) | (Q(year__lt=year) & still_open))

    def with_evidence_count(self) -> "ListItemQuerySet":
        """Each item's number of files plus linked work records (distinct: two joins would multiply)."""
        return self.annotate(
            evidence_count=models.Count("attachments", distinct=True) + models.Count("record_links", distinct=True)
        )

    def open(self) -> "ListItemQuerySet":
        return self.exclude(status=Status.DONE)

    def overdue(self, today: date | None = None) -> "ListItemQuerySet":
        """Past the deadline and not done. On the deadline day itself an item is not yet overdue."""
        return self.open().filter(deadline__lt=today or date.today())


class ListItem(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="list_items", verbose_name="组织")
    kind = models.CharField("清单", max_length=10, choices=ListKind.choices)
    year = models.PositiveSmallIntegerField("年度", help_text="提出该事项的年度")
    source = models.CharField("来源", max_length=100, blank=True, help_text="例如 上年度述职评议、巡察反馈、组织生活会")
    content = models.TextField("内容", help_text="问题或任务")
    measures = models.TextField("措施", blank=True)
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="list_items", verbose_name="责任人"
    )
    owner_text = models.CharField(
        "责任人（名单外）", max_length=50, blank=True, help_text="责任人不在本组织名单中时，填写姓名或职务"
    )
    deadline = models.DateField("时限", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    completion_note = models.TextField("整改情况", blank=True, help_text="做了什么、结果如何；完成时必填")
    ref = models.CharField("编号", max_length=50, null=True, blank=True,
                           help_text="本组织自己的编号，可不填；导入时同一组织内相同编号的行更新该事项")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    objects = ListItemQuerySet.as_manager()

    class Meta:
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"
        ordering = ["year", "kind", BY_DEADLINE, "id"]
        constraints = [
            # Like records' 编号: each organisation numbers its own items, so two committees may both have "1".
            models.UniqueConstraint(fields=["org", "ref"], name="list_item_ref_unique_in_org",
                                    violation_error_message="本组织已有此编号的事项，请换一个编号"),
            # Kept by the workflow; the constraint makes sure no other path (an import, the shell) breaks it.
            models.CheckConstraint(
                condition=Q(status=Status.DONE, completed_on__isnull=False) | (~Q(status=Status.DONE) & Q(completed_on__isnull=True)),
                name="list_item_completed_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.kind}：{self.content[:30]}"

    def clean(self):
        errors = {}
        if self.year is not None and not EARLIEST_YEAR <= self.year <= latest_allowed_year():
            errors["year"] = f"年度应在{EARLIEST_YEAR}至{latest_allowed_year()}之间"
        if self.year and self.deadline and self.deadline.year < self.year:
            errors["deadline"] = f"时限 {self.deadline:%Y-%m-%d} 早于事项所在的{self.year}年度"
        if self.year and self.completed_on and self.completed_on.year < self.year:
            errors["year"] = f"该事项已于{self.completed_on:%Y-%m-%d}完成，年度不能晚于{self.completed_on.year}年"
        if self.owner_id and self.owner_text:
            errors["owner_text"] = "已选择名单中的责任人，就不要再填写名单外的责任人"
        if self.owner_id and self.org_id and not people_of(self.org).filter(pk=self.owner_id).exists():
            errors["owner"] = f"{self.owner.name}不是{self.org.name}或其下级组织的人员"
        if errors:
            raise ValidationError(errors)

    @property
    def owner_name(self) -> str:
        return self.owner.name if self.owner_id else self.owner_text

    @property
    def is_done(self) -> bool:
        return self.status == Status.DONE

    def is_overdue(self, today: date | None = None) -> bool:
        """Past the deadline and not done; on the deadline day itself it is not yet overdue."""
        return bool(self.deadline and not self.is_done and self.deadline < (today or date.today()))

    def has_evidence(self) -> bool:
        return self.attachments.exists() or self.record_links.exists()

    def linkable_records(self):
        """Work records that may prove this item: those of its branch (a 党小组's branch) or subtree."""
        from zhibu.records.models import Activity

        root = self.org.branch() or self.org
        return Activity.objects.filter(org__in=Organisation.objects.subtree_of(root))


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # The stored name never comes from the uploader: a random token and the extension of the detected type.
    return f"lists/{attachment.item_id}/{attachment.token}{attachment.kind_extension}"


class Attachment(models.Model):
    """A file proving an item's progress: a photo, a PDF or a Word document, checked by its content."""

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="attachments", verbose_name="清单事项")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    token = models.CharField(max_length=32, unique=True, editable=False)
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=[(k.name, k.label) for k in FileKind])
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def file_kind(self) -> FileKind:
        return FileKind[self.kind]

    @property
    def kind_extension(self) -> str:
        return self.file_kind.extension


class RecordLink(models.Model):
    """A work record proving an item's progress, e.g. the 支委会 that checked the rectification.

    Deleting the record deletes the link: the records app owns its records, and the item's page then
    says what evidence is left.
    """

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="record_links", verbose_name="清单事项")
    activity = models.ForeignKey(
        "records.Activity", on_delete=models.CASCADE, related_name="list_links", verbose_name="工作记录"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="关联人"
    )
    linked_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "关联工作记录"
        verbose_name_plural = "关联工作记录"
        ordering = ["linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "activity"], name="record_linked_once_per_item")]

    def __str__(self) -> str:
        return str(self.activity)
