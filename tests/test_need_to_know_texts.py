"""Issue 12, findings 3 and 5: need-to-know in every text, not only on the record's page.

Story: Alice leads an unannounced visit to HMP Northbridge and is also on an
announced, joint HMIP-CQC visit to HMP Southgate the same day, with Sam. She
has declared a family tie with a nurse at Southgate, so on that visit she must
refrain from interviewing him. Sam (a secondee, outside the Northbridge team)
and CQC's manager both read the Southgate visit: its team warning must not
name the Northbridge visit; its history must not show Alice's restriction, nor
(to CQC) who HMIP was refused. Supervision notes leave no words in history, and
every page that shows a tie's content writes an access-log entry.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from armslength.compliance.models import Supervision
from armslength.declarations.models import Affiliation
from armslength.visits.models import Assignment, Visit
from armslength.visits.services import AssignmentRefused, assignment_add


@pytest.fixture
def story(cast, today):
    day = today + dt.timedelta(days=30)
    secret = Visit.objects.create(
        key="secret",
        body=cast.hmip,
        establishment=cast.northbridge,
        start=day,
        end=day,
        type="unannounced",
    )
    Assignment.objects.create(visit=secret, person=cast.alice, role="lead")
    joint = Visit.objects.create(
        key="joint", body=cast.hmip, establishment=cast.southgate, start=day, end=day
    )
    joint.partner_bodies.add(cast.cqc)
    tie = Affiliation.objects.create(
        person=cast.alice,
        kind="family",
        establishment=cast.southgate,
        with_role="staff",
        detail="Lee Hart (nurse)",
        start=dt.date(2020, 1, 1),
    )
    Assignment.objects.create(visit=joint, person=cast.sam, role="lead")
    Assignment.objects.create(
        visit=joint,
        person=cast.alice,
        role="member",
        verdict="restricted",
        reasons=[
            {
                "rule": "personal-tie",
                "verdict": "restricted",
                "cites": ["UK-14"],
                "text": "Refrain from interviewing Lee Hart (nurse)",
            }
        ],
    )
    return {"secret": secret, "joint": joint, "tie": tie}


def page(client, name, visit):
    return client.get(reverse(name, args=[visit.pk])).content.decode()


def test_finding3_a_team_warning_does_not_name_another_unannounced_visit(cast, client_for, story):
    secret_label = str(story["secret"])
    sam_view = page(client_for(cast.sam_user), "visits:visit_detail", story["joint"])
    assert secret_label not in sam_view
    cqc_view = page(client_for(cast.cqc_manager), "visits:visit_detail", story["joint"])
    assert secret_label not in cqc_view
    # whoever may know of it still reads where she is
    hmip_view = page(client_for(cast.hmip_manager), "visits:visit_detail", story["joint"])
    assert f"Alice Adams is also on {secret_label}." in hmip_view


def test_finding5_history_hides_a_teammates_restriction_as_the_visit_page_does(
    cast, client_for, story
):
    # a member who does not lead reads neither the restriction nor the tie, on either page
    Assignment.objects.filter(visit=story["joint"], person=cast.sam).update(role="member")
    sam = client_for(cast.sam_user)
    assert "Lee Hart" not in page(sam, "visits:visit_detail", story["joint"])
    assert "Lee Hart" not in page(sam, "visits:visit_history", story["joint"])


def test_the_visits_manager_still_reads_the_restriction_in_history(cast, client_for, story):
    manager_history = page(client_for(cast.hmip_manager), "visits:visit_history", story["joint"])
    assert "Refrain from interviewing Lee Hart (nurse) (UK-14)" in manager_history
    # in words, not as "a set of figures"
    assert "a set of figures" not in manager_history


def test_a_partners_manager_reads_their_own_persons_restriction_in_history(cast, client_for, story):
    """On a joint visit, the restriction of a partner body's person is read by that body's
    managers (the visit page shows it to them) and not by the lead body's."""
    Affiliation.objects.create(
        person=cast.carol,
        kind="friendship",
        establishment=cast.southgate,
        with_role="staff",
        detail="Kim Lowe (officer)",
        start=dt.date(2021, 1, 1),
    )
    joint = story["joint"]
    cqc = client_for(cast.cqc_manager)
    cqc.post(
        reverse("visits:team_add", args=[joint.pk]), {"person": cast.carol.pk, "role": "member"}
    )
    assert Assignment.objects.filter(visit=joint, person=cast.carol, verdict="restricted").exists()
    assert "Kim Lowe" in page(cqc, "visits:visit_detail", joint)
    assert "Refrain from interviewing Kim Lowe (officer)" in page(
        cqc, "visits:visit_history", joint
    )
    # …and CQC's managers still do not read HMIP's Alice's restriction
    assert "Lee Hart" not in page(cqc, "visits:visit_history", joint)
    hmip = client_for(cast.hmip_manager)
    assert "Kim Lowe" not in page(hmip, "visits:visit_history", joint)
    assert "Kim Lowe" not in page(client_for(cast.sam_user), "visits:visit_history", joint)


def test_finding5_a_partner_manager_does_not_see_the_lead_bodys_refused_candidates(
    cast, client_for, story, today
):
    hmip_manager = cast.hmip_manager
    with pytest.raises(AssignmentRefused):
        assignment_add(visit=story["joint"], person=cast.alice, role="lead", user=hmip_manager)
    cqc_history = page(client_for(cast.cqc_manager), "visits:visit_history", story["joint"])
    assert "refused" not in cqc_history.lower()
    hmip_history = page(client_for(hmip_manager), "visits:visit_history", story["joint"])
    assert "refused" in hmip_history.lower()


def test_finding5_supervision_notes_leave_no_words_in_history(cast, client_for, today):
    Supervision.objects.create(
        person=cast.sam, date=today, supervisor="Pat", notes="worries about the return posting"
    )
    history = page(client_for(cast.hmip_manager), "register:person_history", cast.sam)
    assert "posting" not in history and "worries" not in history


def tie_views(tie) -> int:
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(tie.pk), content_type__model="affiliation"
    ).count()


@pytest.mark.parametrize(
    "where",
    [
        "person page",
        "person history",
        "screening",
        "screening csv",
        "visit page",
        "visit history",
        "verdicts",
        "subject access",
    ],
)
def test_finding5_each_display_of_a_ties_content_is_access_logged(cast, client_for, story, where):
    manager = client_for(cast.hmip_manager)
    alice, tie = cast.alice, story["tie"]
    urls = {
        "person page": reverse("register:person_detail", args=[alice.pk]),
        "person history": reverse("register:person_history", args=[alice.pk]),
        "screening": reverse("screening:screening"),
        "screening csv": reverse("screening:screening") + "?export=csv",
        "visit page": reverse("visits:visit_detail", args=[story["joint"].pk]),
        "visit history": reverse("visits:visit_history", args=[story["joint"].pk]),
        "verdicts": f"/api/verdicts/?person={alice.key}&establishment={cast.southgate.key}",
        "subject access": reverse("register:person_subject_access", args=[alice.pk]),
    }
    before = tie_views(tie)
    response = manager.get(urls[where])
    assert response.status_code == 200
    assert tie_views(tie) > before
