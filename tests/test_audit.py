"""Every change is on the record: who, when, old and new values."""

from __future__ import annotations

import csv
import io

from auditlog.models import LogEntry
from django.urls import reverse

from armslength.accounts.models import User
from armslength.register.models import Person


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def test_web_edit_records_who_and_old_and_new_values(cast, client_for):
    client = client_for(cast.hmip_manager)
    response = client.post(
        reverse("register:person_edit", args=[cast.alice.pk]),
        {
            "name": "Alice Adams-Brown",
            "body": cast.hmip.pk,
            "category": "staff",
            "gender": "female",
            "npm_role": "support",
            "full_time_npm": "on",
            "key": cast.alice.key,
        },
    )
    assert response.status_code == 302
    entry = entries_for(cast.alice).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == cast.hmip_manager
    assert entry.changes["name"] == ["Alice Adams", "Alice Adams-Brown"]
    assert entry.changes["npm_role"] == ["frontline", "support"]


def test_person_history_includes_secondments_even_after_deletion(cast, client_for):
    client = client_for(cast.hmip_manager)
    secondment_pk = cast.sam_secondment.pk
    client.post(reverse("register:secondment_delete", args=[secondment_pk]))
    page = client.get(reverse("register:person_history", args=[cast.sam.pk])).content.decode()
    assert "delete" in page.lower()
    assert "secondment" in page.lower()
    deleted = LogEntry.objects.get(object_pk=str(secondment_pk), action=LogEntry.Action.DELETE)
    assert deleted.actor == cast.hmip_manager


def test_delete_is_audited(cast, client_for):
    pk = cast.carol.pk
    client_for(cast.cqc_manager).post(reverse("register:person_delete", args=[pk]))
    assert not Person.objects.filter(pk=pk).exists()
    entry = LogEntry.objects.get(
        object_pk=str(pk), action=LogEntry.Action.DELETE, content_type__model="person"
    )
    assert entry.actor == cast.cqc_manager
    assert entry.object_repr == "Carol Carter"


def test_special_category_values_never_enter_the_trail(cast):
    cast.alice.ethnicity = "Scottish Gypsy Traveller"
    cast.alice.save()
    for entry in LogEntry.objects.all():
        assert "Scottish Gypsy Traveller" not in str(entry.changes)


def test_auditor_filters_and_exports_the_trail(cast, client_for):
    client = client_for(cast.auditor)
    page = client.get(reverse("audit:trail"), {"q": "Sam Secondee"}).content.decode()
    assert "Sam Secondee" in page
    response = client.get(reverse("audit:trail"), {"q": "Alice", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == ["when", "who", "action", "record_type", "record_id", "record", "changes"]
    assert any(row[5] == "Alice Adams" and row[3] == "register.person" for row in rows[1:])
    assert all("alice" in row[5].lower() for row in rows[1:])


def test_role_change_of_an_account_is_audited(cast, client_for):
    # a manager linked to their person record; the coordinator (who keeps managers'
    # accounts but sees no staff ones, issue 12 finding 9) makes it an auditor's
    cast.hmip_manager.person = cast.alice
    cast.alice_user.delete()
    cast.hmip_manager.save()
    client = client_for(cast.coordinator)
    response = client.post(
        reverse("accounts:user_edit", args=[cast.hmip_manager.pk]),
        {
            "username": "hmip.manager",
            "role": "auditor",
            "is_active": "on",
            "email": "hmip.manager@example.org",
        },
    )
    assert response.status_code == 302
    entry = entries_for(cast.hmip_manager).last()
    assert entry.changes["role"] == ["manager", "auditor"]
    assert "password" not in entry.changes
    cast.hmip_manager.refresh_from_db()
    assert cast.hmip_manager.person == cast.alice  # the coordinator's form leaves the link


def test_manager_creates_a_staff_account_for_own_person_only(cast, client_for):
    client = client_for(cast.hmip_manager)
    data = {
        "username": "sam2",
        "role": "manager",
        "body": cast.hmip.pk,
        "person": cast.sam.pk,
        "is_active": "on",
        "password": "a-long-enough-passphrase",
    }
    response = client.post(reverse("accounts:user_add"), data)
    assert response.status_code == 400
    assert "role" in response.context["form"].errors
    data.update(role="staff", person=cast.carol.pk)
    response = client.post(reverse("accounts:user_add"), data)
    assert "person" in response.context["form"].errors
    data.update(person=cast.sam.pk)  # Sam already has an account
    response = client.post(reverse("accounts:user_add"), data)
    assert "person" in response.context["form"].errors
    nia = Person.objects.create(body=cast.hmip, name="Nia", category="staff", gender="female")
    data.update(person=nia.pk)
    assert client.post(reverse("accounts:user_add"), data).status_code == 302
    created = User.objects.get(username="sam2")
    assert (created.role, created.person, created.body) == ("staff", nia, cast.hmip)
