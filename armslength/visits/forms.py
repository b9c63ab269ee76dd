from django import forms
from django.utils.translation import gettext_lazy as _

from armslength.core.forms import DateInput, RequirementField
from armslength.visits.models import Visit


class VisitForm(forms.ModelForm):
    requires = RequirementField(
        label=_("Required expertise"),
        help_text=_("How many people of each expertise the team needs; leave 0 for none."),
    )

    class Meta:
        model = Visit
        fields = [
            "establishment",
            "body",
            "partner_bodies",
            "start",
            "end",
            "type",
            "status",
            "team_size",
            "requires",
            "min_women",
            "needs_lead",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "partner_bodies": forms.SelectMultiple(attrs={"size": 6}),
        }

    def clean(self):
        from armslength.visits.services import partner_bodies_problem

        cleaned = super().clean()
        body = cleaned.get("body") or getattr(self.instance, "body", None)
        problem = partner_bodies_problem(
            getattr(body, "pk", None), cleaned.get("partner_bodies") or []
        )
        if problem:
            self.add_error("partner_bodies", problem)
        return cleaned


class OverrideRequestForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"))
    verdict_to = forms.ChoiceField(
        label=_("Downgrade to"), choices=[("declared", _("declared")), ("clear", _("clear"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignmentForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label=_("Person"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("member", _("Member")),
            ("lead", _("Lead")),
            ("preparation", _("Preparation only")),
        ],
    )


#: the years a plan may cover, and its longest period (two years)
PLANNING_YEARS = (2000, 2100)
PLANNING_MAX_DAYS = 731


class PlanningForm(forms.Form):
    start = forms.DateField(label=_("Visits from"), widget=DateInput())
    end = forms.DateField(label=_("until"), widget=DateInput())
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=2, max_value=600, initial=15
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and not PLANNING_YEARS[0] <= day.year <= PLANNING_YEARS[1]:
                self.add_error(
                    name,
                    _("Give a date from %(first)s to %(last)s.")
                    % {"first": PLANNING_YEARS[0], "last": PLANNING_YEARS[1]},
                )
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end is before the start."))
        elif start and end and (end - start).days > PLANNING_MAX_DAYS:
            # the problem is built inside the request: a longer period would tie it up
            self.add_error("end", _("Plan at most two years at a time."))
        return cleaned


class LeavingForm(forms.Form):
    left = forms.DateField(
        label=_("Leaving date"),
        required=False,
        widget=DateInput(),
        help_text=_("From this date the account cannot sign in and its API tokens stop working."),
    )


class PlaceRequestForm(forms.Form):
    body = forms.ModelChoiceField(queryset=None, label=_("Partner body"))
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=1)
    expertise = forms.CharField(
        label=_("Expertise wanted"),
        required=False,
        max_length=300,
        help_text=_("In your words, e.g. 'a doctor; someone who speaks Polish'."),
    )
