"""Records of a branch's work (活动记录), who attended them, and their attachments.

The activity types are rows of a table loaded from zhibu.records.catalogue (one
source) and editable by a committee administrator; records refer to them.
"""

from __future__ import annotations

import uuid
import datetime
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhibu.lib.cells import split_list
from zhibu.lib.textinput import MINUTES_MAX_LENGTH, normalise, validate_visible
from zhibu.orgs.models import Organisation, Person
from zhibu.orgs.versions import TouchingQuerySet
from zhibu.records.catalogue import Measure, unknown_type_message
from zhibu.records import expected as attendance_words
from zhibu.records.expected import Expected

MEASURE_LABELS = {Measure.COUNT: "次数", Measure.QUANTITY: "数量", Measure.AMOUNT: "金额"}


def normalise_name(name: str) -> str:
    """A type name as looked up: without any spaces (people type full-width spaces between words)."""
    return "".join((name or "").split())


class ActivityTypeQuerySet(models.QuerySet):
    def by_any_name(self) -> dict[str, "ActivityType"]:
        """Every canonical name and alias (spaces ignored) → its type, in one query."""
        index = {}
        for activity_type in self:
            for name in activity_type.names:
                index[normalise_name(name)] = activity_type
        return index

    def resolve(self, text: str) -> "ActivityType":
        """The type named `text`; LookupError with the catalogue's "did you mean" message otherwise."""
        found = self.by_any_name().get(normalise_name(text))
        if found is None:
            raise LookupError(unknown_type_message(text))
        return found


def _free_key(name: str) -> str:
    """A key for a new type: its first name, or that name numbered when a renamed type already holds it."""
    key, number = name, 2
    while ActivityType.objects.filter(key=key).exists():
        key, number = f"{name}#{number}", number + 1
    return key


class ActivityType(models.Model):
    """A kind of record. `key` is its identity: set once (the catalogue's canonical name for the catalogue's
    types), never edited, and what rules, metrics, points schemes and saved report mappings refer to. `name`
    and `aliases` are only its words: renaming a type changes no figure and no finding."""

    key = models.CharField("标识", max_length=40, unique=True, editable=False)
    name = models.CharField("名称", max_length=40, unique=True)
    aliases = models.CharField("别名", max_length=200, blank=True, help_text="导入时也接受的名称，多个用顿号分隔")
    group = models.CharField("类别", max_length=20)
    takes_attendance = models.BooleanField("登记出席", default=True, help_text="该类活动是否记录出席、请假、缺席人员")
    expected = models.CharField(
        "应到人员", max_length=10, choices=[(e.value, e.value) for e in Expected], default=Expected.LISTED.value,
        help_text="全体党员：本组织（党小组、党支部）的全体党员；支部委员：支部委员会成员；按名单：记录中列出的人员",
    )
    measure = models.CharField(
        "统计方式", max_length=10, choices=[(m.value, MEASURE_LABELS[m]) for m in Measure], default=Measure.COUNT.value
    )
    unit = models.CharField("计量单位", max_length=4, default="次")
    active = models.BooleanField("启用", default=True, help_text="停用后不再出现在新建记录的类型中；已有记录不受影响")
    position = models.PositiveSmallIntegerField("排序", default=0)
    study_hours = models.DecimalField(
        "默认学时", max_digits=4, decimal_places=1, default=0,
        help_text="出席一次计入的集中学习培训学时（第二十条：每年一般不少于32学时）；记录上可另填",
    )
    history = HistoricalRecords()

    objects = ActivityTypeQuerySet.as_manager()

    class Meta:
        verbose_name = "活动类型"
        verbose_name_plural = "活动类型"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return split_list(self.aliases)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.alias_list]

    @property
    def counts_amount(self) -> bool:
        return self.measure == Measure.AMOUNT

    @property
    def counts_quantity(self) -> bool:
        return self.measure == Measure.QUANTITY

    @property
    def has_lecturer(self) -> bool:
        """A lesson (党课, 上讲堂): someone lectures, so the record names them."""
        return any(word in self.name + self.aliases for word in ("党课", "讲堂", "讲座"))

    def used_fields(self) -> set[str]:
        """The optional fields of a record of this type that mean something (the form shows only these)."""
        used = set()
        if self.counts_quantity:
            used.add("quantity")
        if self.counts_amount:
            used.add("amount")
        if self.has_lecturer:
            used.update({"lecturer", "lecturer_text"})
        return used

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = _free_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        taken = ActivityType.objects.exclude(pk=self.pk).by_any_name()
        for name in self.names:
            other = taken.get(normalise_name(name))
            if other:
                raise ValidationError({"aliases" if name != self.name else "name": f"“{name}”已是活动类型“{other.name}”的名称或别名"})


