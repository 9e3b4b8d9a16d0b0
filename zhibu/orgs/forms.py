from django import forms
from django.core.exceptions import ValidationError

from zhibu.lib.personal import PERSONAL_FIELDS, mask
from zhibu.orgs import access
from zhibu.orgs.profile import JOB, STRATUM, codes
from zhibu.orgs.models import MEMBER_CATEGORIES, Organisation, OrgKind, Person, PersonPost, Post, Role, parent_kind_problem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The facts the 党内统计 tables and the national roster need (all optional).
PROFILE_FIELDS = (
    "ethnicity", "native_place", "education", "degree", "job", "work_started_on", "household_place", "residence",
    "migrant_worker", "stratum",
)


class OrganisationForm(access.ScopedChoicesMixin, forms.ModelForm):
    parent = forms.ModelChoiceField(Organisation.objects.none(), label="上级组织", required=False)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "unit", "line_of_work", "city", "founded_on", "elected_on", "term_years"]
        widgets = {"founded_on": DATE_INPUT, "elected_on": DATE_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = Organisation.objects.get_parent(self.instance)
        self.fields["parent"].required = not access.sees_everything(user)

    def offer_choices(self):
        choices = Organisation.objects.exclude(kind=OrgKind.GROUP).order_by("path")
        if self.instance.pk:
            # An organisation cannot move under itself or its own descendants.
            choices = choices.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = choices
        self.fields["parent"].label_from_instance = lambda org: "　" * (org.depth - 1) + org.name

    def clean(self):
        cleaned = super().clean()
        kind, parent = cleaned.get("kind"), cleaned.get("parent")
        if kind:
            problem = parent_kind_problem(kind, parent.kind if parent else None)
            if problem:
                self.add_error("parent", problem)
        return cleaned

    def save(self, commit=True):
        """Place the organisation in the tree (treebeard computes the path), then save its fields."""
        org, parent = self.instance, self.cleaned_data["parent"]
        if org.pk is None:
            values = {f: self.cleaned_data[f] for f in self.Meta.fields}
            return Organisation.objects.create_child(parent, **values) if parent else Organisation.objects.create_root(**values)
        org.save()
        Organisation.objects.place(org, parent)
        return Organisation.objects.get(pk=org.pk)


def id_number_taken_message(user, id_number, person=None) -> str:
    """Why an ID number cannot be given to this person, without telling whether a person outside the login's
    scope holds it: to those who may not see the holder it reads as any wrong number does."""
    holder = access.visible_people(user).filter(id_number=id_number).exclude(pk=getattr(person, "pk", None)).first()
    if holder is None:
        return "请核对身份证号"
    return f"身份证号与{holder.branch.name}的{holder.name}相同，请核对"


class PersonForm(access.ScopedChoicesMixin, forms.ModelForm):
    posts = forms.MultipleChoiceField(label="党内职务", choices=Post.choices, required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Person
        fields = [
            "name", "branch", "group", "gender", "birth_date", "id_number", "phone", "category", "applied_on",
            "activist_on", "candidate_on", "admitted_on", "full_on", "is_leading_cadre", "dues_category", "dues_base",
            *PROFILE_FIELDS,
        ]
        widgets = {f: DATE_INPUT for f in (
            "birth_date", "applied_on", "activist_on", "candidate_on", "admitted_on", "full_on", "work_started_on")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name, kind in (("job", JOB), ("stratum", STRATUM)):
            # The editable code list, plus a value the person already holds that has since left the list.
            entries = codes(kind)
            current = getattr(self.instance, name, "")
            if current and current not in entries:
                entries.append(current)
            field = self.fields[name]
            self.fields[name] = forms.ChoiceField(
                label=field.label, required=False, help_text=field.help_text,
                choices=[("", "—")] + [(entry, entry) for entry in entries])
        if self.instance.pk:
            self.fields["posts"].initial = self.instance.post_names
            # A move has a date: it is recorded as a membership change (组织关系变动), never by editing the person.
            for name in ("branch", "group"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "调整所在支部或党小组请在人员页“登记组织关系变动”（内部转接）"
        # Someone who may not see the numbers in full gets them masked; leaving a masked value as it is keeps it.
        self.masked_fields = {}
        if self.instance.pk and not access.sees_personal_data(user, self.instance):
            for name in PERSONAL_FIELDS:
                original = getattr(self.instance, name) or ""
                if original:
                    self.masked_fields[name] = (mask(name, original), original)
                    self.initial[name] = mask(name, original)
                    self.fields[name].help_text = "号码已隐去中间位；不修改则保持原号码，如需更正请完整填写新号码"

    def offer_choices(self):
        self.fields["branch"].queryset = Organisation.objects.filter(kind=OrgKind.BRANCH).order_by("path")
        self.fields["group"].queryset = Organisation.objects.filter(kind=OrgKind.GROUP).order_by("path")
        self.fields["group"].label_from_instance = lambda org: f"{org.parent_name} · {org.name}"

    def _unmasked(self, name: str):
        value = self.cleaned_data.get(name)
        shown, original = self.masked_fields.get(name, (None, None))
        return original if shown is not None and (value or "").strip() == shown else value

    def clean_id_number(self):
        return self._unmasked("id_number")

    def clean_phone(self):
        return self._unmasked("phone")

    def clean_household_place(self):
        return self._unmasked("household_place")

    def clean_residence(self):
        return self._unmasked("residence")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") not in MEMBER_CATEGORIES and cleaned.get("posts"):
            self.add_error("posts", "只有党员可以担任党内职务")
        stages = ["applied_on", "activist_on", "candidate_on", "admitted_on", "full_on"]
        previous = None
        for field in stages:
            value = cleaned.get(field)
            if value and previous and value < cleaned[previous]:
                self.add_error(field, f"不能早于{Person._meta.get_field(previous).verbose_name}")
            if value:
                previous = field
        return cleaned

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
            self.instance.validate_constraints()
        except ValidationError as error:
            # Name the rule in words rather than Django's generic constraint message.
            errors = getattr(error, "error_dict", {})
            if "id_number" in errors:
                self.add_error("id_number", id_number_taken_message(self.user, self.cleaned_data.get("id_number"), self.instance))
                error = ValidationError({field: value for field, value in errors.items() if field != "id_number"})
                errors = error.error_dict
                if not errors:
                    return
            if "person_name_unique_in_branch" in str(error) or "__all__" in errors:
                self.add_error("name", "本支部已有同名人员；重名请在姓名中区分，例如 张伟（大）")
            else:
                self._update_errors(error)

    def save(self, commit=True):
        person = super().save(commit=True)
        wanted = set(self.cleaned_data["posts"])
        person.posts.exclude(post__in=wanted).delete()
        for post in wanted - set(person.posts.values_list("post", flat=True)):
            PersonPost.objects.create(person=person, post=post)
        return person


class AccountForm(access.ScopedChoicesMixin, forms.Form):
    username = forms.CharField(label="登录名", max_length=150)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, help_text="至少8位，不能全是数字，不能与登录名相似；请登录后自行修改")
    person = forms.ModelChoiceField(Person.objects.none(), label="对应人员", required=False, help_text="党员本人登录时选择")
    role = forms.ChoiceField(label="授予角色", choices=[("", "（不授予，仅本人登录）"), *Role.choices], required=False)
    org = forms.ModelChoiceField(Organisation.objects.none(), label="授权组织", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Only the roles this login may hand out are offered (a 党务干事 none, a 支部书记 党务干事 only).
        roles = access.grantable_roles(user)
        self.fields["role"].choices = [("", "（不授予，仅本人登录）"), *((r, Role(r).label) for r in roles)]
        if not roles:
            del self.fields["org"]
            self.fields["role"].widget = forms.HiddenInput()

    def offer_choices(self):
        self.fields["person"].queryset = Person.objects.filter(user__isnull=True).select_related("branch").order_by("branch__path", "name")
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.branch.name}）"
        self.fields["org"].queryset = Organisation.objects.exclude(kind=OrgKind.GROUP).order_by("path")

    def clean(self):
        from zhibu.orgs.accounts import AccountRequest, account_problems

        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.request = AccountRequest(
            cleaned["username"], cleaned["password"], cleaned.get("person"), cleaned.get("role") or None, cleaned.get("org")
        )
        for problem in account_problems(self.user, self.request):
            self.add_error(None, problem)
        return cleaned
