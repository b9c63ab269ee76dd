"""A manager downloads the people template, imports it through the web page, sees the people."""

from __future__ import annotations

from playwright.sync_api import expect

from armslength.register.models import Person


def test_manager_imports_the_people_template_and_sees_the_people(
    cast, sign_in, assert_accessible, tmp_path
):
    page = sign_in("hmip.manager")
    menu = page.get_by_role("navigation", name="Main")
    menu.locator("summary", has_text="Settings").click()
    menu.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from a spreadsheet")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="People template (CSV)").click()
    template = tmp_path / "people.csv"
    download.value.save_as(template)

    page.get_by_label("What the file holds").select_option("people")
    page.get_by_label("Spreadsheet").set_input_files(template)
    page.get_by_role("button", name="Upload and match columns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns")
    expect(page.get_by_label("name", exact=True)).to_have_value("name")
    assert_accessible(page)
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_text("No errors. Importing will add 2")).to_be_visible()
    assert not Person.objects.filter(key="hr-10234").exists()
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_text("Imported: 2 added, 0 updated, 0 unchanged.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the people").click()
    expect(page.get_by_role("link", name="Alex Morgan")).to_be_visible()
    expect(page.get_by_role("link", name="Sam Okafor")).to_be_visible()
    # a key a body chooses is kept under the body's namespace (issue 12, finding 4)
    assert Person.objects.get(key="hmip-hr-10234").body == cast.hmip
