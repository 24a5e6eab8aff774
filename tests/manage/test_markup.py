"""Back-office pages a screen reader and a browser can rely on (issue 19): no id twice on a page (the CSRF
token of each per-row form), no required select that could never ask for a choice, the materials table
grouped by tbody with row-group headers, and no form inside a paragraph."""

from __future__ import annotations

import pytest

from tests.markup import (
    duplicate_ids,
    forms_inside_paragraphs,
    required_selects_with_a_real_first_option,
    squashed,
    tree,
)
from tests.materials.material_helpers import add_link, publish

pytest_plugins = ["tests.materials.material_fixtures"]  # the webinar and owner_client fixtures

#: Pages of the webinar (two agenda items with a speaker each, two confirmed attendees) with a form on
#: each row or several forms.
PAGES = ("edit", "agenda", "agenda/items/{item}", "speakers", "registrations", "registrations/new",
         "check-in", "team", "materials")  # fmt: skip


def page_url(webinar, page: str) -> str:
    return f"/manage/events/{webinar.id}/" + page.format(item=webinar.item_ids[0])


@pytest.mark.parametrize("page", PAGES)
def test_no_back_office_page_repeats_an_id(owner_client, webinar, page):
    response = owner_client.get(page_url(webinar, page))
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert html.count('name="csrf_token"') >= 1
    assert duplicate_ids(html) == {}


@pytest.mark.parametrize("page", ["/manage/events/new", "edit", "agenda", "agenda/items/{item}", "registrations/new"])
def test_required_selects_start_with_an_empty_option_or_are_not_required(owner_client, webinar, page):
    url = page if page.startswith("/") else page_url(webinar, page)
    html = owner_client.get(url).get_data(as_text=True)

    assert "<select" in html
    assert required_selects_with_a_real_first_option(tree(html)) == []


def browser_submission(html: str) -> dict[str, str]:
    """What a browser sends for the page's main form as it stands: each field's value, the selected option
    of each select (the first when none is marked), checked boxes and radio buttons."""
    form = tree(html).xpath("//main//form[contains(concat(' ', @class, ' '), ' form ')]")[0]
    data: dict[str, str] = {}
    for control in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name, kind = control.get("name"), control.get("type", "")
        if control.tag == "select":
            options = control.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            data[name] = chosen[0].get("value", "") if chosen else ""
        elif control.tag == "textarea":
            data[name] = control.text or ""
        elif kind in ("checkbox", "radio"):
            if control.get("checked") is not None:
                data[name] = control.get("value", "on")
        elif kind not in ("submit", "button"):
            data[name] = control.get("value", "")
    return data


def test_an_event_is_created_with_only_the_fields_a_person_must_fill_in(owner_client, webinar):
    """The selects keep their defaults (kind, language, time zone): the title, the times and a choice in
    each group of radio buttons that has none chosen (format, and the waiting list's mode until it gets a
    default) are enough."""
    html = owner_client.get("/manage/events/new").get_data(as_text=True)
    sent = browser_submission(html)
    for group in dict.fromkeys(tree(html).xpath("//main//input[@type='radio']/@name")):
        if group not in sent:
            sent[group] = tree(html).xpath("//main//input[@type='radio' and @name=$n]/@value", n=group)[0]
    sent.update(title="Markedsdialog om utslippsfrie byggeplasser", starts_at="2031-03-04T09:00",
                ends_at="2031-03-04T12:00")  # fmt: skip

    created = owner_client.post("/manage/events/new", data=sent)

    assert created.status_code == 303, squashed(tree(created.get_data(as_text=True)).xpath("//main")[0])
    edit = owner_client.get(created.headers["Location"]).get_data(as_text=True)
    assert "The event is saved as a draft." in squashed(tree(edit))


def test_materials_are_grouped_by_tbody_with_a_row_group_header(owner_client, webinar):
    add_link(owner_client, webinar.id, title="The project's page", url="https://www.example.org/project")
    add_link(owner_client, webinar.id, title="Slides of the first talk", url="https://www.example.org/slides",
             agenda_item_id=str(webinar.item_ids[0]))  # fmt: skip
    add_link(owner_client, webinar.id, title="Our tender notice", url="https://www.example.org/tender")

    table = tree(owner_client.get(page_url(webinar, "materials")).get_data(as_text=True)).xpath(
        "//table[contains(@class, 'materials-table')]"
    )[0]
    groups = [
        (squashed(body.xpath("./tr[1]/th")[0]), [squashed(th.xpath(".//span[@lang]")[0]) for th in
                                                  body.xpath("./tr/th[@scope='row']")])
        for body in table.xpath("./tbody")
    ]  # fmt: skip

    assert groups == [
        ("Agenda: Agenda item 1", ["Slides of the first talk"]),
        ("Links", ["The project's page", "Our tender notice"]),
    ]
    assert [th.get("scope") for th in table.xpath("./tbody/tr[1]/th")] == ["rowgroup", "rowgroup"]
    assert table.xpath(".//th[@scope='colgroup']") == []


def test_the_published_materials_page_has_no_form_inside_a_paragraph(owner_client, webinar):
    add_link(owner_client, webinar.id, title="The project's page", url="https://www.example.org/project")
    assert publish(owner_client, webinar.id).status_code == 303

    html = owner_client.get(page_url(webinar, "materials")).get_data(as_text=True)

    assert "Hide the materials section" in squashed(tree(html))
    assert forms_inside_paragraphs(html) == []
