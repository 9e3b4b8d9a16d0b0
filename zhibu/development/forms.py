from django import forms

from zhibu.development.models import DevelopmentRecord
from zhibu.development.pipeline import StepEntry

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DevelopmentRecordForm(forms.ModelForm):
    class Meta:
        model = DevelopmentRecord
        fields = ["step", "date", "note", "training_days", "training_hours", "decision", "extension_months"]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A record belongs to its step; a wrong step is deleted and recorded again.
            self.fields["step"].disabled = True

    def entry(self) -> StepEntry:
        data = self.cleaned_data
        return StepEntry(
            step=data["step"], date=data["date"], note=data["note"], training_days=data["training_days"],
            training_hours=data["training_hours"], decision=data["decision"], extension_months=data["extension_months"],
        )
