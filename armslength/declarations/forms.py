from django import forms
from django.utils.translation import gettext_lazy as _

from armslength.core.forms import DateInput
from armslength.declarations.models import Affiliation, ReviewStatus


class AffiliationForm(forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = [
            "person",
            "kind",
            "establishment",
            "organisation",
            "role",
            "detail",
            "with_role",
            "start",
            "end",
            "on_leave",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReviewStatus.ACCEPTED, _("Accept")),
            (ReviewStatus.QUERIED, _("Query: ask the person a question")),
            (ReviewStatus.CORRECTED, _("Corrected: I have edited it to be right")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note or question"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ReviewStatus.QUERIED and not cleaned.get("note"):
            self.add_error("note", _("Write the question you are asking."))
        return cleaned


class EndForm(forms.Form):
    end = forms.DateField(label=_("Ended on"), widget=DateInput())
