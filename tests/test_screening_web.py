"""The engine's answers where people look: person, establishment, body screening, visits."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from armslength.declarations.models import Affiliation
from armslength.screening.models import PolicyVersion
from armslength.visits.models import Override, Visit


def test_person_page_lists_the_places_that_are_not_clear_with_reasons(cast, client_for):
    page = (
        client_for(cast.hmip_manager)
        .get(reverse("register:person_detail", args=[cast.sam.pk]))
        .content.decode()
    )
    assert "Seconded from HMP Northbridge" in page
    assert "Likely to return to HMP Southgate" in page
    assert "UK-14" in page


def test_establishment_page_lists_people_for_managers_and_counts_for_the_coordinator(
    cast, client_for
):
    url = reverse("register:establishment_detail", args=[cast.northbridge.pk])
    manager = client_for(cast.hmip_manager).get(url).content.decode()
    assert "Sam Secondee" in manager
    other = client_for(cast.cqc_manager).get(url).content.decode()
    assert "Sam Secondee" not in other
    coordinator = client_for(cast.coordinator).get(url).content.decode()
    assert "Sam Secondee" not in coordinator and "badge-block" in coordinator


def test_results_follow_changes_at_once(cast, client_for):
    url = reverse("register:person_detail", args=[cast.alice.pk])
    client = client_for(cast.hmip_manager)
    assert "Clear for every establishment" in client.get(url).content.decode()
    Affiliation.objects.create(
        person=cast.alice, kind="position", organisation=cast.hmpps, role="inspector", on_leave=True
    )
    page = client.get(url).content.decode()
    assert "On leave from inspector, HM Prison and Probation Service" in page
    assert "incompatible-position" in page


def test_screening_page_filters_and_exports(cast, client_for):
    client = client_for(cast.hmip_manager)
    page = client.get(reverse("screening:screening"), {"verdict": "block"}).content.decode()
    assert "Sam Secondee" in page and "HMP Northbridge" in page
    none = client.get(reverse("screening:screening"), {"rule": "client"}).content.decode()
    assert "Nothing found" in none
    csv = client.get(reverse("screening:screening"), {"export": "csv"}).getvalue().decode()
    assert csv.splitlines()[0].startswith("person,person_key,body,establishment")
    assert "secondment-origin" in csv
    assert client_for(cast.coordinator).get(reverse("screening:screening")).status_code == 403


def make_visit(cast, start, end=None):
    return Visit.objects.create(
        body=cast.hmip, establishment=cast.northbridge, start=start, end=end or start
    )


def test_block_is_never_overridden(cast, client_for, today):
    visit = make_visit(cast, today + dt.timedelta(days=10))
    response = client_for(cast.hmip_manager).post(
        reverse("visits:override_request", args=[visit.pk]),
        {"person": cast.sam.pk, "verdict_to": "clear", "reason": "We need him"},
        follow=True,
    )
    assert "cannot be overridden" in response.content.decode()
    assert not Override.objects.exists()


def test_override_needs_a_second_manager(cast, client_for, today):
    from tests.conftest import make_user

    Affiliation.objects.create(
        person=cast.alice,
        kind="ngo_role",
        establishment=cast.northbridge,
        role="Prison Reform Network",
    )
    visit = make_visit(cast, today + dt.timedelta(days=10))
    first = client_for(cast.hmip_manager)
    first.post(
        reverse("visits:override_request", args=[visit.pk]),
        {"person": cast.alice.pk, "verdict_to": "clear", "reason": "NGO role ended"},
    )
    override = Override.objects.get()
    assert (override.verdict_from, override.status) == ("restricted", "requested")
    assert override.policy_version
    first.post(reverse("visits:override_decide", args=[override.pk]), {"decision": "approved"})
    override.refresh_from_db()
    assert override.status == "requested"  # the requester cannot approve
    assert (
        client_for(cast.cqc_manager)
        .post(reverse("visits:override_decide", args=[override.pk]), {"decision": "approved"})
        .status_code
        == 404
    )
    second = make_user("hmip.manager2", "manager", body=cast.hmip)
    client_for(second).post(
        reverse("visits:override_decide", args=[override.pk]), {"decision": "approved"}
    )
    override.refresh_from_db()
    assert (override.status, override.decided_by) == ("approved", second)
    page = client_for(cast.auditor).get(visit.get_absolute_url()).content.decode()
    assert "restricted → clear" in page and "NGO role ended" in page


def test_joint_visit_is_visible_to_partner_managers(cast, client_for, today):
    visit = make_visit(cast, today)
    url = visit.get_absolute_url()
    assert client_for(cast.cqc_manager).get(url).status_code == 404
    visit.partner_bodies.add(cast.cqc)
    assert client_for(cast.cqc_manager).get(url).status_code == 200
    edit = reverse("visits:visit_edit", args=[visit.pk])
    assert client_for(cast.cqc_manager).get(edit).status_code == 403


def test_policy_page_is_readable_by_everyone(cast, client_for):
    for user in (cast.alice_user, cast.coordinator, cast.auditor):
        page = client_for(user).get(reverse("screening:policy")).content.decode()
        assert "secondment-origin" in page and "UK-14" in page


def test_coordinator_adopts_a_policy_version_and_uk14_cannot_be_weakened(cast, client_for):
    from armslength.engine.policy import default_policy_text

    client = client_for(cast.coordinator)
    weakened = default_policy_text().replace(
        "  secondment-origin:\n    verdict: block", "  secondment-origin:\n    verdict: declared"
    )
    response = client.post(reverse("screening:policy_edit"), {"text": weakened, "note": "try"})
    assert response.status_code == 400
    assert "UK-14 rules can never be switched off or weakened" in response.content.decode()
    assert not PolicyVersion.objects.exists()
    adapted = default_policy_text().replace("cooling_off_years: null", "cooling_off_years: 5")
    data = {"text": adapted, "note": "Five-year cooling-off"}
    preview = client.post(reverse("screening:policy_edit"), data)
    assert preview.status_code == 200 and not PolicyVersion.objects.exists()
    assert "+  cooling_off_years: 5" in "\n".join(preview.context["diff"])
    response = client.post(
        reverse("screening:policy_edit"),
        {**data, "adopt": "1", "in_force": preview.context["in_force"]},
    )
    assert response.status_code == 302
    version = PolicyVersion.objects.get()
    assert version.policy().parameters.cooling_off_years == 5
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(version).get().actor == cast.coordinator
    page = client.get(reverse("screening:policy")).content.decode()
    assert version.version in page and "5 years" in page
    assert client_for(cast.hmip_manager).get(reverse("screening:policy_edit")).status_code == 403


def test_verdicts_use_the_adopted_policy(cast, client_for):
    from armslength.engine.policy import default_policy_text

    Affiliation.objects.create(
        person=cast.alice, kind="ngo_role", establishment=cast.northbridge, role="NGO"
    )
    url = reverse("register:person_detail", args=[cast.alice.pk])
    client = client_for(cast.hmip_manager)
    assert "Share no information" in client.get(url).content.decode()
    text = default_policy_text().replace(
        "  ngo-role:\n    verdict: restricted",
        "  ngo-role:\n    enabled: false\n    verdict: restricted",
    )
    PolicyVersion.objects.create(text=text, version="x", note="off")
    assert "Share no information" not in client.get(url).content.decode()


def test_the_screening_is_reused_until_a_record_changes(cast, settings):
    """The per-process cache of the register's screening follows every audited change."""
    from armslength.screening import services

    settings.SCREENING_CACHE = True
    services._LAST.clear()
    first = services.screen_register()
    assert services.screen_register() is first
    cast.alice.expertise = ["legal", "medical"]
    cast.alice.save()  # audited: a new log entry
    second = services.screen_register()
    assert second is not first
    assert services.screen_register() is second
    services._LAST.clear()
