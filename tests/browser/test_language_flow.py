"""A manager signs in, switches to Welsh and then French with the chooser, and reads
the menu and the dates in each language; the choice stays with the account."""

from __future__ import annotations

from armslength.accounts.models import User

WELSH_MONTHS = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"]  # fmt: skip
FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


def read_menu(nav, groups: dict[str, tuple[str, ...]]) -> None:
    """Open each menu group by its translated name and read its translated links."""
    for group, labels in groups.items():
        nav.locator("summary", has_text=group).click()
        for label in labels:
            assert nav.get_by_role("link", name=label, exact=True).is_visible(), (group, label)


def test_a_manager_switches_to_welsh_then_french_and_reads_menu_and_dates(
    cast, sign_in, live_server, assert_accessible
):
    page = sign_in("hmip.manager")
    chooser = page.locator("form.language-chooser")
    assert chooser.get_by_role("button", name="Cymraeg").is_visible()
    assert page.locator("html").get_attribute("lang") == "en-gb"

    chooser.get_by_role("button", name="Cymraeg").click()
    page.wait_for_function("document.documentElement.lang === 'cy'")
    nav = page.get_by_role("navigation", name="Prif ddewislen")
    assert nav.get_by_role("link", name="Hafan", exact=True).is_visible()
    read_menu(nav, {"Pobl": ("Pobl", "Secondiadau", "Datganiadau"), "Ymweliadau": ("Ymweliadau",)})
    assert page.get_by_role("button", name="Allgofnodi").is_visible()
    assert_accessible(page)
    start = cast.sam_secondment.start
    page.goto(f"{live_server.url}/secondments/{cast.sam_secondment.pk}/")
    welsh_date = f"{start.day} {WELSH_MONTHS[start.month - 1]} {start.year}"
    assert page.get_by_text(welsh_date).first.is_visible()
    assert User.objects.get(pk=cast.hmip_manager.pk).language == "cy"

    page.locator("form.language-chooser").get_by_role("button", name="Français").click()
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert page.url.endswith(f"/secondments/{cast.sam_secondment.pk}/")  # back where they were
    french_date = f"{start.day} {FRENCH_MONTHS[start.month - 1]} {start.year}"
    assert page.get_by_text(french_date).first.is_visible()
    nav = page.get_by_role("navigation", name="Principal")
    assert nav.get_by_role("link", name="Accueil", exact=True).is_visible()
    read_menu(
        nav, {"Personnes": ("Personnes", "Détachements", "Déclarations"), "Visites": ("Visites",)}
    )
    chosen = page.locator("form.language-chooser button[aria-current]")
    assert chosen.inner_text() == "Français"
    assert User.objects.get(pk=cast.hmip_manager.pk).language == "fr"


def test_the_sign_in_page_follows_the_browsers_language(browser, live_server, db):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("button", name="Se connecter").is_visible()
    context.close()
