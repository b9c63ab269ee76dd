from django import forms

from armslength.compliance.models import Acknowledgement, Assessment, Supervision
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


class SupervisionForm(forms.ModelForm):
    class Meta:
        model = Supervision
        fields = ["person", "date", "supervisor", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 5})}


class AcknowledgementForm(forms.ModelForm):
    class Meta:
        model = Acknowledgement
        fields = ["person", "kind", "date", "text_version"]
        widgets = {"date": DateInput()}
