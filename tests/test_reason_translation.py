"""Engine reasons reach the reader in their language: every reason the UK demo's
register produces is matched to its template by rule id and params, and renders in
Welsh and French with dates in the locale's format; an unknown text stays as it was."""

from __future__ import annotations

import re

from django.utils import translation

from armslength.engine.verdicts import Reason, Verdict
from armslength.register.demo import load_demo
from armslength.screening.reasons import reason_text
from armslength.screening.services import screen_register

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_every_reason_of_the_demo_renders_in_welsh_and_french(db, today):
    load_demo(seed=1, today=today)
    screening = screen_register(today)
    results = screening.for_people(sorted(screening.ctx.facts))
    reasons = [r for result in results for r in result.reasons]
    assert len({r.rule for r in reasons}) >= 6
    for reason in reasons:
        english = reason_text(reason)
        assert not ISO.search(english), english  # dates by the locale, in English too
        for language in ("cy", "fr"):
            with translation.override(language):
                text = reason_text(reason)
            assert text != english and not ISO.search(text), (language, reason.rule, text)
            for value in ("establishment_name", "organisation_name"):
                if reason.params.get(value) and reason.params[value] in reason.text:
                    assert reason.params[value] in text  # names are data: kept as they are


def test_a_stored_reason_as_json_renders_too_and_an_unknown_one_stays_english():
    reason = Reason(
        "secondment-origin",
        Verdict.BLOCK,
        ("UK-14",),
        "Seconded from HMP Northbridge (2025-01-02 to open-ended)",
        params={"establishment_name": "HMP Northbridge", "start": "2025-01-02", "end": None,
                "period": "2025-01-02 to open-ended"},
    )  # fmt: skip
    with translation.override("fr"):
        assert (
            reason_text(reason.as_json())
            == "Détaché(e) de HMP Northbridge (à partir du 2 janvier 2025, sans date de fin)"
        )
        unknown = {"rule": "secondment-origin", "text": "Something else", "params": {}}
        assert reason_text(unknown) == "Something else"
