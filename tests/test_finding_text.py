"""Compliance findings' details (engine/findings.py) read in Welsh and French.

The demo register's findings, as the compliance dashboard shows them: each detail
the engine writes in English is recognised and translated, its names and dates kept.
"""

from __future__ import annotations

import re

from django.utils import translation

from armslength.compliance.finding_text import finding_text
from armslength.compliance.services import findings_sync
from armslength.register.demo import load_demo


def test_every_finding_of_the_demo_reads_in_welsh_and_french(db, today):
    load_demo(seed=1, today=today)
    texts = {record.text for record in findings_sync()}
    assert len(texts) >= 10
    for language in ("cy", "fr"):
        with translation.override(language):
            for text in texts:
                translated = finding_text(text)
                assert translated != text, (language, text)
                assert "{" not in translated and not re.search(r"\d{4}-\d{2}-\d{2}", translated)


def test_a_finding_keeps_its_values_with_dates_in_the_locale():
    with translation.override("fr"):
        text = finding_text(
            "Secondment 2026-09-26 to open-ended began after 2014-06-01 and lacks "
            "an open recruitment process, published criteria"
        )
    assert text == (
        "Le détachement du 26 septembre 2026 au sans fin a commencé après le 1 juin 2014 "
        "et il y manque : un processus de recrutement ouvert, critères publiés"
    )
    with translation.override("cy"):
        assert finding_text("Nobody in the NPM has legal or medical expertise") == (
            "Nid oes gan neb yn y Mecanwaith arbenigedd cyfreithiol neu meddygol"
        )
