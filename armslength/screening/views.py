"""Screening pages: the body's screening matrix, the policy in force and its versions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.core import access, access_log, labels
from armslength.core.exports import export_response, requested_format
from armslength.core.forms import DateInput
from armslength.core.labels import VERDICT_LABELS
from armslength.engine import codes
from armslength.engine.policy import (
    FINDING_IDS,
    PARAMETER_DEFAULTS,
    RULE_IDS,
    PolicyError,
    check_guidance_sources,
    load_policy_text,
)
from armslength.engine.verdicts import VERDICT_CODES
from armslength.register.models import Body, Establishment, Person
from armslength.screening.models import PolicyVersion, current_policy, installation_policy_text
from armslength.screening.services import (
    policy_diff,
    policy_in_force_text,
    policy_text_as_adopted,
    policy_text_with_changes,
    policy_version_adopt,
    screen_register,
)


class ScreeningFilterForm(forms.Form):
    body = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label=gettext_lazy("Body")
    )
    verdict = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Verdict"),
        choices=[
            ("", gettext_lazy("Any not clear")),
            *[(v, VERDICT_LABELS[v]) for v in codes.VERDICTS if v != "clear"],
        ],
    )
    rule = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Rule"),
        # a callable, so the titles are in the reader's language, sorted in it
        choices=lambda: [
            ("", _("Any")),
            *sorted(((r, labels.rule_title(r)) for r in RULE_IDS), key=lambda pair: pair[1]),
        ],
    )
    type = forms.ChoiceField(required=False, label=gettext_lazy("Establishment type"))
    q = forms.CharField(required=False, label=gettext_lazy("Person or establishment"))


class ScreeningView(View):
    """Every person of the body against every establishment: the pairs that are not clear."""

    def get(self, request):
        if not access.can_list(request.user, Person):
            raise PermissionDenied(_("Screening shows people by name; your role sees counts."))
        people = {p.key: p for p in access.readable(request.user, Person).select_related("body")}
        form = ScreeningFilterForm(request.GET or None)
        bodies = Body.objects.filter(pk__in={p.body_id for p in people.values()})
        form.fields["body"].queryset = bodies
        types = sorted(set(Establishment.objects.values_list("type", flat=True)))
        form.fields["type"].choices = [("", _("Any"))] + [(t, labels.place_type(t)) for t in types]
        filters = form.cleaned_data if form.is_valid() else {}
        screening = screen_register()
        ests = {e.key: e for e in Establishment.objects.all()}
        rows = []
        for result in screening.for_people(people):
            person, est = people[result.person], ests[result.establishment]
            if not _matches(filters, person, est, result):
                continue
            rows.append((person, est, result))
        fmt = requested_format(request)
        access_log.ties_in_reasons(
            request.user,
            ((p.key, r.reasons) for p, _e, r in (rows if fmt else rows[:500])),
            where=request.get_full_path(),
        )
        if fmt:
            return export_response(
                fmt,
                "screening",
                [
                    "person",
                    "person_key",
                    "body",
                    "establishment",
                    "establishment_key",
                    "type",
                    "verdict",
                    "rules",
                    "reasons",
                ],
                (
                    [
                        p.name,
                        p.key,
                        p.body.abbreviation,
                        e.name,
                        e.key,
                        e.type,
                        r.verdict.code,
                        " ".join(x.rule for x in r.reasons),
                        " | ".join(f"{x.text} ({', '.join(x.cites)})" for x in r.reasons),
                    ]
                    for p, e, r in rows
                ),
            )
        counts = {}
        for _p, _e, r in rows:
            counts[r.verdict.code] = counts.get(r.verdict.code, 0) + 1
        # 50 pairs a page, numbered: the whole register on one page was 8,500 px long
        page_obj = Paginator(rows, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "screening/screening.html",
            {
                "form": form,
                "rows": page_obj.object_list,
                "page_obj": page_obj,
                "total": len(rows),
                "counts": counts,
                "policy_version": screening.version,
            },
        )


def _matches(filters: dict, person, est, result) -> bool:
    if filters.get("body") and person.body_id != filters["body"].pk:
        return False
    if filters.get("verdict") and result.verdict.code != filters["verdict"]:
        return False
    if filters.get("rule") and filters["rule"] not in {r.rule for r in result.reasons}:
        return False
    if filters.get("type") and est.type != filters["type"]:
        return False
    q = (filters.get("q") or "").strip().lower()
    return not q or q in person.name.lower() or q in est.name.lower()


class PolicyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Policy file (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
    )
    note = forms.CharField(label=gettext_lazy("What changed and why"), max_length=300)

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            self.policy = load_policy_text(text)
            # a made-up guidance citation is refused before any preview
            check_guidance_sources(text)
        except PolicyError as exc:
            raise forms.ValidationError(str(exc)) from None
        return text


#: How each parameter reads on the policy page, and how its figure is shown.
PARAMETER_LABELS = {
    "cooling_off_years": gettext_lazy("Cooling-off after former employment"),
    "supervision_days": gettext_lazy("Supervision of secondees at least every"),
    "assessment_review_months": gettext_lazy("Conflict assessments reviewed every"),
    "min_secondment_months": gettext_lazy("Shortest secondment"),
    "term_notice_days": gettext_lazy("Notice before a term of office ends"),
    "interference_remind_days": gettext_lazy("Chase an interference report with no action after"),
    "gender_balance_min_share": gettext_lazy("Gender balance: each at least"),
    "policy_start": gettext_lazy("Recruitment records required for secondments from"),
}
PARAMETER_UNITS = {
    "cooling_off_years": gettext_lazy("years"),
    "supervision_days": gettext_lazy("days"),
    "assessment_review_months": gettext_lazy("months"),
    "min_secondment_months": gettext_lazy("months"),
    "term_notice_days": gettext_lazy("days"),
    "interference_remind_days": gettext_lazy("days"),
}


def parameter_value_text(name: str, value) -> str:
    if value is None:
        return str(_("none: former employees never take part in visits there"))
    if name == "gender_balance_min_share":
        return f"{value:.0%}"
    if name == "policy_start":
        return value.isoformat()
    return f"{value} {PARAMETER_UNITS.get(name, '')}".strip()


def parameter_rows(policy) -> list[dict]:
    """Each parameter with its figure and where the figure comes from."""
    return [
        {
            "name": name,
            "label": PARAMETER_LABELS.get(name, name),
            "shown": parameter_value_text(name, getattr(policy.parameters, name)),
            "source": policy.parameter_sources.get(name),
        }
        for name in PARAMETER_DEFAULTS
    ]


class PolicyView(View):
    """The policy in force, in plain words with citations: printable for a staff handbook (UK-8)."""

    def get(self, request, pk=None):
        if pk is None:
            policy, version = current_policy()
        else:
            version = access.get_readable(request.user, PolicyVersion, pk)
            policy = version.policy()
        return render(
            request,
            "screening/policy.html",
            {
                "policy": policy,
                "version": version,
                "rules": [policy.rules[r] for r in RULE_IDS],
                "parameters": parameter_rows(policy),
                "findings": [policy.findings[f] for f in FINDING_IDS],
                "versions": PolicyVersion.objects.select_related("created_by")[:50],
                "is_current": pk is None or version == PolicyVersion.objects.first(),
                "can_change": access.can_create(request.user, PolicyVersion),
            },
        )


class PolicyEditView(View):
    """Adopt a new policy version; a policy that weakens a UK-14 rule is refused."""

    def check(self, request):
        if not access.can_create(request.user, PolicyVersion):
            raise PermissionDenied(_("Only the NPM coordinator changes the policy."))

    def get(self, request):
        self.check(request)
        latest = PolicyVersion.objects.first()
        form = PolicyForm(initial={"text": latest.text if latest else installation_policy_text()})
        return render(request, "screening/policy_form.html", {"form": form})

    def post(self, request):
        self.check(request)
        form = PolicyForm(request.POST)
        if not form.is_valid():
            return render(request, "screening/policy_form.html", {"form": form}, status=400)
        return _preview_or_adopt(
            request, form, form.cleaned_data["text"], "screening/policy_form.html"
        )


def _preview_or_adopt(request, form, text: str, template: str):
    """Show the differences from the policy in force; adopt only a POST that carries the
    fingerprint of the version in force that those differences were shown against."""
    try:
        diff = policy_diff(policy_in_force_text(), policy_text_as_adopted(text, request.user))
    except PolicyError as exc:
        form.add_error(None, str(exc))
        return render(request, template, {"form": form}, status=400)
    in_force = current_policy()[0].version
    context = {"form": form, "diff": diff, "previewed": True, "in_force": in_force}
    if "adopt" not in request.POST or not diff:
        return render(request, template, context)
    if request.POST.get("in_force") != in_force:
        form.add_error(
            None, _("The policy changed since your preview; look at the differences again.")
        )
        return render(request, template, context, status=409)
    try:
        with transaction.atomic():
            version = policy_version_adopt(
                text=text, note=form.cleaned_data["note"], user=request.user
            )
    except PolicyError as exc:
        form.add_error(None, str(exc))
        return render(request, template, {"form": form}, status=400)
    messages.success(request, _("Policy version %(v)s is now in force.") % {"v": version.version})
    return HttpResponseRedirect(reverse("screening:policy"))


class PolicyParametersForm(forms.Form):
    """The policy's figures and rule settings as fields; the engine validates the result."""

    note = forms.CharField(label=gettext_lazy("What changed and why"), max_length=300)

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        p = policy.parameters
        self.fields["cooling_off_years"] = forms.IntegerField(
            label=PARAMETER_LABELS["cooling_off_years"],
            required=False,
            min_value=0,
            help_text=gettext_lazy("Years; empty: never."),
            initial=p.cooling_off_years,
        )
        for name in (
            "supervision_days",
            "assessment_review_months",
            "min_secondment_months",
            "term_notice_days",
            "interference_remind_days",
        ):
            self.fields[name] = forms.IntegerField(
                label=_("%(label)s (%(unit)s)")
                % {"label": PARAMETER_LABELS[name], "unit": PARAMETER_UNITS[name]},
                min_value=0,
                initial=getattr(p, name),
            )
        self.fields["gender_balance_min_share"] = forms.FloatField(
            label=PARAMETER_LABELS["gender_balance_min_share"],
            min_value=0,
            max_value=0.5,
            help_text=gettext_lazy("A share from 0 to 0.5 (0.3 is 30%)."),
            initial=p.gender_balance_min_share,
        )
        self.fields["policy_start"] = forms.DateField(
            label=PARAMETER_LABELS["policy_start"],
            initial=p.policy_start,
            widget=DateInput(),
        )
        verdicts = [(c, VERDICT_LABELS[c]) for c in VERDICT_CODES if c != "clear"]
        for rule_id in RULE_IDS:
            rule = policy.rules[rule_id]
            self.fields[f"rule-{rule_id}-enabled"] = forms.BooleanField(
                label=_("%(rule)s: on") % {"rule": rule_id},
                required=False,
                initial=rule.enabled,
            )
            self.fields[f"rule-{rule_id}-verdict"] = forms.ChoiceField(
                label=_("%(rule)s: verdict") % {"rule": rule_id},
                choices=verdicts,
                initial=rule.verdict.code,
            )
        # the note last, after the figures
        self.order_fields([f for f in self.fields if f != "note"] + ["note"])

    def changes(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        params = {name: data[name] for name in PARAMETER_DEFAULTS}
        rules = {}
        for rule_id in RULE_IDS:  # only what changed, so the diff shows only that
            rule, change = self.policy.rules[rule_id], {}
            if data[f"rule-{rule_id}-enabled"] != rule.enabled:
                change["enabled"] = data[f"rule-{rule_id}-enabled"]
            if data[f"rule-{rule_id}-verdict"] != rule.verdict.code:
                change["verdict"] = data[f"rule-{rule_id}-verdict"]
            if change:
                rules[rule_id] = change
        return params, rules

    def proposed_text(self, user) -> str | None:
        """The new policy file, or None with the engine's refusal on the form."""
        params, rules = self.changes()
        try:
            return policy_text_with_changes(
                policy_in_force_text(),
                parameters=params,
                rules=rules,
                adopted_by=user.get_full_name() or user.get_username(),
                on=timezone.localdate(),
            )
        except PolicyError as exc:
            field = _field_for(exc.path)
            self.add_error(field if field in self.fields else None, exc.message)
            return None


def _field_for(path: str) -> str | None:
    """The form field a policy error names: `policy.rules.X` -> the rule's verdict field."""
    parts = path.split(".")
    if "rules" in parts and parts.index("rules") + 1 < len(parts):
        return f"rule-{parts[parts.index('rules') + 1]}-verdict"
    if "parameters" in parts and parts.index("parameters") + 1 < len(parts):
        return parts[parts.index("parameters") + 1]
    return None


class PolicyParametersView(View):
    """The coordinator edits the figures in a form, previews the diff, then adopts it."""

    template = "screening/policy_parameters.html"

    def check(self, request):
        if not access.can_create(request.user, PolicyVersion):
            raise PermissionDenied(_("Only the NPM coordinator changes the policy."))

    def get(self, request):
        self.check(request)
        form = PolicyParametersForm(policy=current_policy()[0])
        return render(request, self.template, {"form": form})

    def post(self, request):
        self.check(request)
        form = PolicyParametersForm(request.POST, policy=current_policy()[0])
        text = form.proposed_text(request.user) if form.is_valid() else None
        if text is None:
            return render(request, self.template, {"form": form}, status=400)
        return _preview_or_adopt(request, form, text, self.template)
