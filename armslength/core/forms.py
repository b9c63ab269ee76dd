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


class ExpertiseChoiceField(forms.MultipleChoiceField):
    """Expertise chosen from the managed list (register.Expertise), as ticks."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, choices=_expertise_choices, **kwargs)

    def prepare_value(self, value):
        return list(value or [])


def _expertise_choices():
    from armslength.core.labels import label
    from armslength.register.models import expertise_vocabulary

    named = [(code, str(label(text))) for code, text in expertise_vocabulary().items()]
    return sorted(named, key=lambda pair: pair[1].lower())


class RequirementWidget(forms.MultiWidget):
    """One number box per expertise: how many of the team must hold it."""

    template_name = "core/_requirement_widget.html"

    def __init__(self, choices=(), attrs=None):
        self.choices = list(choices)
        widgets = [
            forms.NumberInput(attrs={"min": 0, "max": 50, "inputmode": "numeric"})
            for _c in self.choices
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value if isinstance(value, dict) else {}
        return [value.get(code) or "" for code, _label in self.choices]

    def value_from_datadict(self, data, files, name):
        return {code: data.get(f"{name}_{i}", "") for i, (code, _label) in enumerate(self.choices)}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, (_code, label) in zip(context["widget"]["subwidgets"], self.choices, strict=True):
            sub["label"] = label
        return context


class RequirementField(forms.Field):
    """{expertise code: how many}, typed as one number per expertise; empty means none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", RequirementWidget())
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        # Each form gets the list as it is now: the coordinator may have added to it.
        copied = super().__deepcopy__(memo)
        copied.widget = RequirementWidget(choices=_expertise_choices())
        return copied

    def to_python(self, value):
        if not value:
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give a number for each expertise the team needs."))
        result, bad = {}, []
        labels = dict(self.widget.choices)
        for code, raw in value.items():
            text = str(raw).strip()
            if not text or text == "0":
                continue
            try:
                count = int(text)
            except ValueError:
                bad.append(labels.get(code, code))
                continue
            if count < 0:
                bad.append(labels.get(code, code))
                continue
            result[code] = count
        if bad:
            raise forms.ValidationError(
                _("Give whole numbers (0 or more) for: %(which)s.") % {"which": ", ".join(bad)}
            )
        return result


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
        if queryset.model._meta.label_lower == "register.person":
            make_person_picker(field)


def person_label(person) -> str:
    """A person as a picker shows them: two "Yusuf Okafor"s differ by unit, body and key."""
    unit = person.unit or _("no unit")
    body = person.body.abbreviation if person.body_id else ""
    return f"{person.name} — {unit} · {body} · {person.key}"


def make_person_picker(field) -> None:
    """Label people with unit, body and key, and let picker.js add search-as-you-type."""
    field.queryset = field.queryset.select_related("body")
    field.label_from_instance = person_label
    field.widget.attrs["data-picker"] = "search"


class AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "Any" rather than Django's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class YesNoField(forms.NullBooleanField):
    """A question answered yes or no; unanswered stays None (not recorded, not judged)."""

    widget = forms.RadioSelect(choices=[(True, _("Yes")), (False, _("No"))])
