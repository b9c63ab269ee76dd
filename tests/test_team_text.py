"""The team rules' warnings and refusals (engine/team.py) read in Welsh and French.

The engine writes English sentences and stays free of Django; visits/team_text.py
reads each back against its template and gives the translation. Every sentence the
engine writes in these stories must be recognised: an English one left in a Welsh
or French page is what this test catches.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from armslength.engine import team
from armslength.visits.team_text import team_text

FIRST = dt.date(2026, 3, 10)
LAST = dt.date(2026, 3, 12)


def sentences() -> list[str]:
    """Every kind of sentence the team rules write, from real engine calls."""
    leaver = team.Post("Lee Leaver", "staff", "frontline", left=dt.date(2026, 3, 11))
    newcomer = team.Post("Nia New", "staff", "", joined=dt.date(2026, 3, 11))
    member = team.Post(
        "Mo Member", "member", "frontline", term_start=None, term_end=dt.date(2026, 3, 9)
    )
    secondee = team.Post(
        "Sam Secondee", "secondee", "frontline", secondments=((None, dt.date(2026, 3, 1)),)
    )
    idle = team.Post("Ida Idle", "staff", team.NON_NPM)
    busy = team.Post("Bo Busy", "staff", "frontline")
    other = team.Booking("v-other", FIRST, LAST, "member", label="HMP Elsewhere")
    own = team.Booking("v-1", FIRST, LAST, "member")
    needs = team.Needs("v-1", FIRST, LAST, team_size=8, requires={"medical": 2}, min_women=2)
    members = [
        team.Member(leaver, "member"),
        team.Member(newcomer, "member"),
        team.Member(member, "member"),
        team.Member(secondee, "member"),
        team.Member(idle, "member"),
        team.Member(
            busy,
            "member",
            gender="female",
            max_visits=0,
            max_days=1,
            unavailable=((FIRST, FIRST),),
            bookings=(own, other),
        ),
    ]
    found = team.team_problems(needs, members, labels={"medical": "Medical"})
    found += team.team_problems(
        team.Needs("v-1", FIRST, LAST, team_size=1, min_women=1), [team.Member(busy, "member")]
    )
    found.append(team.lead_refusal(secondee, can_lead=True, first=FIRST, last=LAST))
    found.append(team.lead_refusal(busy, can_lead=False, first=FIRST, last=LAST))
    return found


def test_every_team_sentence_is_translated_in_welsh_and_french():
    english = sentences()
    assert len(english) >= 15
    for start in ("No lead yet.", "6 of 8 team members", "Ida Idle does no NPM work"):
        assert any(s.startswith(start) for s in english), start
    for language in ("cy", "fr"):
        with translation.override(language):
            for sentence in english:
                translated = team_text(sentence)
                assert translated != sentence, (language, sentence)
                assert "{" not in translated, (language, translated)


def test_values_are_kept_and_dates_follow_the_locale():
    text = "Lee Leaver is not in post on 2026-03-11 to 2026-03-12: left on 2026-03-11."
    with translation.override("fr"):
        french = team_text(text)
    assert "Lee Leaver" in french and "11 mars 2026" in french and "12 mars 2026" in french
    with translation.override("cy"):
        welsh = team_text("Needs at least 1 woman; has 0.")
    assert welsh == "Angen o leiaf 1 fenyw; mae 0."


@pytest.mark.parametrize("text", ["Something the engine says that no template knows.", ""])
def test_an_unknown_sentence_shows_unchanged(text):
    with translation.override("fr"):
        assert team_text(text) == text
