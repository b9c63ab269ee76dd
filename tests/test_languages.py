"""Languages: English, Welsh and French; the sign-in page follows the browser, a
chooser on every page switches (without script), a signed-in person's choice is kept
on their account, and dates follow the active language."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from armslength.accounts.models import User

CODES = ("en-gb", "cy", "fr")


def test_the_three_languages_and_a_locale_folder_that_exists():
    assert tuple(code for code, _name in settings.LANGUAGES) == CODES
    assert all(Path(p).is_dir() for p in settings.LOCALE_PATHS)


def test_sign_in_page_follows_the_browsers_language(client, db):
    for accept, lang in [("cy", "cy"), ("fr-FR,fr;q=0.9", "fr"), ("de", "en-gb")]:
        response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()
        assert response["Content-Language"] == lang


def test_sign_in_page_offers_the_chooser_as_a_form_without_script(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("language")}"' in html
    for code, name in settings.LANGUAGES:
        assert f'value="{code}" lang="{code}"' in html and name in html
    assert "onclick" not in html and "<script>" not in html


def test_choosing_a_language_before_sign_in_sets_the_browsers_cookie(client, db):
    response = client.post(reverse("language"), {"language": "cy", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert '<html lang="cy">' in client.get("/login/").content.decode()


def test_a_signed_in_persons_choice_is_kept_on_the_account(client_for, cast):
    client = client_for(cast.hmip_manager)
    response = client.post(reverse("language"), {"language": "fr", "next": "/people/"})
    assert response["Location"] == "/people/"
    cast.hmip_manager.refresh_from_db()
    assert cast.hmip_manager.language == "fr"
    # another browser (no cookie) asking for Welsh still gets the account's French
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="cy")
    assert '<html lang="fr">' in page.content.decode()
    assert page["Content-Language"] == "fr"
    assert 'value="fr" lang="fr" class="link-button" aria-current="true"' in page.content.decode()


def test_the_language_change_is_on_the_audit_trail(client_for, cast):
    from auditlog.models import LogEntry

    client_for(cast.alice_user).post(reverse("language"), {"language": "cy"})
    entry = LogEntry.objects.get_for_object(cast.alice_user).order_by("-pk").first()
    assert "language" in entry.changes_dict


def test_an_unknown_language_or_a_get_changes_nothing(client_for, cast):
    client = client_for(cast.coordinator)
    assert client.post(reverse("language"), {"language": "de"}).status_code == 400
    assert client.get(reverse("language"), {"language": "fr"}).status_code == 405
    assert User.objects.get(pk=cast.coordinator.pk).language == ""


def test_the_next_address_never_leaves_the_site(client, db):
    response = client.post(reverse("language"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_dates_follow_the_active_language(client_for, cast, today):
    client = client_for(cast.hmip_manager)
    url = reverse("register:secondment_detail", args=[cast.sam_secondment.pk])
    start = cast.sam_secondment.start
    months = {
        "en-gb": ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre"],
        "cy": ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst",
               "Medi", "Hydref", "Tachwedd", "Rhagfyr"],
    }  # fmt: skip
    for code, names in months.items():
        client.post(reverse("language"), {"language": code})
        html = client.get(url).content.decode()
        assert f"{start.day} {names[start.month - 1]} {start.year}" in html, code
    assert isinstance(start, dt.date)


def test_every_engine_label_has_a_translation_in_both_languages():
    from django.utils import translation

    from armslength.core.labels import LABELS, VERDICT_LABELS
    from armslength.engine import codes

    pairs = [
        getattr(codes, name)
        for name in dir(codes)
        if name.isupper() and isinstance(getattr(codes, name), tuple)
    ]
    english = {
        label for group in pairs for item in group if isinstance(item, tuple) for label in item[1:]
    }
    assert english <= LABELS.keys()
    same_word = {("cy", "Staff"), ("fr", "Client")}  # the same word in both languages
    for language in ("cy", "fr"):
        with translation.override(language):
            for text, label in [*LABELS.items(), *VERDICT_LABELS.items()]:
                assert str(label) != str(text) or (language, text) in same_word, (language, text)


def test_choice_labels_follow_the_active_language(client_for, cast):
    client = client_for(cast.hmip_manager)
    client.post(reverse("language"), {"language": "fr"})
    html = client.get(reverse("register:person_detail", args=[cast.sam.pk])).content.decode()
    assert "Agent détaché" in html
    client.post(reverse("language"), {"language": "cy"})
    html = client.get(reverse("register:person_detail", args=[cast.sam.pk])).content.decode()
    assert "Secondai" in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_the_pdf_report_renders_in_welsh_and_in_french(client_for, cast, today, tmp_path):
    client = client_for(cast.coordinator)
    expected = {
        "cy": ["Adroddiad blynyddol ar weithredu", "Cynhyrchwyd gan armslength ar"],
        "fr": ["Rapport annuel sur la mise en", "Produit par armslength le"],
    }
    for language in ("cy", "fr"):
        client.post(reverse("language"), {"language": language})
        response = client.get(reverse("reports:pdf"), {"year": today.year})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        path = tmp_path / f"report-{language}.pdf"
        path.write_bytes(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
        text = " ".join(
            subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout.split()
        )
        for phrase in expected[language]:
            assert phrase in text, (language, phrase)
        with translation.override(language):  # the day it was made, in the language's words
            assert date_format(today, "j F Y") in text


def test_the_person_picker_and_its_labels_speak_the_readers_language(client_for, cast):
    """The search box picker.js adds takes its words from the page, so it is translated
    too; place types and rule titles come through the Django edge, not the engine."""
    client = client_for(cast.hmip_manager)
    client.post(reverse("language"), {"language": "fr"})
    html = client.get(reverse("accounts:user_add")).content.decode()
    assert 'data-picker-label="Saisissez pour filtrer les choix ci-dessous"' in html
    assert "sans service" in html  # the picker's "no unit" beside Alice's name
    html = client.get(cast.northbridge.get_absolute_url()).content.decode()
    assert "Établissement pénitentiaire" in html
    client.post(reverse("language"), {"language": "cy"})
    html = client.get(reverse("screening:policy")).content.decode()
    assert "Ar secondiad o&#x27;r sefydliad hwn" in html or "Ar secondiad o'r sefydliad hwn" in html


def test_the_audit_trail_names_actions_and_record_types_in_the_readers_language(client_for, cast):
    client = client_for(cast.auditor)
    client.post(reverse("language"), {"language": "fr"})
    html = client.get(reverse("audit:trail")).content.decode()
    assert "création" in html  # the cast's records were created
    assert ">create<" not in html
    assert "Register | person" not in html and "Register | personne" not in html
