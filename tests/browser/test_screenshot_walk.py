"""Screenshots as a check: the main pages, as each role that may see them, at a
laptop's 1366 px and a phone's 390 px.

On every page: the page itself never scrolls sideways (a wide table scrolls in
its own box), and no code from the models' choice lists or the expertise list
(`social_work`, `mental_health_detention`) shows in the text a person reads.
Each screenshot is saved in tests/artefacts/screens/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from armslength.engine import codes
from armslength.register.demo import load_demo
from tests.conftest import verify_second_factor

SCREENS = Path(__file__).resolve().parent.parent / "artefacts" / "screens"
WIDTHS = (1366, 390)

#: page name -> how to find its path (a fixed URL or a function of the demo register)
COMMON = ("home", "establishments", "organisations", "policy")
ROLE_PAGES = {
    "manager.hmip": (
        *COMMON,
        "people",
        "person",
        "secondments",
        "declarations",
        "screening",
        "compliance",
        "rounds",
        "visits",
        "visit",
        "calendar",
        "plan teams",
        "import",
        "annual report",
    ),
    "auditor": (
        *COMMON,
        "people",
        "person",
        "secondments",
        "declarations",
        "screening",
        "compliance",
        "rounds",
        "visits",
        "visit",
        "calendar",
        "annual report",
        "audit",
    ),
    "coordinator": (*COMMON, "compliance", "import", "annual report"),
    "staff.hmip": (*COMMON, "declarations", "my visits"),
}


def page_paths(username: str) -> dict[str, str]:
    from armslength.register.models import Person
    from armslength.visits.models import Visit

    user = get_user_model().objects.get(username=username)
    body = user.body_id
    person = Person.objects.filter(body_id=body).order_by("pk").first() if body else None
    visit = Visit.objects.filter(body_id=body).order_by("start").first() if body else None
    return {
        "home": "/",
        "people": "/people/",
        "person": person.get_absolute_url() if person else "/people/",
        "secondments": "/secondments/",
        "declarations": "/declarations/",
        "screening": "/screening/",
        "compliance": "/compliance/",
        "rounds": "/compliance/rounds/",
        "visits": "/visits/",
        "visit": visit.get_absolute_url() if visit else "/visits/",
        "calendar": "/visits/calendar/",
        "establishments": "/establishments/",
        "organisations": "/organisations/",
        "plan teams": "/visits/plan/",
        "import": "/import/",
        "policy": "/policy/",
        "annual report": f"/reports/?year={dt.date.today().year}",
        "audit": "/audit/",
        "my visits": f"/people/{user.person_id}/schedule/" if user.person_id else "/",
    }


def choice_codes() -> set[str]:
    """Every code with an underscore that a choice list or the expertise list holds."""
    found = {code for code, _label in codes.EXPERTISE}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for code, _label in getattr(field, "flatchoices", None) or []:
                found.add(str(code))
    from armslength.register.models import Expertise

    found.update(Expertise.objects.values_list("code", flat=True))
    return {c for c in found if "_" in c}


def session_cookie(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    verify_second_factor(client, user)
    from django.conf import settings

    return client.cookies[settings.SESSION_COOKIE_NAME].value


OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > doc.clientWidth + 1 && getComputedStyle(el).position !== 'fixed') {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && p !== document.body) {
          inScroller = true; break;
        }
      }
      if (!inScroller) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''));
    }
  }
  return {scroll: doc.scrollWidth, client: doc.clientWidth, wide: wide.slice(0, 5)};
}"""


@pytest.mark.django_db(transaction=True)
def test_main_pages_fit_both_widths_and_show_words_not_codes(browser, live_server):
    load_demo(seed=1, today=dt.date.today())
    SCREENS.mkdir(parents=True, exist_ok=True)
    underscored = choice_codes()
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, underscored)) + r")(?![\w-])")
    problems = []
    walked = 0
    for username, names in ROLE_PAGES.items():
        paths = page_paths(username)
        cookie = session_cookie(username)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            from django.conf import settings

            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            for name in names:
                response = page.goto(f"{live_server.url}{paths[name]}")
                where = f"{username} {name} {width}px"
                if response is None or response.status != 200:
                    problems.append(f"{where}: HTTP {response.status if response else '?'}")
                    continue
                walked += 1
                shot = SCREENS / f"{username}-{name.replace(' ', '-')}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                measure = page.evaluate(OVERFLOW)
                if measure["scroll"] > measure["client"] + 1:
                    problems.append(
                        f"{where}: page is {measure['scroll']} px wide {measure['wide']}"
                    )
                text = page.evaluate("() => document.body.innerText")
                if found := sorted(set(pattern.findall(text))):
                    problems.append(f"{where}: codes in the text {found[:6]}")
            context.close()
    assert walked == 2 * sum(len(n) for n in ROLE_PAGES.values()), problems
    assert not problems, "\n".join(problems)
