# ruff: noqa: E501  (each template stays one line: the sentence a translator reads)
"""Compliance findings' details (engine/findings.py) in the reader's language.

As for the team rules (visits/team_text.py): the engine writes English and stays free
of Django; here each finding's sentence is read back against the engine's template
and its translation filled with the values, dates by the locale. A sentence no
template matches shows unchanged.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from armslength.visits.team_text import _day, _pattern, _when

TEMPLATES = (
    gettext_noop("{name} has no NPM role recorded"),
    gettext_noop("Secondment {period} began after {date} and lacks {missing}"),
    gettext_noop("Secondment {period} was not filled by a merit-based selection"),
    gettext_noop("The latest assessment ({date}) was due for review on {due}"),
    gettext_noop("No conflict-of-interest assessment"),
    gettext_noop("No supervision recorded in the last {n} days"),
    gettext_noop("Has not acknowledged the duty to act with real and perceived independence"),
    gettext_noop("{name} is recorded as a secondee but has no secondment record: their verdicts are block everywhere until it is recorded"),
    gettext_noop("A secondee holds a leadership or decision-making position"),
    gettext_noop("A secondee reports to their organisation of origin"),
    gettext_noop("A secondee is not dedicated full time to NPM work"),
    gettext_noop("{name} is on leave from {role} at {organisation} ({sector})"),
    gettext_noop("{name} holds {role} at {organisation} ({sector})"),
    gettext_noop("Other employment: {role} at {target}"),
    gettext_noop("A declared political allegiance ({what})"),
    gettext_noop("The term of office ended on {date} while the member is still active"),
    gettext_noop("The term of office ends on {date}"),
    gettext_noop("Left on {date} without acknowledging continuing confidentiality"),
    gettext_noop("No current member, staff member or secondee has {missing} expertise"),
    gettext_noop("Nobody in the NPM has {missing} expertise"),
    gettext_noop("{label} are {count} of {total} current members, staff and secondees, below {share}"),
)  # fmt: skip

#: the engine's own words inside a finding (what a recruitment lacks, who falls short)
WORDS = {
    text: text
    for text in (
        gettext_noop("an open recruitment process"),
        gettext_noop("published criteria"),
        gettext_noop("the justification that the expertise is not available elsewhere"),
        gettext_noop("an inclusive process (recorded as not inclusive)"),
        gettext_noop("Women"),
        gettext_noop("Men"),
        gettext_noop("legal"),
        gettext_noop("medical"),
        gettext_noop("a role"),
        gettext_noop("see declaration"),
    )
}


def _word(text: str) -> str:
    return gettext(text) if text in WORDS else text


def _values(values: dict) -> dict:
    from armslength.core.labels import label

    out = {k: _day(v) for k, v in values.items()}
    if "period" in values:
        out["period"] = _when(values["period"].replace("open-ended", gettext("open-ended")))
    if "missing" in values:
        parts = [p for part in values["missing"].split(", ") for p in part.split(" or ")]
        joiner = ", " if ", " in values["missing"] else gettext(" or ")
        out["missing"] = joiner.join(_word(p) for p in parts)
    if "sector" in values:
        out["sector"] = str(label(values["sector"].capitalize())).lower()
    for key in ("label", "role", "what"):
        if key in values:
            out[key] = _word(values[key])
    return out


def finding_text(sentence) -> str:
    """A finding's detail in the active language (unchanged if not recognised)."""
    text = str(sentence)
    for template in TEMPLATES:
        match = _pattern(template).match(text)
        if match:
            return gettext(template).format(**_values(match.groupdict()))
    return text
