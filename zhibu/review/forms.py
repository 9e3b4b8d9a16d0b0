from datetime import date

from django import forms

from zhibu.orgs import access
from zhibu.review.models import COMMITTEE_KINDS, ReviewSession


class SessionForm(forms.ModelForm):
    class Meta:
        model = ReviewSession
        fields = [
            "committee", "year", "title",
            "vote_weight", "compliance_weight",
            "points_good", "points_fairly_good", "points_average", "points_poor",
            "band_good", "band_fairly_good", "band_average",
        ]
        labels = {"committee": "组织评议的党组织"}
        help_texts = {
            "title": "不填则为“某年度党支部书记抓基层党建工作述职评议”",
            "vote_weight": "常见做法：投票占40分、规范化建设检查占60分；可按本单位办法调整",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = access.managed_orgs(user).filter(kind__in=COMMITTEE_KINDS).order_by("path")
        self.fields["committee"].empty_label = None
        self.fields["title"].required = False
        if not self.instance.pk:
            self.initial.setdefault("year", date.today().year - 1)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and cleaned.get("year"):
            cleaned["title"] = f"{cleaned['year']}年度党支部书记抓基层党建工作述职评议"
        return cleaned
