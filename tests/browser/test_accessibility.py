"""axe-core finds no WCAG 2.1 A or AA violation on any public page, any form in its error state, or any
back-office page (every GET route under /manage, walked from the URL map so new pages are checked too);
the main public pages also hold at 320 px width and at 200 % zoom with no sideways scrolling.

Every page any browser test opens is validated with the Nu HTML Checker (the ``valid_html`` fixture in
conftest.py); the last test here opens all of these pages and form states again in the other five
languages, so their HTML is validated in every language too."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from eventapp.accounts.enums import Role
from eventapp.events.enums import EventFormat
from tests.browser import scene
from tests.browser.conftest import Stack, axe_violations, describe_violations, follow

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

#: Demo events (seed-demo) in the states the page must show well.
CANCELLED = "morgenmode-innovationspartnerskaber"
PAST = "naringslivsdialog-hallbara-maltider"
DIALOGUE = "nordisk-bestillerdialog-utslippsfrie-leveranser"  # approval, requirements, questions
PROGRAMME = "nordic-buyer-dialogues"
ADMIN = "a11y.admin@example.org"


@dataclass(frozen=True)
class Scene:
    open_slug: str
    full_slug: str
    token: str
    #: The link of a person who came to an event that has ended and has a feedback survey.
    survey_token: str
    #: The link of a person who came to an event whose survey has closed.
    closed_survey_token: str
    #: The demo call's page, and a personal link to one of its applications.
    call: str
    application_token: str
    #: A hybrid event (on site and online seats), and the link of a person coming on site.
    hybrid_slug: str
    hybrid_token: str
    #: Values for the URL variables of /manage routes (the demo dialogue meeting has everything: an agenda,
    #: requirements, questions, people waiting for approval). A route with a new variable fails the walk
    #: below with the variable's name: add it in ``a11y``.
    route_values: dict[str, Any]


@pytest.fixture(scope="module")
def a11y(stack: Stack) -> Scene:
    """An open event with an agenda and people signed up, a full one with a waiting list, an administrator,
    and a message, slides and a link about the dialogue meeting."""
    open_id = stack.run(scene.add_event, "a11y-open", "Buying for climate: an open webinar", agenda=3, capacity=50)
    full_id = stack.run(scene.add_event, "a11y-full", "A full workshop with a waiting list", capacity=1)
    token = stack.run(scene.sign_up, open_id, "ola.hansen@example.org", name="Ola Hansen")
    stack.run(scene.sign_up, open_id, "kari.berg@example.org", name="Kari Berg")
    stack.run(scene.sign_up, full_id, "per.lund@example.org", name="Per Lund")
    stack.run(scene.sign_up, full_id, "eva.dahl@example.org", name="Eva Dahl")  # waiting
    admin_id = stack.run(scene.add_organiser, ADMIN, name="Ada Admin", role=Role.ADMIN)
    dialogue_id = stack.run(scene.event_id, DIALOGUE)
    question_id, requirement_id = stack.run(scene.first_question_and_requirement, dialogue_id)
    material_id, file_id = stack.run(scene.add_materials, dialogue_id, actor_id=admin_id)
    survey_question_id = stack.run(scene.add_survey, dialogue_id, actor_id=admin_id)
    ended_id = stack.run(scene.add_event, "a11y-ended", "A webinar that has ended, with a survey", days=5)
    survey_token = stack.run(scene.sign_up, ended_id, "siri.moe@example.org", name="Siri Moe")
    stack.run(scene.add_survey, ended_id, actor_id=admin_id)
    stack.run(scene.move_to_past, ended_id, days=1)
    closed_id = stack.run(scene.add_event, "a11y-survey-closed", "A webinar whose survey has closed", days=5)
    closed_survey_token = stack.run(scene.sign_up, closed_id, "nils.dahl@example.org", name="Nils Dahl")
    stack.run(scene.add_survey, closed_id, actor_id=admin_id)
    stack.run(scene.move_to_past, closed_id, days=3)
    stack.run(scene.close_survey, closed_id, actor_id=admin_id)
    values = {
        "event_id": dialogue_id,
        "item_id": stack.run(scene.first_agenda_item, dialogue_id),
        "speaker_id": stack.run(scene.first_speaker, dialogue_id),
        "registration_id": stack.run(scene.first_registration, dialogue_id),
        "user_id": admin_id,
        "programme_id": (programme_id := stack.run(scene.programme_id, PROGRAMME)),
        "contact_id": stack.run(scene.first_contact, programme_id),
        "subscription_id": stack.run(scene.first_subscriber, programme_id),
        "news_id": stack.run(scene.add_news, programme_id, author_id=admin_id),
        **dict(zip(("partner_id", "person_id"), stack.run(scene.first_partner_and_person, programme_id), strict=True)),
        "question_id": question_id,
        "requirement_id": requirement_id,
        "mailing_id": stack.run(scene.add_mailing, dialogue_id, author_id=admin_id),
        "mail_id": stack.run(scene.add_failed_mail, dialogue_id),
        "material_id": material_id,
        "file_id": file_id,
        "action": "approve",
        "survey_question_id": survey_question_id,
    }
    call = stack.run(scene.demo_call, programme_id)
    values.update(call_id=call["call_id"], call_question_id=call["call_question_id"],
                  application_id=call["application_id"])  # fmt: skip
    call_page = f"/programmes/{PROGRAMME}/calls/{call['call_id']}"
    hybrid_id = stack.run(scene.add_event, "a11y-hybrid", "A hybrid network meeting", **HYBRID)
    hybrid_token = stack.run(scene.sign_up, hybrid_id, "liv.aas@example.org", name="Liv Aas", attendance="on_site")
    stack.run(scene.sign_up, hybrid_id, "tor.eng@example.org", name="Tor Eng", attendance="online")
    return Scene(open_slug="a11y-open", full_slug="a11y-full", token=token, survey_token=survey_token,
                 closed_survey_token=closed_survey_token, route_values=values, call=call_page,
                 application_token=call["application_token"], hybrid_slug="a11y-hybrid",
                 hybrid_token=hybrid_token)  # fmt: skip


#: A hybrid event's columns: one seat on site (taken in the scene: the "full" state shows), 40 online.
HYBRID = {"format": EventFormat.HYBRID, "capacity": 1, "online_capacity": 40, "venue_name": "Rådhuset, sal 2",
          "venue_address": "Eksempelgata 1, 0150 Oslo", "city": "Oslo"}  # fmt: skip


def submit(page: Any, form: str = "main form.form") -> None:
    """Send the page's main form as it is (empty, unless the test filled it)."""
    follow(page, page.locator(form).locator("button[type=submit]").last)


