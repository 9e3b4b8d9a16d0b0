from django import forms

from zhibu.lists.models import ListItem, Status
from zhibu.lists.workflow import MAX_REASON_LENGTH
from zhibu.orgs import access
from zhibu.orgs.forms import DATE_INPUT
from zhibu.orgs.models import Organisation, Person


class ListItemForm(access.ScopedChoicesMixin, forms.ModelForm):
    class Meta:
        model = ListItem
        fields = ["org", "kind", "year", "source", "content", "measures", "owner", "owner_text", "deadline", "ref"]
        widgets = {
            "deadline": DATE_INPUT,
            "content": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"ref": {"unique": "该编号已被占用，请换一个"}}

    def offer_choices(self):
        self.fields["org"].queryset = Organisation.objects.order_by("path")
        self.fields["org"].label_from_instance = lambda org: "　" * (org.depth - 1) + org.name
        self.fields["owner"].queryset = Person.objects.select_related("branch").order_by("branch__path", "name")
        self.fields["owner"].label_from_instance = lambda person: f"{person.name}（{person.branch.name}）"
        self.fields["owner"].help_text = "本组织或其下级组织的人员；不在名单中的，填写下一栏"

    def clean_ref(self):
        return self.cleaned_data["ref"] or None


class StatusForm(forms.Form):
    """One form for every transition; the workflow decides which fields a transition needs."""

    to = forms.ChoiceField(label="改为", choices=Status.choices)
    completed_on = forms.DateField(label="完成日期", required=False, widget=DATE_INPUT)
    completion_note = forms.CharField(label="整改情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="重新打开的原因", required=False, max_length=MAX_REASON_LENGTH)
