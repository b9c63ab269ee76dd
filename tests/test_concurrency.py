"""Two managers at the same moment: nobody is double-booked and no edit is lost.

The first story sends two real HTTP requests at once to the live test server
(each its own thread and database connection) on whichever database the suite
runs on; CI runs it on PostgreSQL too, where the person's row lock decides.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import requests
from django.test import Client
from django.urls import reverse

from armslength.accounts.models import Role
from armslength.register.models import Person
from armslength.visits.models import Assignment, Visit
from tests.conftest import make_user, verify_second_factor


def browser_session(live_server, user) -> requests.Session:
    """A signed-in (both factors) HTTP session for `user`, as a browser would hold."""
    client = Client()
    client.force_login(user)
    verify_second_factor(client, user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.get(f"{live_server.url}/")  # receives the CSRF cookie
    return session


@pytest.mark.django_db(transaction=True)
def test_two_managers_booking_one_person_on_overlapping_visits_at_once(cast, live_server, today):
    start = today + dt.timedelta(days=30)
    visits = [
        Visit.objects.create(
            body=cast.hmip, establishment=cast.southgate, start=start, end=start + dt.timedelta(1)
        ),
        Visit.objects.create(
            body=cast.hmip,
            establishment=cast.southgate,
            start=start + dt.timedelta(1),
            end=start + dt.timedelta(2),
        ),
    ]
    second_manager = make_user("hmip.deputy", Role.MANAGER, body=cast.hmip)
    sessions = [
        browser_session(live_server, cast.hmip_manager),
        browser_session(live_server, second_manager),
    ]
    barrier = threading.Barrier(2)
    statuses = []

    def book(session, visit):
        token = session.cookies["csrftoken"]
        barrier.wait()
        response = session.post(
            f"{live_server.url}{reverse('visits:team_add', args=[visit.pk])}",
            data={"person": cast.alice.pk, "role": "member", "csrfmiddlewaretoken": token},
            headers={"Referer": live_server.url},
            allow_redirects=False,
        )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=book, args=(s, v)) for s, v in zip(sessions, visits, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]  # both answered, neither crashed
    booked = Assignment.objects.filter(person=cast.alice)
    assert booked.count() == 1  # exactly one succeeded; the other was told why


def test_the_second_of_two_editors_is_told_and_the_first_edit_stands(cast, client_for):
    deputy = make_user("hmip.deputy", Role.MANAGER, body=cast.hmip)
    url = reverse("register:person_edit", args=[cast.alice.pk])
    first = client_for(cast.hmip_manager)
    first_form = first.get(url)
    second = Client()
    second.force_login(deputy)
    verify_second_factor(second, deputy)
    second_form = second.get(url)
    version = first_form.context["version"]
    assert version == second_form.context["version"]

    data = {
        "name": "Alice Adams-Smith",
        "body": cast.hmip.pk,
        "category": "staff",
        "npm_role": "frontline",
        "gender": "female",
        "expertise": "legal",
        "full_time_npm": "on",
        "_version": version,
    }
    saved = first.post(url, data)
    assert saved.status_code == 302
    clash = second.post(url, {**data, "name": "Alice Adams-Jones"})
    assert clash.status_code == 409
    assert "Someone else saved this record by hmip.manager" in clash.text
    assert Person.objects.get(pk=cast.alice.pk).name == "Alice Adams-Smith"
    # the form now shows the record as it is, with its new fingerprint: a retry goes through
    retry = second.post(
        url, {**data, "name": "Alice Adams-Jones", "_version": clash.context["version"]}
    )
    assert retry.status_code == 302
    assert Person.objects.get(pk=cast.alice.pk).name == "Alice Adams-Jones"
