"""Issue 12, finding 9: a secondee's own subject-access download names no unannounced
visit she is kept from.

Story: Sam is seconded out of HMP Northbridge, so the engine blocks him there. HMIP
plans an unannounced visit to Northbridge; its manager tries to put Sam on the team
(refused, and the refusal is on the visit's trail), then records Sam as unavailable
a later week and looks at Sam's verdict for the visit. Sam downloads everything held
about him: the visit, its date and its key appear nowhere in it, while his own
records (the unavailability he can read) are all there.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from armslength.visits.models import Unavailability, Visit
from armslength.visits.services import AssignmentRefused, assignment_add


@pytest.fixture
def secret(cast, today):
    day = today + dt.timedelta(days=40)
    return Visit.objects.create(
        key="hmip-northbridge-secret",
        body=cast.hmip,
        establishment=cast.northbridge,
        start=day,
        end=day + dt.timedelta(days=1),
        type="unannounced",
    )


def test_finding9_a_secondees_own_subject_access_names_no_visit_she_is_kept_from(
    cast, client_for, secret
):
    with pytest.raises(AssignmentRefused):
        assignment_add(visit=secret, person=cast.sam, role="member", user=cast.hmip_manager)
    Unavailability.objects.create(  # another week: his own record, which he reads
        person=cast.sam,
        start=secret.start + dt.timedelta(days=14),
        end=secret.start + dt.timedelta(days=15),
        reason="Training course",
    )
    manager = client_for(cast.hmip_manager)
    # the manager's own reads of the visit and of Sam's verdict for it
    assert manager.get(reverse("visits:visit_detail", args=[secret.pk])).status_code == 200
    assert (
        "Sam Secondee"
        in manager.get(reverse("visits:visit_history", args=[secret.pk])).content.decode()
    )

    sam = client_for(cast.sam_user)
    response = sam.get(reverse("register:person_subject_access", args=[cast.sam.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    document = json.loads(text)
    assert document["records"]["visits.unavailability"][0]["reason"] == "Training course"
    for tell in (
        secret.key,
        str(secret),
        secret.start.isoformat(),
        f"visits.visit:{secret.pk}",
        "refused assignment",
        "HMP Northbridge 20",
    ):
        assert tell not in text, tell
    # the operator's complete download (reader None) does hold the refusal: the test's
    # story did put the visit on Sam's trail
    from armslength.register.privacy import subject_access_json

    assert "refused assignment" in subject_access_json(cast.sam)