def failed_login(page: Any) -> None:
    """Sign in with a wrong password (fields found by id, so this works in every language)."""
    page.locator("#email").fill("nobody@example.org")
    page.locator("#password").fill("not the password")
    submit(page)


def details_emptied(page: Any) -> None:
    """On a person's own page: open "change how your name is written", empty the name, save."""
    panel = page.locator("details.panel")
    panel.locator("summary").click()
    panel.locator("input[name=name]").fill("")
    submit(page, "details.panel form")


def organisation_emptied(page: Any) -> None:
    """On an application's change form: empty the organisation's name, save."""
    page.locator("#organisation").fill("")
    submit(page)


#: name → (path, what to do on the page before checking it, status); ``{open}`` etc. come from the scene.
PUBLIC_PAGES: dict[str, tuple[str, Callable[[Any], None] | None, int]] = {
    "catalogue": ("/", None, 200),
    "catalogue-no-results": ("/?q=nothing+matches+this", None, 200),
    "catalogue-filtered": ("/?kind=webinar", None, 200),
    "catalogue-filter-errors": ("/?kind=no-such-kind&programme=no-such-programme", None, 400),
    "event-open": ("/events/{open}", None, 200),
    "event-full-waiting-list": ("/events/{full}", None, 200),
    "event-cancelled": (f"/events/{CANCELLED}", None, 200),
    "event-past": (f"/events/{PAST}", None, 200),
    "event-approval": (f"/events/{DIALOGUE}", None, 200),
    "programme": (f"/programmes/{PROGRAMME}", None, 200),
    "programmes-index": ("/programmes", None, 200),
    "sign-up": ("/events/{open}/register", None, 200),
    "sign-up-errors": ("/events/{open}/register", submit, 200),
    "sign-up-waiting-list": ("/events/{full}/register", None, 200),
    "sign-up-requirements-errors": (f"/events/{DIALOGUE}/register", submit, 200),
    "sign-up-sent": ("/events/{open}/register/sent", None, 200),
    "lost-link": ("/events/{open}/lost-link", None, 200),
    "lost-link-errors": ("/events/{open}/lost-link", submit, 200),
    "own-registration": ("/r/{token}", None, 200),
    "own-registration-details-errors": ("/r/{token}", details_emptied, 200),
    "own-registration-cancel": ("/r/{token}/cancel", None, 200),
    "own-registration-erase": ("/r/{token}/erase", None, 200),
    "own-registration-with-survey": ("/r/{survey_token}", None, 200),
    "survey": ("/r/{survey_token}/survey", None, 200),
    "survey-errors": ("/r/{survey_token}/survey", submit, 200),
    "survey-closed": ("/r/{closed_token}/survey", None, 200),
    "privacy-statement": ("/privacy", None, 200),
    "login": ("/login", None, 200),
    "login-failed": ("/login", failed_login, 200),
    "password-reset": ("/password-reset", None, 200),
    "password-reset-errors": ("/password-reset", submit, 200),
    "password-new": ("/password-reset/not-a-real-token", None, 200),
    "not-found": ("/events/no-such-event", None, 404),
    "contact": ("/contact", None, 200),
    "call": ("{call}", None, 200),
    "call-apply": ("{call}/apply", None, 200),
    "call-apply-errors": ("{call}/apply", submit, 200),
    "call-apply-sent": ("{call}/apply/sent", None, 200),
    "own-application": ("/calls/a/{app_token}", None, 200),
    "own-application-edit": ("/calls/a/{app_token}/edit", None, 200),
    "own-application-edit-errors": ("/calls/a/{app_token}/edit", organisation_emptied, 200),
    "own-application-withdraw": ("/calls/a/{app_token}/withdraw", None, 200),
    "event-hybrid": ("/events/{hybrid}", None, 200),
    "sign-up-hybrid": ("/events/{hybrid}/register", None, 200),
    "sign-up-hybrid-errors": ("/events/{hybrid}/register", submit, 200),
    "own-registration-hybrid": ("/r/{hybrid_token}", None, 200),
}
#: The main public pages, checked again at 320 px (a phone, or 1280 px at 400 % zoom) and at 200 % zoom.
NARROW_PAGES = ("catalogue", "event-open", "event-approval", "programme", "sign-up-errors", "sign-up-hybrid-errors",
                "sign-up-requirements-errors", "own-registration", "login-failed", "survey-errors")  # fmt: skip


