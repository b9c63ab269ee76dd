"""Bad input shows a message next to the field and saves nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from armslength.register.models import Establishment, Person, Secondment


def person_data(cast, **overrides):
    data = {
        "name": "Nia Newcomer",
        "body": cast.hmip.pk,
        "category": "staff",
        "gender": "female",
        "npm_role": "frontline",
        "full_time_npm": "on",
        "expertise": ["legal", "medical"],
    }
    data.update(overrides)
    return data


def test_manager_adds_a_secondee_with_a_secondment(cast, client_for, today):
    start = today - dt.timedelta(days=10)
    response = client_for(cast.hmip_manager).post(
        reverse("register:person_add"),
        person_data(
            cast,
            category="secondee",
            **{
                "secondment-origin": cast.hmpps.pk,
                "secondment-origin_establishment": cast.northbridge.pk,
                "secondment-start": start.isoformat(),
                "secondment-end": (start + dt.timedelta(days=730)).isoformat(),
                "secondment-inclusive": "True",
                "secondment-merit_based": "True",
            },
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Nia Newcomer")
    assert person.expertise == ["legal", "medical"]
    assert person.key == "hmip-nia-newcomer"
    (secondment,) = person.secondments.all()
    assert secondment.origin == cast.hmpps and secondment.start == start


def test_end_before_start_is_refused_next_to_the_field(cast, client_for):
    response = client_for(cast.hmip_manager).post(
        reverse("register:person_add"),
        person_data(
            cast,
            category="secondee",
            **{
                "secondment-origin": cast.hmpps.pk,
                "secondment-start": "2026-05-01",
                "secondment-end": "2026-04-30",
            },
        ),
    )
    assert response.status_code == 400
    form = response.context["secondment_form"]
    assert form.errors["end"] == ["The end date is before the start date."]
    html = response.content.decode()
    assert 'id="id_secondment-end_error"' in html
    assert not Person.objects.filter(name="Nia Newcomer").exists()


def test_current_secondment_needs_category_secondee(cast, client_for, today):
    response = client_for(cast.hmip_manager).post(
        reverse("register:person_add"),
        person_data(
            cast,
            category="staff",
            **{
                "secondment-origin": cast.hmpps.pk,
                "secondment-start": (today - dt.timedelta(days=5)).isoformat(),
            },
        ),
    )
    assert response.status_code == 400
    assert "category must be secondee" in response.context["secondment_form"].errors["start"][0]
    assert not Person.objects.filter(name="Nia Newcomer").exists()
    assert not Secondment.objects.exclude(pk=cast.sam_secondment.pk).exists()


def test_secondment_form_checks_the_persons_category(cast, client_for, today):
    response = client_for(cast.hmip_manager).post(
        reverse("register:secondment_add"),
        {
            "person": cast.alice.pk,
            "origin": cast.hmpps.pk,
            "start": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "category is Staff" in response.context["form"].errors["start"][0]
    assert not cast.alice.secondments.exists()


def test_category_cannot_drop_secondee_while_seconded(cast, client_for):
    data = person_data(cast, name=cast.sam.name, category="staff")
    response = client_for(cast.hmip_manager).post(
        reverse("register:person_edit", args=[cast.sam.pk]), data
    )
    assert response.status_code == 400
    assert "current secondment" in response.context["form"].errors["category"][0]
    cast.sam.refresh_from_db()
    assert cast.sam.category == "secondee"


def test_unknown_operator_is_refused(cast, client_for):
    response = client_for(cast.hmip_manager).post(
        reverse("register:establishment_add"),
        {
            "name": "HMP Nowhere",
            "type": "prison",
            "operator": 999999,
        },
    )
    assert response.status_code == 400
    assert "operator" in response.context["form"].errors
    assert 'id="id_operator_error"' in response.content.decode()
    assert not Establishment.objects.filter(name="HMP Nowhere").exists()


def test_term_of_office_only_for_members(cast, client_for):
    response = client_for(cast.hmip_manager).post(
        reverse("register:person_add"),
        person_data(cast, term_start="2025-01-01", term_end="2024-01-01"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["term_end"] == ["The term ends before it starts."]
    assert errors["term_start"] == ["Only members have a term of office."]


def test_left_before_joined(cast, client_for):
    response = client_for(cast.hmip_manager).post(
        reverse("register:person_add"), person_data(cast, joined="2025-01-01", left="2024-12-31")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["left"] == [
        "The leaving date is before the joining date."
    ]


def test_organisation_cannot_become_its_own_ancestor(cast, client_for):
    response = client_for(cast.coordinator).post(
        reverse("register:organisation_edit", args=[cast.moj.pk]),
        {"name": cast.moj.name, "key": "moj", "sector": "executive", "parent": cast.hmpps.pk},
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    cast.moj.refresh_from_db()
    assert cast.moj.parent is None


def test_deleting_an_operator_in_use_is_refused_with_a_message(cast, client_for):
    client = client_for(cast.coordinator)
    response = client.post(
        reverse("register:organisation_delete", args=[cast.hmpps.pk]), follow=True
    )
    assert "Cannot delete" in response.content.decode()
    assert Establishment.objects.filter(operator=cast.hmpps).exists()


def test_staff_member_updates_own_profile(cast, client_for):
    client = client_for(cast.alice_user)
    response = client.post(
        reverse("accounts:my_profile"),
        {
            "email": "alice@example.org",
            "languages": "English, Welsh",
            "skills": ["writing"],
            "home_region": "wales",
            "ethnicity": "",
            "minority_status": "",
        },
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.languages == ["english", "welsh"]
    assert cast.alice.skills == ["writing"]