class Tag(models.Model):
    """A free label on records (廉政, 专题 ...). A table of its own so "records tagged 廉政" is one indexed join."""

    name = models.CharField("标签", max_length=20, unique=True)

    class Meta:
        verbose_name = "标签"
        verbose_name_plural = "标签"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_names(cls, names: list[str]) -> list["Tag"]:
        existing = {tag.name: tag for tag in cls.objects.filter(name__in=names)}
        return [existing.get(name) or cls.objects.create(name=name) for name in dict.fromkeys(names)]


def is_held_on(day: date, today: date | None = None) -> bool:
    """Whether a record dated `day` has happened by `today`: the definition ActivityQuerySet.held applies."""
    return day <= (today or date.today())


class ActivityQuerySet(TouchingQuerySet):
    def in_subtree(self, org: Organisation) -> "ActivityQuerySet":
        return self.filter(org__path__startswith=org.path)

    def in_year(self, year: int) -> "ActivityQuerySet":
        return self.filter(date__year=year)

    def tagged(self, name: str) -> "ActivityQuerySet":
        return self.filter(tags__name=name)

    def of_type(self, key: str) -> "ActivityQuerySet":
        """Records of the type with this key (ActivityType.key, never its editable name)."""
        return self.filter(type__key=key)

    def held(self, today: date | None = None) -> "ActivityQuerySet":
        """Records that have happened: dated on or before `today` (default the real today).

        The one definition of "held": a record dated later is a meeting being planned; it shows as
        planned and counts in no figure, ledger, compliance check, points or attendance until its day.
        """
        return self.filter(date__lte=today or date.today())

    def planned(self, today: date | None = None) -> "ActivityQuerySet":
        return self.filter(date__gt=today or date.today())


