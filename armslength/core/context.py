"""Template context shared by every page: the navigation for the user's role."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from armslength.accounts.models import User
from armslength.core import access


def sign_in_options(request) -> dict:
    from django.conf import settings

    return {"oidc_enabled": settings.OIDC_ENABLED, "oidc_name": settings.OIDC_PROVIDER_NAME}


def navigation(request) -> dict:
    """The menu for the user's role, in five groups (People, Visits, Compliance,
    Reports, Settings) so that a phone shows six short buttons, not 18 links."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    from armslength.accounts.twofactor import needs_second_step

    if needs_second_step(user):  # nothing to go to until the second step is done
        return {"nav": []}
    path = request.path
    groups = []
    for label, items in _menu(user):
        if not items:
            continue
        links = [{"label": t, "url": u, "current": _is_current(u, path)} for t, u in items]
        groups.append({"label": label, "items": links, "current": any(i["current"] for i in links)})
    return {"nav": groups, "home_current": path == reverse("home")}


def _menu(user) -> list[tuple[str, list[tuple[str, str]]]]:
    def can(action: str) -> bool:
        return access.can(user, action)

    reads_people = can("register.browse")
    people, visits, compliance, reports, settings = [], [], [], [], []
    if reads_people:
        people += [
            (_("People"), reverse("register:person_list")),
            (_("Secondments"), reverse("register:secondment_list")),
            (_("Declarations"), reverse("declarations:affiliation_list")),
        ]
    if can("self.own_records"):
        people += [
            (_("My profile"), reverse("accounts:my_profile")),
            (_("My declarations"), reverse("declarations:affiliation_list")),
        ]
        visits.append((_("My visits"), reverse("visits:schedule", args=[user.person_id])))
        compliance += [
            (_("My declaration rounds"), reverse("compliance:my_rounds")),
            (_("Report interference"), reverse("compliance:interferencereport_list")),
        ]
    if reads_people:
        visits += [
            (_("Visits"), reverse("visits:visit_list")),
            (_("Calendar"), reverse("visits:calendar")),
        ]
    if can("planningrun.start"):
        visits.append((_("Plan teams"), reverse("visits:planning")))
    visits += [
        (_("Establishments"), reverse("register:establishment_list")),
        (_("Organisations"), reverse("register:organisation_list")),
    ]
    if reads_people or can("finding.read_counts_only"):
        compliance.append((_("Compliance dashboard"), reverse("compliance:dashboard")))
    if reads_people:
        compliance += [
            (_("Screening"), reverse("screening:screening")),
            (_("Declaration rounds"), reverse("compliance:declarationround_list")),
            (_("Interference reports"), reverse("compliance:interferencereport_list")),
        ]
    if can("finding.read_counts_only"):
        compliance.append(
            (_("Escalated interference"), reverse("compliance:interference_escalations"))
        )
    if can("report.read"):
        reports.append((_("Annual report"), reverse("reports:report")))
    if can("audit.read"):
        reports.append((_("Audit trail"), reverse("audit:trail")))
    settings.append((_("Independence policy"), reverse("screening:policy")))
    settings.append((_("Expertise"), reverse("register:expertise_list")))
    settings.append((_("Bodies"), reverse("register:body_list")))
    if can("import.start"):
        settings.append((_("Import"), reverse("spreadsheets:start")))
    if access.can_list(user, User):
        settings.append((_("Accounts"), reverse("accounts:user_list")))
    settings.append((_("API tokens"), reverse("accounts:tokens")))
    return [
        (_("People"), people),
        (_("Visits"), visits),
        (_("Compliance"), compliance),
        (_("Reports"), reports),
        (_("Settings"), settings),
    ]


def _is_current(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))
