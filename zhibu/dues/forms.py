from django import forms

from zhibu.dues.calculator import DuesError
from zhibu.dues.models import BranchDuesSettings, DuesBase


class DuesBaseForm(forms.ModelForm):
    class Meta:
        model = DuesBase
        fields = ["category", "base", "reduced_amount"]

    def __init__(self, *args, settings: BranchDuesSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = DuesBase(category=cleaned.get("category"), base=cleaned.get("base"),
                             reduced_amount=cleaned.get("reduced_amount"))
        try:
            self.monthly_due = candidate.monthly_due(self.settings)
        except DuesError as error:
            # The calculator's message names the field at fault and how to fix it.
            field = "reduced_amount" if "减免" in str(error) else "base"
            self.add_error(field, str(error))
        return cleaned


class BranchDuesSettingsForm(forms.ModelForm):
    class Meta:
        model = BranchDuesSettings
        fields = ["farmer_amount", "rounding", "reminder_after", "warning_after"]


class PaidOnForm(forms.Form):
    """The one date a month grid's new payments were collected on."""

    paid_on = forms.DateField(label="缴纳日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