def public_url(name: str, a11y: Scene) -> str:
    return PUBLIC_PAGES[name][0].format(open=a11y.open_slug, full=a11y.full_slug, token=a11y.token,
                                        survey_token=a11y.survey_token, closed_token=a11y.closed_survey_token,
                                        call=a11y.call, app_token=a11y.application_token, hybrid=a11y.hybrid_slug,
                                        hybrid_token=a11y.hybrid_token)  # fmt: skip


def open_page(page: Any, name: str, a11y: Scene) -> None:
    """Open the page (the status a person's browser gets is checked), then put it in its state."""
    _, action, status = PUBLIC_PAGES[name]
    response = page.goto(public_url(name, a11y))
    assert response is not None
    assert response.status == status, f"{name}: GET {page.url} answered {response.status}"
    if action is not None:
        action(page)
        assert page.locator(".error-summary").count() == 1, f"{name}: no error summary after sending the form"


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
@pytest.mark.a11y_check("axe-public", "axe-forms", "html-valid")
def test_public_page_has_no_axe_violations(page, a11y, check_a11y, name):
    open_page(page, name, a11y)
    check_a11y(page, name)


#: How far the page reaches beyond the window, and the first elements that stick out.
SIDEWAYS = """() => {
    const root = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
    return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""


@pytest.mark.parametrize("name", NARROW_PAGES)
@pytest.mark.a11y_check("reflow")
def test_public_page_holds_at_320px_and_200_percent_zoom_without_sideways_scrolling(
    page, a11y, check_a11y, shoot, name
):
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, name, a11y)
    overflow = page.evaluate(SIDEWAYS)
    assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, f"{name} scrolls sideways at 320 px: {overflow}"
    check_a11y(page, f"{name} at 320 px")
    shoot(page, name, widths={"320px": 320})
    page.set_viewport_size({"width": 640, "height": 450})  # a 1280 × 900 window at 200 % zoom
    overflow = page.evaluate(SIDEWAYS)
    assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, f"{name} scrolls sideways at 200 %: {overflow}"


# --- the back office ---------------------------------------------------------------------------


def back_office_get_urls(stack: Stack, a11y: Scene) -> list[str]:
    """Every GET route under /manage, with the scene's ids filled in."""
    values = a11y.route_values
    urls = []
    for rule in stack.app.url_map.iter_rules():
        if not rule.rule.startswith("/manage") or "GET" not in (rule.methods or ()):
            continue
        missing = sorted(set(rule.arguments) - set(values))
        assert not missing, f"{rule.rule}: no value for {missing}; add one to the route values in a11y()"
        urls.append(re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule.rule))
    assert len(urls) >= 8, urls  # the walk found the back office
    return sorted(urls)


