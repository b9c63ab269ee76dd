from django import forms
from django.utils.translation import gettext_lazy as _

from armslength.core.forms import DateInput
from armslength.visits.models import Visit


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["establishment", "body", "partner_bodies", "start", "end", "type", "status"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "partner_bodies": forms.SelectMultiple(attrs={"size": 6}),
        }


class OverrideRequestForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"))
    verdict_to = forms.ChoiceField(
        label=_("Downgrade to"), choices=[("declared", _("declared")), ("clear", _("clear"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
