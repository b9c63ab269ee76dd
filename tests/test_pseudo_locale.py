"""Nothing a person reads is left in English: the main pages, rendered as each role
through a pseudo-locale, show no text that a catalogue did not give.

The pseudo-locale is our Welsh slot with every one of our messages replaced by its
English text in ⟦brackets⟧ (GNU gettext's msgen and msgfilter make it from the
committed catalogue), so Django's own Welsh (month names, form errors) stays. A page
is rendered in English and in the pseudo-locale; any text that is the same in both and
is not data (names and values from the register, the policy's own texts), a proper
name or a citation is a string no translator saw.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from armslength.accounts.models import User
from armslength.register.demo import load_demo

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
#: the same in every language: the product, acronyms, citations, APT question labels
PROPER = re.compile(
    r"APT: [a-z ()0-9.]+|armslength|OPCAT|\bUK-\d+\b|art\. [\d.]+|\b[A-Z][A-Z0-9]+s?\b|"
    r"\b(?:secondment-origin|secondment-return|close-affiliation|incomplete-facts)\b|"
    r"Cymraeg|Français|English"  # each language's name in its own language, in the chooser
)
WORD = re.compile(r"[^\W\d_]{2,}")


class Text(HTMLParser):
    """The text nodes and read attributes of a page, without scripts, styles and code."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre"):
            self.skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.found.append(value.strip())
        if tag == "button" or (tag == "input" and dict(attrs).get("type") == "submit"):
            value = dict(attrs).get("value")
            if tag == "input" and value:
                self.found.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.found.append(" ".join(data.split()))


def texts(html: str) -> set[str]:
    parser = Text()
    parser.feed(html)
    return set(parser.found)


@pytest.fixture
def pseudo_locale(tmp_path, settings):
    """Our Welsh catalogue replaced by ⟦English⟧ for every message."""
    if not (shutil.which("msgen") and shutil.which("msgfilter") and shutil.which("msgfmt")):
        pytest.skip("GNU gettext (msgen, msgfilter, msgfmt) is not installed")
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    english = folder / "en.po"
    subprocess.run(["msgen", "-o", english, CATALOGUE], check=True)
    pseudo = folder / "django.po"
    subprocess.run(
        [
            "msgfilter",
            "--keep-header",
            "-i",
            english,
            "-o",
            pseudo,
            "sed",
            "-e",
            "s/^/⟦/",
            "-e",
            "s/$/⟧/",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(["msgfmt", "-o", folder / "django.mo", pseudo], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    from django.utils.translation import trans_real

    trans_real._translations = {}
    yield
    trans_real._translations = {}


def register_data() -> set[str]:
    """Every string value held in the database: names, notes, the policy's own texts."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model._meta.app_label.startswith(
            ("register", "declarations", "compliance", "visits", "accounts", "screening", "reports")
        ):
            continue  # fmt: skip
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            values.update(str(v).strip() for v in row if v)
    from armslength.screening.models import current_policy

    policy = current_policy()[0]
    values.update(r.summary for r in policy.rules.values())
    values.update(f.action for f in policy.findings.values())
    values.update(f"{f.id}" for f in policy.findings.values())
    values.update(r.id for r in policy.rules.values())
    values.add(policy.name)
    for source in policy.parameter_sources.values():  # the policy file's own words
        values.update(str(v) for v in vars(source).values() if isinstance(v, str) and v)
    return {v for v in values if v}


def untranslated(english: set[str], pseudo: set[str], data: set[str]) -> set[str]:
    left = set()
    for text in english & pseudo:
        rest = text
        for value in sorted((d for d in data if d in rest), key=len, reverse=True):
            rest = rest.replace(value, " ")
        rest = PROPER.sub(" ", rest)
        if WORD.search(rest):
            left.add(text)
    return left


def main_pages(visit_pk, person_pk, round_pk, year) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "people": reverse("register:person_list"),
        "person": reverse("register:person_detail", args=[person_pk]),
        "secondments": reverse("register:secondment_list"),
        "declarations": reverse("declarations:affiliation_list"),
        "screening": reverse("screening:screening"),
        "compliance": reverse("compliance:dashboard"),
        "rounds": reverse("compliance:declarationround_list"),
        "round": reverse("compliance:declarationround_detail", args=[round_pk]),
        "visits": reverse("visits:visit_list"),
        "visit": reverse("visits:visit_detail", args=[visit_pk]),
        "calendar": reverse("visits:calendar"),
        "establishments": reverse("register:establishment_list"),
        "organisations": reverse("register:organisation_list"),
        "plan teams": reverse("visits:planning"),
        "import": reverse("spreadsheets:start"),
        "policy": reverse("screening:policy"),
        "annual report": reverse("reports:report") + f"?year={year}",
        "audit": reverse("audit:trail"),
    }


ROLES = ["coordinator", "manager.hmip", "staff.hmip", "secondee.hmip", "auditor"]
#: Pages that still show text no catalogue gives, and where it comes from (issue 20,
#: step 3, not finished). The test fails if one of these becomes clean (take it off
#: the list) as well as when any other page shows untranslated text.
KNOWN_GAPS = {
    "person": "languages are shown as recorded (free text such as 'english')",
    "annual report": "the report's text (reports/report.py) is not marked yet",
    "audit": "auditlog's actions, model labels and raw field names",
    "home": "the auditor's latest changes come from the audit trail (see audit)",
}


def test_main_pages_show_no_untranslated_text_to_any_role(db, client, pseudo_locale, today):
    from armslength.compliance.models import DeclarationRound
    from armslength.visits.models import Visit
    from tests.conftest import verify_second_factor

    load_demo(seed=1, today=today)
    visit = Visit.objects.filter(body__key="hmip", assignments__isnull=False).first()
    visit = visit or Visit.objects.filter(body__key="hmip").first()
    person = User.objects.get(username="secondee.hmip").person
    pages = main_pages(visit.pk, person.pk, DeclarationRound.objects.first().pk, today.year - 1)
    data = register_data()
    found: dict[str, set[str]] = {}
    rendered = 0
    for username in ROLES:
        user = User.objects.get(username=username)
        client.force_login(user)
        verify_second_factor(client, user)
        for name, url in pages.items():
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
            english = client.get(url)
            if english.status_code != 200:
                continue  # not this role's page
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
            pseudo = client.get(url)
            assert pseudo.status_code == 200, (username, name)
            rendered += 1
            left = untranslated(
                texts(english.content.decode()), texts(pseudo.content.decode()), data
            )
            if left:
                found[f"{username} {name}"] = left
        client.logout()
    assert rendered >= 40
    clean = {page for page in pages if not any(key.endswith(f" {page}") for key in found)}
    assert not clean & KNOWN_GAPS.keys(), (
        f"now translated, take off KNOWN_GAPS: {clean & KNOWN_GAPS.keys()}"
    )
    unexpected = {
        key: left for key, left in found.items() if key.split(" ", 1)[1] not in KNOWN_GAPS
    }
    assert not unexpected, "\n".join(f"{page}: {sorted(left)}" for page, left in unexpected.items())