def sign_in_as_admin(page: Any) -> None:
    page.goto("/login")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(scene.PASSWORD)
    submit(page)
    assert page.url.endswith("/manage/"), page.url


@pytest.fixture
def admin_page(page, a11y: Scene) -> Any:
    """The tab, signed in as an administrator (who may open every back-office page)."""
    sign_in_as_admin(page)
    return page


@pytest.mark.a11y_check("axe-back-office", "html-valid")
def test_every_back_office_page_has_no_axe_violations(admin_page, stack, a11y, tools):
    """Walked from the URL map: a new page is checked without anyone adding it here. Downloads (CSV,
    Excel) and fragments that scripts fetch into a page are not pages, and are left out."""
    page = admin_page
    report, checked = [], []
    for url in back_office_get_urls(stack, a11y):
        reply = page.request.get(url)
        assert reply.status == 200, f"GET {url} answered {reply.status}"
        if not reply.headers.get("content-type", "").startswith("text/html"):
            continue
        if not reply.text().lstrip().lower().startswith("<!doctype html"):
            continue
        page.goto(url)
        checked.append(url)
        violations = axe_violations(page, tools)
        if violations:
            report.append(f"{url}:\n{describe_violations(violations)}")
    print(f"axe checked {len(checked)} back-office pages:", *checked, sep="\n  ")
    assert not report, f"axe found WCAG 2.1 A/AA violations on {len(report)} back-office pages:\n" + "\n".join(report)
    assert any(url.endswith("/agenda") for url in checked), checked


def _clear_title(page: Any) -> None:
    page.locator("main form.form input[name=title]").fill("")


def _clear_operator(page: Any) -> None:
    page.locator("main form.form input[name=operator_name]").fill("")


def _too_long_title(page: Any) -> None:
    """Past the field's maxlength, as a script or an old browser could send it."""
    page.locator("main form.form input[name=title]").evaluate("el => { el.value = 'x'.repeat(201); }")


def _too_long_statement(page: Any) -> None:
    """A participation requirement's translation past its field's maxlength (the dialogue has requirements)."""
    page.locator("main form.form input[name^=requirement_]").first.evaluate("el => { el.value = 'x'.repeat(501); }")


def _chosen_but_none_ticked(page: Any) -> None:
    page.locator("main form.form input[name=source][value=chosen]").check()
    for box in page.locator("main form.form input[name=contacts]").all():
        box.uncheck()


def _close_before_the_end(page: Any) -> None:
    page.locator("#closes_at").fill("2020-01-01T10:00")


def _clear_name(page: Any) -> None:
    page.locator("main form.form input[name=name]").fill("")


def _clear_address(page: Any) -> None:
    page.locator("main form.form--inline input[type=email]").first.fill("")


