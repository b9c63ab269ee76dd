from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from armslength.compliance.models import (
    Acknowledgement,
    Assessment,
    DeclarationRound,
    InterferenceKind,
    InterferenceOutcome,
    InterferenceReport,
    InterferenceStatus,
    RecruitmentRecord,
    Supervision,
)
from armslength.core.forms import DateInput
from armslength.register.forms import RecruitmentQuestions


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


class RecruitmentRecordForm(RecruitmentQuestions, forms.ModelForm):
    """A recruitment record, with the two questions the secondment form asks too."""

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
            "inclusive",
            "merit_based",
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


#: what happened, in the reporter's words: long enough for any account, bounded so a
#: paste of a whole document (3,000,000 characters in the issue 18 probe) is refused
INTERFERENCE_WHAT_MAX = 10_000


class InterferenceReportForm(forms.ModelForm):
    class Meta:
        model = InterferenceReport
        fields = [
            "person",
            "date",
            "kind",
            "establishment",
            "what",
            "by_whom",
            "name_may_be_shared",
        ]
        widgets = {"date": DateInput(), "what": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # unsure what to call it, a reporter still reports: intimidation unless they say
        self.fields["kind"].required = False
        what = self.fields["what"]
        what.max_length = INTERFERENCE_WHAT_MAX
        what.validators.append(MaxLengthValidator(INTERFERENCE_WHAT_MAX))
        what.widget.attrs["maxlength"] = str(INTERFERENCE_WHAT_MAX)
        what.help_text = _("At most %(n)s characters.") % {"n": f"{INTERFERENCE_WHAT_MAX:,}"}

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or InterferenceKind.INTIMIDATION


class InterferenceActionForm(forms.Form):
    """A step in handling a report: what was done, when, and the status it leaves."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status after this"), choices=InterferenceStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"),
        required=False,
        choices=[("", "---------"), *InterferenceOutcome.choices],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == InterferenceStatus.CLOSED and not cleaned.get("outcome"):
            self.add_error("outcome", _("Say how it ended to close the report."))
        if cleaned.get("outcome") and cleaned.get("status") != InterferenceStatus.CLOSED:
            self.add_error("outcome", _("An outcome is given when the report is closed."))
        return cleaned


class InterferenceHandlerForm(forms.Form):
    handler = forms.ModelChoiceField(queryset=None, label=_("Handled by"))


class DeclarationRoundForm(forms.ModelForm):
    class Meta:
        model = DeclarationRound
        fields = ["body", "name", "due_on"]
        widgets = {"due_on": DateInput()}


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read this and I understand it."))
