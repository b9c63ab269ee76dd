"""Issue 12, finding 9: the coordinator saw staff names on the account pages and in their
CSV. SPEC "Who sees what": the coordinator sees bodies, reference data and aggregate
figures, not other bodies' people by name. Staff accounts (username, name, email) are
people by name, so the access policy leaves them out of the coordinator's rows: the
list, its CSV and XLSX, the detail and edit pages (404), and the role picker; managers',
auditors' and coordinators' accounts, which the coordinator keeps, stay.
"""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from armslength.accounts.models import User
from armslength.core import access


def named(cast):
    for user, first, last in (
        (cast.alice_user, "Alice", "Adams"),
        (cast.sam_user, "Sam", "Secondee"),
        (cast.hmip_manager, "Hana", "Manager"),
    ):
        user.first_name, user.last_name = first, last
        user.save()


def test_finding9_the_coordinators_account_list_and_csv_name_no_staff(cast, client_for):
    named(cast)
    client = client_for(cast.coordinator)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "hmip.manager" in page and "Hana" in page  # the accounts the coordinator keeps
    for staff in ("Alice", "Adams", "Secondee", "alice@example.org", "sam@example.org"):
        assert staff not in page, staff
    response = client.get(reverse("accounts:user_list"), {"export": "csv"})
    exported = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    usernames = {row[0] for row in rows[1:]}
    assert usernames == {"coordinator", "hmip.manager", "cqc.manager", "auditor"}
    assert "Alice" not in exported and "Secondee" not in exported
    xlsx = client.get(reverse("accounts:user_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    # searching by a staff member's name finds nothing either
    found = client.get(reverse("accounts:user_list"), {"q": "Alice"}).content.decode()
    assert "Adams" not in found


def test_finding9_a_staff_account_page_is_not_found_for_the_coordinator(cast, client_for):
    named(cast)
    client = client_for(cast.coordinator)
    for name in ("accounts:user_detail", "accounts:user_edit", "accounts:user_history"):
        assert client.get(reverse(name, args=[cast.alice_user.pk])).status_code == 404, name
    reset = client.post(reverse("accounts:user_reset_second_factor", args=[cast.sam_user.pk]))
    assert reset.status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[cast.hmip_manager.pk])).status_code == (
        200
    )


def test_finding9_the_coordinator_cannot_make_a_staff_account_it_would_then_not_see(
    cast, client_for
):
    client = client_for(cast.coordinator)
    form = client.get(reverse("accounts:user_add")).context["form"]
    assert "staff" not in dict(form.fields["role"].choices)
    response = client.post(
        reverse("accounts:user_add"),
        {
            "username": "new.staff",
            "role": "staff",
            "body": cast.hmip.pk,
            "is_active": "on",
            "password": "a-long-enough-first-password",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="new.staff").exists()


def test_managers_and_auditors_still_read_their_staff_accounts(cast, client_for):
    named(cast)
    manager_rows = access.readable(cast.hmip_manager, User)
    assert {"alice", "sam"} <= set(manager_rows.values_list("username", flat=True))
    assert not manager_rows.filter(username="cqc.manager").exists()
    assert access.readable(cast.auditor, User).filter(username="alice").exists()
    page = client_for(cast.hmip_manager).get(reverse("accounts:user_list")).content.decode()
    assert "Alice" in page
