from django import forms
from django.utils.translation import gettext_lazy as _

from armslength.compliance.models import (
    Acknowledgement,
    Assessment,
    DeclarationRound,
    InterferenceReport,
    RecruitmentRecord,
    Supervision,
)
from armslength.core.forms import DateInput


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "person",
            "date",
            "areas_considered",
            "cleared_organisations",
            "restrictions",
            "next_review",
        ]
        widgets = {
            "date": DateInput(),
            "next_review": DateInput(),
            "areas_considered": forms.Textarea(attrs={"rows": 4}),
            "restrictions": forms.Textarea(attrs={"rows": 3}),
            "cleared_organisations": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "areas_considered": _(
                "UK-12: the origin organisation, its establishments, people the secondee knows."
            )
        }


class SupervisionForm(forms.ModelForm):
    class Meta:
        model = Supervision
        fields = ["person", "date", "supervisor_person", "supervisor", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 5})}


class AcknowledgementForm(forms.ModelForm):
    class Meta:
        model = Acknowledgement
        fields = ["person", "kind", "date", "text_version"]
        widgets = {"date": DateInput()}


class RecruitmentRecordForm(forms.ModelForm):
    class Meta:
        model = RecruitmentRecord
        fields = [
            "person",
            "secondment",
            "post",
            "criteria_text",
            "criteria_file",
            "advertised_where",
            "advertised_on",
            "panel",
            "outcome",
            "justification",
        ]
        widgets = {
            "advertised_on": DateInput(),
            "criteria_text": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "justification": forms.Textarea(attrs={"rows": 3}),
        }

    def save(self, commit=True):
        record = super().save(commit)
        if commit:
            record.sync_secondment()
        return record


class InterferenceReportForm(forms.ModelForm):
    class Meta:
        model = InterferenceReport
        fields = ["person", "date", "establishment", "what", "by_whom", "action"]
        widgets = {
            "date": DateInput(),
            "what": forms.Textarea(attrs={"rows": 4}),
            "action": forms.Textarea(attrs={"rows": 2}),
        }


class DeclarationRoundForm(forms.ModelForm):
    class Meta:
        model = DeclarationRound
        fields = ["body", "name", "due_on"]
        widgets = {"due_on": DateInput()}


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read this and I understand it."))
