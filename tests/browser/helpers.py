"""How a person moves through the pages: the grouped menu and the person pickers."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def open_menu(page: Page, group: str, item: str, nav_name: str = "Main") -> None:
    """Open a menu group (a <details>, so a tap on a phone, no script needed) and follow
    one of its links, as a person does."""
    menu = page.get_by_role("navigation", name=nav_name)
    menu.locator("summary", has_text=group).click()
    menu.get_by_role("link", name=item, exact=True).click()


def pick(page: Page, label: str, typed: str) -> None:
    """Type in a search-as-you-type picker: the first match is chosen, as for a person
    who types a name and goes on."""
    select = page.get_by_role("combobox", name=label)
    select_id = select.get_attribute("id")
    page.locator(f"input.picker-search[aria-controls='{select_id}']").fill(typed)
    chosen = select.locator("option:checked")
    expect(chosen).to_contain_text(typed)
