"""Expertise is one list the coordinator keeps (APT: what professional expertise is
required?), so "healthcare" here and "medical" there are not two things.

Stories: the coordinator adds forensic science; a manager may only read the
list; legal and medical never leave it; a spreadsheet row naming "astrology"
is an error at its row and column; a dataset from another NPM brings its own
words, which join the list, and the import says so.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from armslength.register.models import Expertise, Person, expertise_vocabulary
from armslength.screening.dataset_io import export_document, import_document
from armslength.spreadsheets.columns import KINDS
from armslength.spreadsheets.importer import Mapping, check
from armslength.spreadsheets.reading import read_sheet


def test_the_list_starts_with_legal_medical_and_the_apt_kinds(db):
    vocabulary = expertise_vocabulary()
    assert vocabulary["legal"] == "Legal" and vocabulary["medical"] == "Medical"
    assert vocabulary["social_work"] == "Social work"


def test_the_coordinator_adds_expertise_and_a_manager_only_reads_it(cast, client_for):
    coordinator = client_for(cast.coordinator)
    response = coordinator.post(
        reverse("register:expertise_add"), {"label": "Forensic science", "code": "forensics"}
    )
    assert response.status_code == 302
    assert expertise_vocabulary()["forensics"] == "Forensic science"
    manager = client_for(cast.hmip_manager)
    assert manager.get(reverse("register:expertise_list")).status_code == 200
    refused = manager.post(reverse("register:expertise_add"), {"label": "Yoga", "code": "yoga"})
    assert refused.status_code == 403
    assert not Expertise.objects.filter(code="yoga").exists()


@pytest.mark.parametrize("code", ["legal", "medical"])
def test_legal_and_medical_never_leave_the_list(cast, client_for, code):
    item = Expertise.objects.get(code=code)
    client = client_for(cast.coordinator)
    response = client.post(reverse("register:expertise_delete", args=[item.pk]), follow=True)
    assert Expertise.objects.filter(code=code).exists()
    assert "stays in the list" in response.content.decode()


def test_expertise_someone_holds_cannot_be_removed_but_an_unused_one_can(cast, client_for):
    client = client_for(cast.coordinator)
    detention = Expertise.objects.get(code="detention")  # Sam holds it
    client.post(reverse("register:expertise_delete", args=[detention.pk]))
    assert Expertise.objects.filter(code="detention").exists()
    anthropology = Expertise.objects.get(code="anthropology")
    client.post(reverse("register:expertise_delete", args=[anthropology.pk]))
    assert not Expertise.objects.filter(code="anthropology").exists()


def test_the_person_form_offers_the_list_and_refuses_a_code_outside_it(cast, client_for):
    client = client_for(cast.hmip_manager)
    page = client.get(reverse("register:person_edit", args=[cast.alice.pk])).content.decode()
    assert 'type="checkbox" name="expertise" value="social_work"' in page
    assert ">Social work<" in page or "Social work</label>" in page
    data = {
        "name": "Alice Adams",
        "body": cast.hmip.pk,
        "category": "staff",
        "gender": "female",
        "npm_role": "frontline",
        "full_time_npm": "on",
        "expertise": ["legal", "astrology"],
    }
    response = client.post(reverse("register:person_edit", args=[cast.alice.pk]), data)
    assert response.status_code == 400
    assert "astrology" in response.content.decode()
    assert Person.objects.get(pk=cast.alice.pk).expertise == ["legal"]


def test_a_spreadsheet_row_with_unknown_expertise_is_an_error_at_its_row_and_column(cast):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "name", "category", "gender", "expertise"])
    writer.writerow(["p1", "Good", "staff", "female", "legal; medical"])
    writer.writerow(["p2", "Stargazer", "staff", "female", "legal; astrology"])
    sheet = read_sheet(out.getvalue().encode(), "people.csv")
    kind = KINDS["people"]
    plan = check(kind, sheet, Mapping.guess(kind, sheet.header), body=cast.hmip)
    (error,) = plan.errors
    assert (error.row, error.column) == (3, "expertise")
    assert "astrology" in error.message and error.value == "legal; astrology"
    assert not Expertise.objects.filter(code="astrology").exists()


def test_a_dataset_import_adds_its_unknown_expertise_to_the_list_and_says_so(cast, today):
    document = export_document(today)
    carol = next(p for p in document["people"] if p["name"] == "Carol Carter")
    carol["expertise"] = ["medical", "forensic_psychiatry"]
    report = import_document(document, today=today)
    assert report.added_expertise == ["forensic_psychiatry"]
    assert "added to the list of expertise: forensic_psychiatry" in report.summary()
    assert expertise_vocabulary()["forensic_psychiatry"] == "Forensic psychiatry"
    assert Person.objects.get(name="Carol Carter").expertise == ["medical", "forensic_psychiatry"]


def test_a_dry_run_dataset_import_adds_nothing_to_the_list(cast, today):
    document = export_document(today)
    document["people"][0]["expertise"] = ["underwater_basket_weaving"]
    report = import_document(document, today=today, dry_run=True)
    assert report.added_expertise == ["underwater_basket_weaving"]
    assert not Expertise.objects.filter(code="underwater_basket_weaving").exists()
