from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from armslength.accounts.models import User
from armslength.core import labels
from armslength.core.forms import TagListField
from armslength.engine import codes
from armslength.register.models import Person


class UserForm(forms.ModelForm):
    """Create or edit an account; the password changes only when one is typed in."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not a common password. Leave empty to keep it."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "body",
            "person",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("password"):
            self.add_error("password", _("Set a first password for the new account."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password", error)

    def add_error(self, field, error):
        """The account's own checks name fields a form may lack (the coordinator's has no
        person picker): those errors read at the top of the form rather than crash it."""
        if field is None and hasattr(error, "error_dict"):
            absent = [n for n in error.error_dict if n != NON_FIELD_ERRORS and n not in self.fields]
            for name in absent:
                super().add_error(None, error.error_dict.pop(name))
            if not error.error_dict:
                return
        super().add_error(field, error)

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class MyProfileForm(forms.ModelForm):
    """What a staff member keeps up to date about themself (SPEC: staff "see and
    update their own profile"); special-category fields are theirs alone."""

    languages = TagListField(label=_("Languages"))
    skills = forms.MultipleChoiceField(
        label=_("Skills (APT)"),
        choices=labels.choices(codes.APT_SKILLS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = ["email", "languages", "skills", "home_region", "ethnicity", "minority_status"]
        help_texts = {
            "ethnicity": _(
                "Optional. Only you can see this; it is used only in anonymous "
                "totals, with numbers under 5 suppressed (OPCAT art. 18.2)."
            ),
            "minority_status": _("Optional, as above."),
        }
