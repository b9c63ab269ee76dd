# ruff: noqa: E501  (each template stays one line: the sentence a translator reads)
"""The team rules' sentences (engine/team.py) in the reader's language.

The engine stays free of Django and writes each warning or refusal as an English
sentence from a fixed template. Here the same templates are marked for
translation: the sentence is matched against each template (its values read
back), and the template's translation is filled with the values in the reader's
language (dates by the locale, an expertise by its label). A sentence no template
matches (a newer engine sentence, a value this module cannot read) shows unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext

#: (English template, English plural or None, the value that chooses the plural)
TEMPLATES: tuple[tuple[str, str | None, str | None], ...] = (
    ("{done} of {size} team member so far.", "{done} of {size} team members so far.", "size"),
    ("Needs {n} with {expertise} expertise; has {have}.", None, None),
    ("Needs at least {n} woman; has {women}.", "Needs at least {n} women; has {women}.", "n"),
    (gettext_noop("No lead yet."), None, None),
    (gettext_noop("{name} is unavailable on some of these days."), None, None),
    (gettext_noop("{name} is over their limit of {n} visits a year."), None, None),
    (gettext_noop("{name} is over their limit of {n} visit days a year."), None, None),
    (gettext_noop("{name} does no NPM work (NPM role: not NPM work; UK-9)."), None, None),
    (gettext_noop("{name} is not in post on {when}: {why}."), None, None),
    (gettext_noop("{name}'s NPM role is not recorded (UK-9)."), None, None),
    (gettext_noop("{name} is seconded: leadership is never held by seconded staff (APT: seconded officials)."), None, None),
    (gettext_noop("{name} is not recorded as able to lead visits."), None, None),
    (gettext_noop("{name} is also on {visit}."), None, None),
)  # fmt: skip

#: why someone is not in post (the `why` above)
WHY = (
    gettext_noop("joins only on {date}"),
    gettext_noop("left on {date}"),
    gettext_noop("term of office starts only on {date}"),
    gettext_noop("term of office ended on {date}"),
    gettext_noop("secondment ended on {date}"),
    gettext_noop("no secondment covers these days"),
)

# The plural sentences, for makemessages (ngettext's msgid and msgid_plural):
# ngettext("{done} of {size} team member so far.", "{done} of {size} team members so far.", n)
# ngettext("Needs at least {n} woman; has {women}.", "Needs at least {n} women; has {women}.", n)
# gettext("Needs {n} with {expertise} expertise; has {have}.")
_MARKED = (
    lambda n: ngettext("{done} of {size} team member so far.", "{done} of {size} team members so far.", n),
    lambda n: ngettext("Needs at least {n} woman; has {women}.", "Needs at least {n} women; has {women}.", n),
    lambda: gettext("Needs {n} with {expertise} expertise; has {have}."),
)  # fmt: skip

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# the engine writes the plural form for one as well ("1 of 1 team members"); read both
_ENGINE_FORMS = {
    "{done} of {size} team member so far.": "{done} of {size} team members so far.",
}


@cache
def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.S)


def _day(text: str) -> str:
    return ISO.sub(lambda m: date_format(dt.date.fromisoformat(m.group(0)), "DATE_FORMAT"), text)


def _when(text: str) -> str:
    parts = text.split(" to ")
    if len(parts) == 2:
        return gettext("%(start)s to %(end)s") % {"start": _day(parts[0]), "end": _day(parts[1])}
    return _day(text)


def _why(text: str) -> str:
    for template in WHY:
        match = _pattern(template).match(text)
        if match:
            return gettext(template).format(**{k: _day(v) for k, v in match.groupdict().items()})
    return text


def _values(values: dict) -> dict:
    from armslength.core.labels import label

    out = dict(values)
    if "when" in out:
        out["when"] = _when(out["when"])
    if "why" in out:
        out["why"] = _why(out["why"])
    if "expertise" in out:
        out["expertise"] = str(label(out["expertise"]))
    return out


def team_text(sentence) -> str:
    """A team warning or refusal in the active language (unchanged if not recognised)."""
    text = str(sentence)
    for singular, plural, count in TEMPLATES:
        for english in filter(None, (singular, plural, _ENGINE_FORMS.get(singular))):
            match = _pattern(english).match(text)
            if not match:
                continue
            values = match.groupdict()
            if plural is not None:
                try:
                    n = int(values[count])
                except ValueError:
                    return text
                translated = ngettext(singular, plural, n)
            else:
                translated = gettext(singular)
            return translated.format(**_values(values))
    return text
