"""The cast of the test stories.

Two bodies (HMIP and CQC), each with a manager; HMIP has a staff member and a
secondee seconded from HMPPS out of HMP Northbridge; an NPM coordinator and an
auditor look on. Dates are fixed relative to today so "current" means current.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from armslength.accounts.models import Role, User
from armslength.register.models import Body, Establishment, Organisation, Person, Secondment

PASSWORD = "correct-horse-battery-staple"

# Property tests judge results, not speed: on a shared two-core machine running the
# suite on both cores, Hypothesis's timing checks failed tests whose results were right.
# Speed is measured by benchmarks/, not by tests.
hypothesis_settings.register_profile(
    "suite", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("suite")


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test (the browser's live server) flushes the database, and content
    types come back with new ids while Django's cache keeps the old ones: a later test on
    the same worker then looked up audit entries by a stale id. Each test starts clean."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield


@dataclass
class Cast:
    hmip: Body
    cqc: Body
    moj: Organisation
    hmpps: Organisation
    northbridge: Establishment
    southgate: Establishment
    alice: Person  # HMIP staff member
    sam: Person  # HMIP secondee
    carol: Person  # CQC staff member
    sam_secondment: Secondment
    coordinator: User
    hmip_manager: User
    cqc_manager: User
    alice_user: User
    sam_user: User
    auditor: User


def make_user(username: str, role: Role, body=None, person=None) -> User:
    user = User(
        username=username, role=role, body=body, person=person, email=f"{username}@example.org"
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def cast(db, today) -> Cast:
    hmip = Body.objects.create(key="hmip", abbreviation="HMIP", name="HM Inspectorate of Prisons")
    cqc = Body.objects.create(key="cqc", abbreviation="CQC", name="Care Quality Commission")
    moj = Organisation.objects.create(key="moj", name="Ministry of Justice", sector="executive")
    hmpps = Organisation.objects.create(
        key="hmpps", name="HM Prison and Probation Service", parent=moj, sector="executive"
    )
    northbridge = Establishment.objects.create(
        key="hmp-northbridge",
        name="HMP Northbridge",
        type="prison",
        operator=hmpps,
        region="north",
    )
    southgate = Establishment.objects.create(
        key="hmp-southgate", name="HMP Southgate", type="prison", operator=hmpps, region="south"
    )
    alice = Person.objects.create(
        body=hmip,
        name="Alice Adams",
        category="staff",
        npm_role="frontline",
        gender="female",
        expertise=["legal"],
    )
    sam = Person.objects.create(
        body=hmip,
        name="Sam Secondee",
        category="secondee",
        npm_role="frontline",
        gender="male",
        expertise=["detention"],
    )
    carol = Person.objects.create(
        body=cqc,
        name="Carol Carter",
        category="staff",
        npm_role="frontline",
        gender="female",
        expertise=["medical"],
    )
    secondment = Secondment.objects.create(
        person=sam,
        origin=hmpps,
        origin_establishment=northbridge,
        return_establishment=southgate,
        start=today - dt.timedelta(days=100),
        end=today + dt.timedelta(days=600),
        open_process=True,
        published_criteria=True,
        justification="Custody expertise not found elsewhere",
    )
    return Cast(
        hmip=hmip,
        cqc=cqc,
        moj=moj,
        hmpps=hmpps,
        northbridge=northbridge,
        southgate=southgate,
        alice=alice,
        sam=sam,
        carol=carol,
        sam_secondment=secondment,
        coordinator=make_user("coordinator", Role.COORDINATOR),
        hmip_manager=make_user("hmip.manager", Role.MANAGER, body=hmip),
        cqc_manager=make_user("cqc.manager", Role.MANAGER, body=cqc),
        alice_user=make_user("alice", Role.STAFF, body=hmip, person=alice),
        sam_user=make_user("sam", Role.STAFF, body=hmip, person=sam),
        auditor=make_user("auditor", Role.AUDITOR),
    )


def verify_second_factor(client, user: User) -> None:
    """What the second sign-in step leaves in the session (the 2FA flow has its own tests)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from armslength.accounts.models import Authenticator

    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    device = device or Authenticator.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the Django test client signed in as that user."""

    def sign_in(user: User):
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached state (API request budgets live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts and ends in the installation's language: a request in another
    language leaves it active in the thread (LocaleMiddleware does not switch back)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


#: Tests broken when several pieces of work landed together on 2026-11-25 (the grouped
#: menu and pickers of issue 19 beside the browser flows of issues 12, 17, 18 and 20; the
#: API filtersets beside the special-category fuzz; the place-type vocabulary beside the
#: engine-label catalogue). Each is an open regression named in that session's closing
#: note, to be repaired, not a behaviour we accept: remove an entry once its test passes.
KNOWN_BROKEN: set[str] = set()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid in KNOWN_BROKEN:
            item.add_marker(pytest.mark.xfail(reason="open regression: see KNOWN_BROKEN"))