class Activity(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="activities", verbose_name="组织")
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name="类型")
    date = models.DateField("日期", db_index=True)
    start_time = models.TimeField("开始时间", null=True, blank=True)
    subject = models.CharField("主题", max_length=200, blank=True, validators=[validate_visible])
    place = models.CharField("地点", max_length=100, blank=True, validators=[validate_visible])
    chair = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="主持人")
    recorder = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="记录人")
    lecturer = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="主讲人")
    lecturer_text = models.CharField("主讲人（外单位）", max_length=50, blank=True, validators=[validate_visible], help_text="主讲人不在本单位名册时填写姓名和单位")
    quantity = models.PositiveIntegerField("数量", default=1, validators=[MinValueValidator(1)], help_text="签订的份数、派出的批次；其他活动为1")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)])
    tags = models.ManyToManyField(Tag, blank=True, related_name="activities", verbose_name="标签")
    minutes = models.TextField("会议内容（记录）", blank=True, max_length=MINUTES_MAX_LENGTH, validators=[MaxLengthValidator(MINUTES_MAX_LENGTH)])
    ref = models.CharField("编号", max_length=50, null=True, blank=True, help_text="自己的编号；导入时同一组织内相同编号的行更新该记录")
    study_hours = models.DecimalField(
        "学时", max_digits=4, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="不填则按活动类型的默认学时；例如半天的党课填4",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"], user_db_constraint=False)  # as Attendance's history

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "活动记录"
        verbose_name_plural = "活动记录"
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            # Each organisation numbers its own records: two branches may both have a "2025-01".
            models.UniqueConstraint(fields=["org", "ref"], name="activity_ref_unique_in_org"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="activity_quantity_at_least_one"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="activity_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["org", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.type.name}" + (f"：{self.subject}" if self.subject else "")

    @property
    def lecturer_name(self) -> str:
        return self.lecturer.name if self.lecturer else self.lecturer_text

    def is_held(self, today: "datetime.date | None" = None) -> bool:
        """The same rule as ActivityQuerySet.held, for one record."""
        return is_held_on(self.date, today)

    @property
    def is_planned(self) -> bool:
        """A record dated after today is a meeting being planned (its sign-in sheet can be printed)."""
        return not self.is_held()

    def clean(self):
        errors = {}
        self.subject, self.place, self.lecturer_text = normalise(self.subject), normalise(self.place), normalise(self.lecturer_text)
        if self.type_id and self.type.counts_amount and self.amount is None:
            errors["amount"] = f"“{self.type.name}”按金额统计，请填写金额（元）"
        if self.lecturer_id and self.lecturer_text:
            errors["lecturer_text"] = "已选择本单位主讲人时，外单位主讲人请留空"
        if errors:
            raise ValidationError(errors)


class Status(models.TextChoices):
    PRESENT = attendance_words.PRESENT, attendance_words.PRESENT
    LEAVE = attendance_words.LEAVE, attendance_words.LEAVE
    ABSENT = attendance_words.ABSENT, attendance_words.ABSENT


class Attendance(models.Model):
    # No index of its own: the unique (activity, person) index below serves lookups by record, and an import of a
    # unit's year writes a million rows, each into every index.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance", verbose_name="活动",
                                 db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance", verbose_name="人员")
    status = models.CharField("出席情况", max_length=2, choices=Status.choices, default=Status.PRESENT)
    reason = models.CharField("请假原因", max_length=100, blank=True, validators=[validate_visible])
    # Set when the person signed in themselves (zhibu.records.signin); a roll typed by hand leaves it empty.
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    # The history's user is kept by Django (SET_NULL when a login is deleted), not by a database constraint: a
    # constraint checks each of an import's million history rows again at commit (a quarter of its database time).
    history = HistoricalRecords(user_db_constraint=False)

    objects = TouchingQuerySet.as_manager()

    class Meta:
        verbose_name = "出席情况"
        verbose_name_plural = "出席情况"
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="attendance_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.status}"


class SignInWindow(models.Model):
    """A time during which members sign in to a meeting themselves with a short code (see zhibu.records.signin).

    `ended_at` is empty while the window may still take sign-ins; it is set when a manager ends it, or to
    `closes_at` once that time has passed and a new window is opened. Only windows still running hold their
    code, so the six digits stay unique among them while old codes are reused.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sign_in_windows", verbose_name="活动")
    code = models.CharField("签到码", max_length=6)
    opens_at = models.DateTimeField("签到开始")
    closes_at = models.DateTimeField("签到结束")
    ended_at = models.DateTimeField("已结束于", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "签到"
        verbose_name_plural = "签到"
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(ended_at__isnull=True), name="signin_code_unique_while_running"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="signin_closes_after_it_opens"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} 签到码 {self.code}"

    def is_open(self, at) -> bool:
        """Both ends count: a sign-in exactly at the opening or the closing time is taken."""
        return self.ended_at is None and self.opens_at <= at <= self.closes_at

    def is_running(self, at) -> bool:
        """Open or still to open: the window a manager sees, with its code."""
        return self.ended_at is None and at <= self.closes_at


class SignInFailure(models.Model):
    """One wrong sign-in code typed by a login, kept for a few minutes to slow down guessing.

    A table rather than the cache: the app may run as several processes (README), each with its own cache.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "签到码错误"
        verbose_name_plural = "签到码错误"


# Attachments: what may be uploaded is decided by zhibu.lib.uploads, from the file's content.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # A random name: the user's file name is kept in the database only, never in a path.
    return f"records/{attachment.activity.org_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


# Images a browser shows itself, so the record page can show them small (HEIC is not one of them).
THUMBNAIL_TYPES = ("image/jpeg", "image/png", "image/webp")


class Attachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments", verbose_name="活动")
    file = models.FileField("文件", upload_to=attachment_path)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["file", "uploaded_at"])  # the record's history shows each upload and removal

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type in THUMBNAIL_TYPES

    def delete(self, *args, **kwargs):
        stored = self.file.name
        result = super().delete(*args, **kwargs)
        if stored:
            self.file.storage.delete(stored)
        return result
