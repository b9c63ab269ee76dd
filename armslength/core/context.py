"""Template context shared by every page: the navigation for the user's role."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from armslength.accounts.models import Role


def sign_in_options(request) -> dict:
    from django.conf import settings

    return {"oidc_enabled": settings.OIDC_ENABLED, "oidc_name": settings.OIDC_PROVIDER_NAME}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    from armslength.accounts.twofactor import needs_second_step

    if needs_second_step(user):  # nothing to go to until the second step is done
        return {"nav": []}
    role = user.role
    items = [(_("Home"), reverse("home"))]
    if role in (Role.MANAGER, Role.AUDITOR):
        items.append((_("People"), reverse("register:person_list")))
        items.append((_("Secondments"), reverse("register:secondment_list")))
        items.append((_("Declarations"), reverse("declarations:affiliation_list")))
        items.append((_("Screening"), reverse("screening:screening")))
        items.append((_("Compliance"), reverse("compliance:dashboard")))
        items.append((_("Visits"), reverse("visits:visit_list")))
        items.append((_("Calendar"), reverse("visits:calendar")))
        items.append((_("Interference"), reverse("compliance:interferencereport_list")))
    if role == Role.STAFF and user.person_id:
        items.append((_("My profile"), reverse("accounts:my_profile")))
        items.append((_("My declarations"), reverse("declarations:affiliation_list")))
        items.append((_("Report interference"), reverse("compliance:interferencereport_list")))
        items.append((_("My visits"), reverse("visits:schedule", args=[user.person_id])))
    items += [
        (_("Establishments"), reverse("register:establishment_list")),
        (_("Organisations"), reverse("register:organisation_list")),
        (_("Bodies"), reverse("register:body_list")),
    ]
    if role == Role.MANAGER:
        items.append((_("Plan teams"), reverse("visits:planning")))
    if role in (Role.MANAGER, Role.COORDINATOR):
        items.append((_("Import"), reverse("spreadsheets:start")))
    if role == Role.COORDINATOR:
        items.append((_("Compliance"), reverse("compliance:dashboard")))
        items.append((_("Escalations"), reverse("compliance:interference_escalations")))
    items.append((_("Policy"), reverse("screening:policy")))
    if role in (Role.COORDINATOR, Role.AUDITOR, Role.MANAGER):
        items.append((_("Annual report"), reverse("reports:report")))
        items.append((_("Accounts"), reverse("accounts:user_list")))
    if role == Role.AUDITOR:
        items.append((_("Audit trail"), reverse("audit:trail")))
    items.append((_("API"), reverse("accounts:tokens")))
    path = request.path
    return {
        "nav": [
            {"label": label, "url": url, "current": _is_current(url, path)} for label, url in items
        ]
    }


def _is_current(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))
