"""The demo's calls (issue 14, "Demo data"): on ``make run`` a newcomer finds the open buyer dialogue with its
checklist and required letter, the regional network's members, and applications in each state to review,
with real PDF letters."""

from __future__ import annotations

from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.calls.enums import CallKind, LetterPolicy
from eventapp.calls.models import Application, Call
from eventapp.demo import seed_demo
from eventapp.extensions import db
from tests.registrations.conftest import text_of


def test_the_demo_has_an_open_dialogue_call_a_network_with_members_and_applications_to_review(
    app, client, create_account, log_in
):
    with app.app_context():
        seed_demo()
        calls = {call.kind: call for call in db.session.scalars(select(Call))}
        dialogue, network = calls[CallKind.PARTICIPATION], calls[CallKind.MEMBERSHIP]
        assert dialogue.letter_policy is LetterPolicy.REQUIRED
        assert len(dialogue.requirements) == 6
        dialogue_id, network_id = dialogue.id, network.id
        dialogue_slug, network_slug = dialogue.programme.slug, network.programme.slug

    listed = text_of(client.get("/programmes").get_data(as_text=True))
    assert "Zero-emission delivery of goods and services: join the buyer dialogue" in listed
    call_page = text_of(client.get(f"/programmes/{dialogue_slug}/calls/{dialogue_id}").get_data(as_text=True))
    assert "One named person is responsible and follows the project until June" in call_page
    norwegian = text_of(client.get(f"/programmes/{dialogue_slug}/calls/{dialogue_id}?lang=nb").get_data(as_text=True))
    assert "Utslippsfri levering av varer og tjenester" in norwegian  # the call's Languages page, filled in
    assert "Én navngitt person er ansvarlig og følger prosjektet fram til juni" in norwegian
    assert "Hvor mange leveranser i uka" in text_of(
        client.get(f"/programmes/{dialogue_slug}/calls/{dialogue_id}/apply?lang=nb").get_data(as_text=True)
    )
    client.get("/?lang=en")
    members = text_of(client.get(f"/programmes/{network_slug}").get_data(as_text=True))
    for accepted in ("Ekby kommun (demo)", "Lundaslätt kommun (demo)", "Hamnstad kommun (demo)"):
        assert accepted in members
    assert "Bokeberg kommun (demo)" not in members  # applied, not accepted yet

    create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")
    review = client.get(f"/manage/calls/{dialogue_id}/applications")
    assert review.status_code == 200
    page = text_of(review.get_data(as_text=True))
    assert "2 accepted of 6–12" in page
    for state in ("Fjordby kommune (demo)", "Region Nordvik (demo)", "Järvelän kaupunki (demo)",
                  "Statens innkjøpssenter (demo)"):  # fmt: skip
        assert state in page
    with app.app_context():
        application_id = db.session.scalar(select(Application.id).where(
            Application.call_id == dialogue_id, Application.letter_sha256.is_not(None)).limit(1))  # fmt: skip
    letter = client.get(f"/manage/calls/{dialogue_id}/applications/{application_id}/letter")
    assert letter.status_code == 200
    assert letter.data.startswith(b"%PDF-")
    letter.close()
    assert client.get(f"/manage/calls/{network_id}/applications").status_code == 200
