"""Form pieces shared by every record type."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from armslength.core import access


class TagListField(forms.CharField):
    """A list of short tags typed as comma-separated text (expertise, languages)."""

    def __init__(self, *args, suggestions: tuple[str, ...] = (), **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        if suggestions:
            self.help_text = self.help_text or _("Comma-separated, e.g. %(examples)s.") % {
                "examples": ", ".join(suggestions[:4])
            }

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        seen: list[str] = []
        for raw in text.split(","):
            tag = raw.strip().lower().replace(" ", "_")
            if tag and tag not in seen:
                seen.append(tag)
        return seen


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def scope_choices(form: forms.BaseForm, user) -> None:
    """Offer in every choice field only the rows the user may read.

    Without this a select would list other bodies' people, and a forged POST
    could attach a record to one; with it, Django refuses the value as "not
    one of the available choices".
    """
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        try:
            allowed = access.readable(user, queryset.model)
        except LookupError:
            continue
        field.queryset = queryset & allowed


class AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "Any" rather than Django's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class YesNoField(forms.NullBooleanField):
    """A question answered yes or no; unanswered stays None (not recorded, not judged)."""

    widget = forms.RadioSelect(choices=[(True, _("Yes")), (False, _("No"))])
