"""Forms of the register. Model `clean()` holds the rules; forms add only what a
single record cannot know (the secondment typed in beside a new person)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from armslength.core import labels
from armslength.core.forms import DateInput, ExpertiseChoiceField, TagListField, YesNoField
from armslength.core.keys import in_namespace
from armslength.engine import codes
from armslength.register.models import (
    RECRUITMENT_QUESTIONS,
    Body,
    Establishment,
    Expertise,
    Organisation,
    Person,
    Secondment,
)


@cache
def place_types() -> tuple[str, ...]:
    """The place types the UK NPM bodies monitor, offered for an establishment's type."""
    text = resources.files("armslength.register").joinpath("data/uk-npm-bodies.csv").read_text()
    found: set[str] = set()
    for row in csv.DictReader(text.splitlines()):
        found.update(t for t in row["place_types"].split(";") if t)
    return tuple(sorted(found))


class BodyForm(forms.ModelForm):
    place_types = TagListField(label=_("Place types monitored"), suggestions=place_types())

    class Meta:
        model = Body
        fields = [
            "name",
            "abbreviation",
            "key",
            "jurisdictions",
            "place_types",
            "mandate_beyond_npm",
            "npm_unit",
            "is_coordinator",
        ]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "key", "sector", "parent", "works_at"]
        widgets = {"works_at": forms.SelectMultiple(attrs={"size": 8})}


class EstablishmentForm(forms.ModelForm):
    class Meta:
        model = Establishment
        fields = ["name", "key", "type", "operator", "region", "jurisdiction", "visiting_bodies"]
        widgets = {
            "type": forms.TextInput(attrs={"list": "place-types"}),
            "visiting_bodies": forms.CheckboxSelectMultiple,
        }


class PersonForm(forms.ModelForm):
    expertise = ExpertiseChoiceField(label=_("Expertise"))
    languages = TagListField(label=_("Languages"), suggestions=("english", "welsh", "gaelic"))
    skills = forms.MultipleChoiceField(
        label=_("Skills (APT)"),
        choices=labels.choices(codes.APT_SKILLS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "email",
            "body",
            "category",
            "npm_role",
            "unit",
            "expertise",
            "languages",
            "skills",
            "gender",
            "home_region",
            "can_lead",
            "leadership",
            "reports_to",
            "reports_to_origin",
            "full_time_npm",
            "npm_share",
            "joined",
            "left",
            "term_start",
            "term_end",
            "term_appointing_process",
            "term_renewable",
            "max_visits",
            "max_days",
            "key",
        ]
        widgets = {
            "joined": DateInput(),
            "left": DateInput(),
            "term_start": DateInput(),
            "term_end": DateInput(),
            "term_renewable": forms.NullBooleanSelect,
        }

    def clean(self):
        """A key typed in goes under the body's code (`hmip-…`): it cannot then collide
        with, and so confirm, another body's person (issue 12, finding 4)."""
        cleaned = super().clean()
        body = cleaned.get("body")
        if cleaned.get("key") and body is not None:
            cleaned["key"] = in_namespace(body.key, cleaned["key"])
        return cleaned


class RecruitmentQuestions(forms.Form):
    """The recruitment record's two yes/no questions (UK-11; APT: seconded officials),
    declared once for every form that asks them (the secondment, the recruitment record).

    Required for a new record; an older record may stay unanswered (not recorded, so
    not judged), but an answer once given cannot be erased (`recruitment_answers_erased`,
    in the model's `clean()`, which every door runs).
    """

    inclusive = YesNoField(
        label=Secondment._meta.get_field("inclusive").verbose_name,
        help_text=Secondment._meta.get_field("inclusive").help_text,
    )
    merit_based = YesNoField(
        label=Secondment._meta.get_field("merit_based").verbose_name,
        help_text=Secondment._meta.get_field("merit_based").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RECRUITMENT_QUESTIONS:
            self.fields[name].required = self.instance.pk is None

    def clean(self):
        cleaned = super().clean()
        # NullBooleanField accepts "unknown" even when required; a new record may not.
        for name in RECRUITMENT_QUESTIONS:
            if self.fields[name].required and cleaned.get(name) is None:
                self.add_error(name, _("Answer yes or no for a new recruitment record."))
        return cleaned


class SecondmentForm(RecruitmentQuestions, forms.ModelForm):
    """A secondment and its recruitment record's two questions (`RecruitmentQuestions`)."""

    class Meta:
        model = Secondment
        fields = [
            "person",
            "origin",
            "origin_establishment",
            "return_establishment",
            "start",
            "end",
            "open_process",
            "published_criteria",
            "inclusive",
            "merit_based",
            "justification",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "justification": forms.Textarea(attrs={"rows": 3}),
        }


class NewSecondmentForm(SecondmentForm):
    """The optional secondment typed in on the 'add person' page.

    The person does not exist yet, so the model's check of their category runs
    here against the category chosen in the same form.
    """

    class Meta(SecondmentForm.Meta):
        fields = [f for f in SecondmentForm.Meta.fields if f != "person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="secondment", **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False

    def is_filled(self) -> bool:
        return self.is_bound and self.has_changed()

    def check_category(self, category: str | None) -> None:
        """Add the category error next to the start date when the secondment is current."""
        if not self.is_filled() or not hasattr(self, "cleaned_data"):
            return
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        today = timezone.localdate()
        current = (start is None or start <= today) and (end is None or today <= end)
        if current and category and category != "secondee":
            self.add_error(
                "start",
                _("This secondment is current, so the person's category must be secondee."),
            )


class ExpertiseForm(forms.ModelForm):
    class Meta:
        model = Expertise
        fields = ["label", "code"]
