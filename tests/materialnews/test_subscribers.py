"""Late materials reach the programme's interest list too: confirmed subscribers get the "new materials" mail
(its public part) in their language with the one-click unsubscribe headers, at most once a day per event;
an attendee who also follows the programme gets one mail, not two; pending and unsubscribed addresses get
nothing. On the real SMTP server, time moved by the chore's ``now``."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update

from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.interest.enums import SubscriptionStatus
from eventapp.interest.models import InterestSubscription
from eventapp.materialnews import services
from eventapp.materials.enums import Visibility
from eventapp.materials.models import Material
from tests.mail.test_worker import drain
from tests.materialnews.test_new_materials import add_deck, publish

pytest_plugins = ["tests.materials.material_fixtures"]


@pytest.fixture
def followed(app, webinar, create_programme):
    """The webinar in a programme whose list holds: Aino (Finnish), Sven (Swedish), Ola (an attendee too,
    Norwegian), and Pending Per, who never confirmed."""
    programme = create_programme(title="Innovasjonsprogrammet")
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == webinar.id).values(programme_id=programme.id))
        for email, name, locale, status in (
            ("aino@example.org", "Aino Virtanen", "fi", SubscriptionStatus.CONFIRMED),
            ("sven@example.org", "Sven Svensson", "sv", SubscriptionStatus.CONFIRMED),
            ("ola@example.org", "Ola Nordmann", "nb", SubscriptionStatus.CONFIRMED),
            ("per@example.org", "Pending Per", "en", SubscriptionStatus.PENDING),
        ):
            db.session.add(InterestSubscription(programme_id=programme.id, email=email, name=name, locale=locale,
                                                status=status, confirmed_at=utcnow()))  # fmt: skip
        db.session.commit()
    return webinar


def _to(message) -> str:
    return str(message["To"].addresses[0].addr_spec)


def news_by_address(smtp_server) -> dict[str, list]:
    """The "new materials" mails (subject in any of our languages) by recipient."""
    found: dict[str, list] = {}
    for message in smtp_server.inbox.messages:
        if str(message["Subject"]).split(":")[0] in {"New materials", "Uusia materiaaleja", "Nytt material",
                                                     "Nytt materiale", "Nye materialer"}:  # fmt: skip
            found.setdefault(_to(message), []).append(message)
    return found


def test_subscribers_get_the_late_decks_in_their_language_with_one_click_unsubscribe(
    app, mail_app, smtp_server, followed
):
    add_deck(app, followed, "Opening")
    publish(app, followed)  # attendees' follow-up; subscribers' "materials online"
    add_deck(app, followed, "Bergen kommune", item=1)
    material_id = add_deck(app, followed, "Attendees only", item=None)  # for registered attendees only:
    with app.app_context():  # subscribers are not told of it
        db.session.execute(update(Material).where(Material.id == material_id).values(visibility=Visibility.REGISTERED))
        db.session.commit()
        assert services.send_new_materials(now=utcnow()) == 0  # the same day as the follow-up mail
        tomorrow = utcnow() + timedelta(days=1)
        assert services.send_new_materials(now=tomorrow) == 4  # Ola, Emma; Aino, Sven
        assert services.send_new_materials(now=tomorrow + timedelta(hours=5)) == 0
    drain(mail_app)
    news = news_by_address(smtp_server)
    assert sorted(news) == ["aino@example.org", "emma@example.org", "ola@example.org", "sven@example.org"]
    assert all(len(mails) == 1 for mails in news.values())  # Ola follows the programme and came: one mail
    aino = news["aino@example.org"][0]
    assert aino["Subject"] == f"Uusia materiaaleja: {followed.title}"
    body = aino.get_body(("plain",)).get_content()
    assert "Hei Aino Virtanen" in body
    assert "Bergen kommune" in body
    assert "Attendees only" not in body
    assert "Opening" not in body
    assert "/material-news" not in body  # no attendee's link: the list's own page and unsubscribe instead
    unsubscribe = str(aino["List-Unsubscribe"]).strip("<>")
    assert urlsplit(unsubscribe).path.startswith("/interest/")
    assert unsubscribe.endswith("/unsubscribe")
    assert aino["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in body
    assert news["sven@example.org"][0]["Subject"] == f"Nytt material: {followed.title}"
    ola = news["ola@example.org"][0]
    assert "/material-news" in ola.get_body(("plain",)).get_content()  # the attendee's mail, not the list's
    assert "List-Unsubscribe" not in ola
    assert "per@example.org" not in {_to(m) for m in smtp_server.inbox.messages}  # never confirmed

    # Aino leaves with one click (what her mail provider posts); the next day's deck reaches Sven only.
    left = app.test_client().post(urlsplit(unsubscribe).path, data={"List-Unsubscribe": "One-Click"})
    assert left.status_code in (200, 303)
    smtp_server.inbox.messages.clear()
    add_deck(app, followed, "Trondheim kommune", item=None)
    with app.app_context():
        assert services.send_new_materials(now=utcnow() + timedelta(days=2)) == 3  # Ola, Emma, Sven
    drain(mail_app)
    news = news_by_address(smtp_server)
    assert sorted(news) == ["emma@example.org", "ola@example.org", "sven@example.org"]
    assert "Trondheim kommune" in news["sven@example.org"][0].get_body(("plain",)).get_content()


def test_an_attendee_who_opted_out_is_not_written_to_through_the_list_either(app, followed):
    add_deck(app, followed, "Opening")
    publish(app, followed)
    with app.app_context():
        from eventapp.registrations import queries as registration_queries

        services.opt_out(registration_queries.by_token(followed.tokens["ola@example.org"]).id)
    add_deck(app, followed, "Late deck", item=1)
    with app.app_context():
        assert services.send_new_materials(now=utcnow() + timedelta(days=1)) == 3  # Emma; Aino, Sven


def test_an_event_outside_any_programme_writes_to_no_list(app, followed):
    add_deck(app, followed, "Opening")
    publish(app, followed)
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == followed.id).values(programme_id=None))
        db.session.commit()
    add_deck(app, followed, "Late deck", item=1)
    with app.app_context():
        assert services.send_new_materials(now=utcnow() + timedelta(days=1)) == 2  # the attendees only
