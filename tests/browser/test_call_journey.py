"""A call for participation from start to end, in Chromium, on the real SMTP server: an organisation
applies with an uploaded PDF letter, follows the confirmation mail's link, changes the application; the
deadline passes; the organiser signs in, reviews and accepts; the acceptance mail gives the contact a sign-up
link for the event only for accepted organisations, through which colleagues sign up up to the event's
organisation quota; a person from another organisation is refused and shown whom to contact. Each new
state is axe-clean."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from eventapp.accounts.models import User
from eventapp.calls import restricted, setup
from eventapp.calls.enums import CallKind, LetterPolicy
from eventapp.calls.models import Call
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.materials.pdf import tiny_pdf
from eventapp.programmes.models import ContactPerson, Programme
from tests.browser import scene
from tests.browser.conftest import Stack, follow, mail_text, sign_in
from tests.calls.conftest import norwegian_number

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

PROGRAMME = "nordic-buyer-dialogues"
ORGANISER = "call.owner@example.org"
CONTACT = "ingrid.lie@example.org"
EVENT = "journey-closed-workshop"


def _arrange() -> dict[str, Any]:
    """An organiser owning the demo's Nordic programme, a call of it open for a day with a checklist and a
    required letter, and a workshop only for the call's accepted organisations (two seats per organisation)."""
    programme = db.session.scalars(db.select(Programme).where(Programme.slug == PROGRAMME)).one()
    owner_id = scene.add_organiser(ORGANISER, name="Olav Owner")
    programme.created_by_id = owner_id
    db.session.commit()
    now = utcnow()
    data = setup.CallData(
        kind=CallKind.PARTICIPATION, title="Journey: zero-emission deliveries", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1), target_min=1, target_max=3, letter_policy=LetterPolicy.REQUIRED,
        timezone="Europe/Oslo", language="en", summary="Public buyers wanted.",
        requirements=("Our leadership has anchored the project", "We cover our own travel"),
    )  # fmt: skip
    call = setup.create_call(programme.id, data, actor=db.session.get(User, owner_id))
    event_id = scene.add_event(EVENT, "Closed workshop for the dialogue", programme_id=programme.id,
                               quota_per_organisation=2)  # fmt: skip
    restricted.set_restricted_events(call.id, {event_id}, actor=db.session.get(User, owner_id))
    contact = db.session.scalars(
        db.select(ContactPerson).where(ContactPerson.programme_id == programme.id).order_by(ContactPerson.id)
    ).first()
    return {"call_id": call.id, "contact_email": contact.email}


def _close(call_id: int) -> None:
    """The deadline passes (the call closed a minute ago)."""
    call = db.session.get(Call, call_id)
    call.opens_at, call.closes_at = utcnow() - timedelta(days=2), utcnow() - timedelta(minutes=1)
    db.session.commit()


def _sign_up(page: Any, link: str, name: str, email: str) -> None:
    page.goto(link)
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#accept_privacy").check()
    follow(page, page.locator("main form.form button[type=submit]"))


def test_apply_change_deadline_accept_and_sign_colleagues_up_to_the_quota(
    page, other_page, stack: Stack, check_a11y, tmp_path: Path
):
    arranged = stack.run(_arrange)
    call_id = arranged["call_id"]
    letter = tmp_path / "letter-of-intent.pdf"
    letter.write_bytes(tiny_pdf("Letter of intent", "Nordby kommune wants to take part."))

    # The organisation applies with a PDF letter.
    page.goto(f"/programmes/{PROGRAMME}/calls/{call_id}")
    follow(page, page.get_by_role("link", name="Apply"))
    page.locator("#organisation").fill("Nordby kommune")
    page.locator("#country").select_option("NO")
    page.locator("#organisation_number").fill(norwegian_number(4242))
    page.get_by_label("Municipality").check()
    page.locator("#contact_name").fill("Ingrid Lie")
    page.locator("#contact_role").fill("Procurement adviser")
    page.locator("#contact_email").fill(CONTACT)
    for box in page.locator("fieldset.requirements input[type=checkbox]").all():
        box.check()
    page.locator("#file").set_input_files(str(letter))
    page.locator("#consent_public").check()
    page.locator("#accept_privacy").check()
    follow(page, page.locator("main form.form button[type=submit]"))
    assert page.url.endswith(f"/calls/{call_id}/apply/sent"), page.url
    check_a11y(page, "application sent")

    # The confirmation mail's link opens the application; the contact changes it.
    received = stack.mails_to(CONTACT)[-1]
    assert "is received" in received["Subject"]
    own = re.search(re.escape(stack.base_url) + r"/calls/a/[A-Za-z0-9_-]+", mail_text(received)).group(0)
    page.goto(own)
    assert "letter-of-intent.pdf" in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name="Change the application"))
    page.locator("#contact_phone").fill("+47 22 00 00 00")
    page.locator("#contact_role").fill("Head of procurement")
    follow(page, page.locator("main form.form button[type=submit]"))
    assert "Your changes are saved." in page.locator("main").inner_text()
    assert "Head of procurement" in page.locator("main").inner_text()

    # The deadline passes: the link shows the application, and changes are closed.
    stack.run(_close, call_id)
    page.goto(own)
    assert "The deadline has passed" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Change the application").count() == 0
    check_a11y(page, "own application after the deadline")

    # The organiser reviews and accepts.
    sign_in(other_page, ORGANISER)
    other_page.goto(f"/manage/calls/{call_id}/applications")
    assert "0 accepted of 1–3" in other_page.locator("main").inner_text()
    follow(other_page, other_page.get_by_role("link", name="Nordby kommune", exact=True))
    other_page.get_by_label("Accept").check()
    other_page.locator("#message").fill("Welcome to the dialogue. The kick-off is in Oslo.")
    follow(other_page, other_page.locator("main form.form button[type=submit]"))
    assert "1 accepted of 1–3" in other_page.locator("main").inner_text()
    check_a11y(other_page, "review list with one accepted")

    # The acceptance mail carries the sign-up link of the restricted workshop.
    accepted = stack.mails_to(CONTACT, 2)[-1]
    assert "is accepted" in accepted["Subject"]
    assert "The kick-off is in Oslo." in mail_text(accepted)
    link = re.search(re.escape(stack.base_url) + rf"/events/{EVENT}/register\?pass=[A-Za-z0-9_-]+", mail_text(accepted))
    assert link, mail_text(accepted)

    # Colleagues sign up through it, up to the organisation quota of two.
    page.goto(link.group(0))
    assert page.locator("#organisation").input_value() == "Nordby kommune"
    check_a11y(page, "sign-up through an organisation's pass")
    for name, email in (("Ingrid Lie", CONTACT), ("Per Nordby", "per.nordby@example.org")):
        _sign_up(page, link.group(0), name, email)
        assert page.url.endswith(f"/events/{EVENT}/register/sent"), page.url
    _sign_up(page, link.group(0), "Third Colleague", "third@example.org")
    assert "the most this event takes from one organisation" in page.locator("main").inner_text()
    check_a11y(page, "sign-up past the organisation quota")

    # Someone from another organisation, without the pass, is told whom to contact.
    stranger = other_page.context.browser.new_context(base_url=stack.base_url, locale="en-GB")
    try:
        outsider = stranger.new_page()
        outsider.goto(f"/events/{EVENT}/register")
        text = outsider.locator("main").inner_text()
        assert "only for the organisations taking part" in text
        assert arranged["contact_email"] in text  # the programme's contact persons are named
        assert outsider.locator("#name").count() == 0
        check_a11y(outsider, "restricted event refused")
    finally:
        stranger.close()
