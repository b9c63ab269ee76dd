# ruff: noqa: E501  (each template stays one line: the sentence a translator reads)
"""An engine reason in the reader's language, from its rule id and `params`.

The engine stays free of Django and writes each reason's English `text` from a
template and its values (engine/rules.py `_hit`), keeping the values in `params`.
Here the same templates are marked for translation: the one whose English,
filled from `params`, gives the reason's `text` is translated and filled with the
values in the reader's language (dates by the locale, the engine's few words
through gettext). A reason no template matches (an older stored one) shows its
English text unchanged.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

#: every sentence engine/rules.py writes for a reason, by rule
TEMPLATES: dict[str, tuple[str, ...]] = {
    "secondment-origin": (gettext_noop("Seconded from {establishment_name} ({period})"),),
    "secondment-return": (
        gettext_noop("Likely to return to {establishment_name} after the secondment ({period})"),
    ),
    "close-affiliation": (
        gettext_noop("A seconded officer with a current {kind_label} affiliation with {establishment_name} ({since})"),
        gettext_noop("A seconded officer who worked at {establishment_name} as {role} until {until}"),
    ),
    "secondment-operator": (
        gettext_noop("Origin {organisation_name} operates {establishment_name}; no assessment in force clears it"),
        gettext_noop("Origin {organisation_name} controls {establishment_name} through {operator_name}; no assessment in force clears it"),
        gettext_noop("Origin {organisation_name} operates {establishment_name}; cleared by the conflict assessment of {assessment_date} (review {review_due})"),
        gettext_noop("Origin {organisation_name} controls {establishment_name} through {operator_name}; cleared by the conflict assessment of {assessment_date} (review {review_due})"),
    ),
    "former-employment": (
        gettext_noop("Worked at {establishment_name} as {role} until {until}"),
        gettext_noop("Was seconded from {establishment_name} until {until} ({period})"),
    ),
    "current-position": (
        gettext_noop("{held} {role} at {establishment_name} ({since})"),
        gettext_noop("{held} {role}, {organisation_name} ({since})"),
    ),
    "personal-tie-authority": (gettext_noop("A declared {kind} tie with the authorities of {target}"),),
    "personal-tie": (gettext_noop("Refrain from interviewing {who}"),),
    "client": (gettext_noop("Must not interview or follow the case of {who}"),),
    "ngo-role": (gettext_noop("Share no information about detainees with {ngo}"),),
    "former-operator-employment": (
        gettext_noop("Worked for {organisation_name} as {role} until {until}; it runs {establishment_name}"),
    ),
    "incomplete-facts": (
        gettext_noop("The secondment {period} has no origin organisation: cannot tell where this person may not go"),
        gettext_noop("Recorded as a secondee with no secondment record: cannot tell where this person may not go"),
        gettext_noop("{establishment_name} has no recorded operator and this person is {why}: cannot tell whether they are linked"),
    ),
}  # fmt: skip

#: the engine's own words inside a reason (values of `held`, `why`, `who`, `kind`, …)
WORDS = {
    text: text
    for text in (
        gettext_noop("Holds"),
        gettext_noop("On leave from"),
        gettext_noop("a current secondee"),
        gettext_noop("holds a position with an organisation"),
        gettext_noop("family"),
        gettext_noop("friendship"),
        gettext_noop("the staff named in the declaration"),
        gettext_noop("the detainee named in the declaration"),
        gettext_noop("the client named in the declaration"),
        gettext_noop("the NGO named in the declaration"),
        gettext_noop("open-ended"),
        gettext_noop("ngo role"),
        gettext_noop("employment"),
        gettext_noop("position"),
        gettext_noop("client"),
        gettext_noop("political"),
        gettext_noop("financial"),
        gettext_noop("other employment"),
    )
}
DATES = ("start", "end", "until", "assessment_date", "review_due")


def reason_text(reason) -> str:
    """The reason's sentence in the active language (a Reason, or its JSON as stored)."""
    rule, text, params = _parts(reason)
    for template in TEMPLATES.get(rule, ()):
        try:
            english = template.format(**params)
        except (KeyError, IndexError, ValueError):
            continue
        if english == text:
            return gettext(template).format(**_localised(params))
    return text


def _parts(reason) -> tuple[str, str, dict]:
    if isinstance(reason, dict):
        return reason.get("rule", ""), reason.get("text", ""), reason.get("params") or {}
    return reason.rule, reason.text, getattr(reason, "params", None) or {}


def _day(value) -> str:
    try:
        return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return "…"


def _localised(params: dict) -> dict:
    values = {
        k: (gettext(v) if isinstance(v, str) and v in WORDS else v) for k, v in params.items()
    }
    for key in DATES:
        if params.get(key):
            values[key] = _day(params[key])
    start = _day(params.get("start")) if params.get("start") else "…"
    if params.get("end"):
        values["period"] = gettext("%(start)s to %(end)s") % {
            "start": start,
            "end": _day(params["end"]),
        }
    else:
        values["period"] = gettext("from %(start)s, open-ended") % {"start": start}
    values["since"] = (
        gettext("since %(date)s") % {"date": _day(params["start"])}
        if params.get("start")
        else gettext("open-ended")
    )
    if "kind_label" in params:
        values["kind_label"] = (
            gettext(params["kind_label"]) if params["kind_label"] in WORDS else params["kind_label"]
        )
    return values