#: Back-office forms sent with errors: name → (path, the form (CSS), what to empty first). A form sent
#: empty shows its errors; forms whose fields start filled in have their title emptied.
BACK_OFFICE_FORMS: dict[str, tuple[str, str, Callable[[Any], None] | None]] = {
    "event-new-errors": ("/manage/events/new", "main form.form", None),
    "event-edit-errors": ("/manage/events/{event_id}/edit", "main form.form", _clear_title),
    "agenda-slot-errors": ("/manage/events/{event_id}/agenda", "section[aria-labelledby=add-item] form", None),
    "agenda-item-errors": ("/manage/events/{event_id}/agenda/items/{item_id}", "main form.form", _clear_title),
    "add-person-errors": ("/manage/events/{event_id}/registrations/new", "main form.form", None),
    "team-errors": ("/manage/events/{event_id}/team", "main form.form", None),
    "message-errors": ("/manage/events/{event_id}/messages/new", "main form.form", None),
    "question-errors": ("/manage/events/{event_id}/questions", "main form.form >> nth=1", None),
    "account-new-errors": ("/manage/accounts/new", "main form.form", None),
    "programme-new-errors": ("/manage/programmes/new", "main form.form", None),
    "site-settings-errors": ("/manage/site", "main form.form", _clear_operator),
    "contact-errors": ("/manage/programmes/{programme_id}/contacts", "main form.form", None),
    "partner-errors": ("/manage/programmes/{programme_id}/partners", "main form.form", None),
    "partner-edit-errors": ("/manage/programmes/{programme_id}/partners/{partner_id}", "main form.form", _clear_name),
    "programme-person-errors": ("/manage/programmes/{programme_id}/people", "main form.form", None),
    "programme-person-edit-errors": (
        "/manage/programmes/{programme_id}/people/{person_id}",
        "main form.form",
        _clear_name,
    ),
    "programme-translation-errors": (
        "/manage/programmes/{programme_id}/translations",
        "main form.form",
        _too_long_title,
    ),
    "event-contacts-errors": ("/manage/events/{event_id}/contacts", "main form.form", _chosen_but_none_ticked),
    "mail-resend-errors": (
        "/manage/events/{event_id}/mail-problems",
        "main form.form--inline >> nth=0",
        _clear_address,
    ),
    "privacy-lookup-errors": ("/manage/privacy", "main form.form", None),
    "call-new-errors": ("/manage/programmes/{programme_id}/calls/new", "main form.form", _clear_title),
    "call-question-errors": ("/manage/calls/{call_id}/edit", "section[aria-labelledby=questions] form.form", None),
    "call-decision-errors": ("/manage/calls/{call_id}/applications/{application_id}", "main form.form", None),
    "call-translation-errors": ("/manage/calls/{call_id}/translations", "main form.form", _too_long_title),
    "event-translation-errors": ("/manage/events/{event_id}/translations", "main form.form", _too_long_statement),
    "interest-news-errors": ("/manage/programmes/{programme_id}/interest/news", "main form.form", None),
    "survey-settings-errors": (
        "/manage/events/{event_id}/survey",
        "section[aria-labelledby=settings] form.form",
        _close_before_the_end,
    ),
    "survey-question-errors": (
        "/manage/events/{event_id}/survey",
        "section[aria-labelledby=questions] form.form",
        None,
    ),
}


@pytest.mark.parametrize("name", list(BACK_OFFICE_FORMS))
@pytest.mark.a11y_check("axe-forms", "html-valid")
def test_back_office_form_errors_have_no_axe_violations(admin_page, a11y, check_a11y, name):
    path, form, empty = BACK_OFFICE_FORMS[name]
    page = admin_page
    page.goto(path.format(**a11y.route_values))
    if empty is not None:
        empty(page)
    submit(page, form)
    assert page.locator(".error-summary").count() == 1, f"{name}: no error summary"
    check_a11y(page, name)


# --- the other five languages ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "da", "fi"])
@pytest.mark.a11y_check("html-valid")
def test_every_page_and_form_state_is_valid_html_in_every_language(page, stack, a11y, language):
    """The public pages and their error states, every back-office page and the back-office forms with
    errors, in ``language`` (chosen once with ?lang=, then kept by its cookie). The ``valid_html`` fixture
    validates each page the tab loaded (in English the tests above have done it)."""
    page.goto(f"/?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    for name in PUBLIC_PAGES:
        open_page(page, name, a11y)
    sign_in_as_admin(page)
    for url in back_office_get_urls(stack, a11y):
        reply = page.request.get(url)
        assert reply.status == 200, f"GET {url} answered {reply.status}"
        if reply.headers.get("content-type", "").startswith("text/html") and (
            reply.text().lstrip().lower().startswith("<!doctype html")  # a page, not a fragment for a script
        ):
            page.goto(url)
    for name, (path, form, empty) in BACK_OFFICE_FORMS.items():
        page.goto(path.format(**a11y.route_values))
        if empty is not None:
            empty(page)
        submit(page, form)
        assert page.locator(".error-summary").count() == 1, f"{name} in {language}: no error summary"
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.a11y_check("axe-public")
def test_erasing_ones_own_registration_has_no_axe_violations(page, stack, a11y, check_a11y):
    """The two steps of "Delete my registration and my data", as a person clicks them, and the page after."""
    event_id = stack.run(scene.event_id, a11y.open_slug)
    token = stack.run(scene.sign_up, event_id, "erase.me@example.org", name="Erik Sletten")
    page.goto(f"/r/{token}")
    follow(page, page.get_by_role("link", name="Delete my registration and my data"))
    check_a11y(page, "erase step one")
    follow(page, page.get_by_role("button", name="Yes, delete my registration and my data"))
    assert page.get_by_role("heading", name="Your registration and your data are deleted").count() == 1
    check_a11y(page, "erased")


@pytest.mark.a11y_check("axe-back-office", "axe-forms")
def test_personal_data_requests_page_has_no_axe_violations(admin_page, stack, a11y, check_a11y):
    """An administrator finds a person (what is held, download, erase) and sends the erase step without
    ticking the confirmation: the error state. Nothing is erased. Then a subscriber of interest lists."""
    page = admin_page
    page.goto("/manage/privacy")
    page.get_by_label("Email").fill("kari.berg@example.org")
    submit(page)
    assert page.get_by_role("heading", name="What we hold about kari.berg@example.org").count() == 1
    check_a11y(page, "personal data found")
    submit(page, "main form.form >> nth=1")
    assert page.locator(".error-summary").count() == 1, "no error summary"
    check_a11y(page, "personal data erase without confirmation")
    stack.run(scene.add_subscriber, a11y.route_values["programme_id"], "siri.lie@example.org", name="Siri Lie")
    page.get_by_label("Email").fill("siri.lie@example.org")  # on an interest list, no registration
    submit(page, "main form.form >> nth=0")
    assert page.get_by_role("table", name="Interest lists this address is on").count() == 1
    check_a11y(page, "interest-list subscriptions found")


#: The programme pages and their back office, checked by axe in languages other than English as well.
PROGRAMME_FORMS = ("partner-errors", "partner-edit-errors", "programme-person-errors", "programme-person-edit-errors",
                   "programme-translation-errors", "event-contacts-errors", "contact-errors")  # fmt: skip


@pytest.mark.parametrize("language", ["nb", "sv"])
@pytest.mark.a11y_check("axe-public", "axe-forms", "reflow", "html-valid")
def test_programme_pages_and_their_back_office_have_no_axe_violations_in_other_languages(
    page, a11y, check_a11y, language
):
    """The demo's Nordic programme (with a translation into both languages) and /programmes, at desktop and
    phone width; then each new back-office form with its errors shown, in ``language``."""
    page.goto(f"/?lang={language}")
    for name in ("programme", "programmes-index"):
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 800})
            open_page(page, name, a11y)
            assert page.locator("html").get_attribute("lang") == language
            overflow = page.evaluate(SIDEWAYS)
            assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, f"{name} scrolls sideways: {overflow}"
            check_a11y(page, f"{name} in {language} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_as_admin(page)
    for name in PROGRAMME_FORMS:
        path, form, empty = BACK_OFFICE_FORMS[name]
        page.goto(path.format(**a11y.route_values))
        if empty is not None:
            empty(page)
        submit(page, form)
        assert page.locator(".error-summary").count() == 1, f"{name} in {language}: no error summary"
        check_a11y(page, f"{name} in {language}")


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.a11y_check("axe-back-office", "axe-forms", "html-valid")
def test_change_logs_outside_events_have_no_axe_violations(admin_page, stack, a11y, check_a11y, language):
    """The demo programme's change log (a partner saved again), and the site's: all of it, one area, and an
    unknown area (the error state)."""
    values = a11y.route_values
    stack.run(scene.resave_partner, values["partner_id"], actor_id=values["user_id"])
    page = admin_page
    page.goto(f"/manage/programmes/{values['programme_id']}/audit?lang={language}")
    assert page.locator("ol.audit-log > li").count() >= 1
    check_a11y(page, f"programme change log ({language})")
    for query, status in (("", 200), ("?area=programmes", 200), ("?area=nothing", 400)):
        response = page.goto(f"/manage/audit{query}")
        assert response is not None
        assert response.status == status, query
        assert page.locator("ol.audit-log > li").count() >= 1, query
        check_a11y(page, f"site change log{query} ({language})")
