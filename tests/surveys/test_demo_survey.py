"""The demo's past webinar comes with a feedback survey and answers, so ``make run`` shows the results page
with its charts."""

from __future__ import annotations

from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.demo import seed_demo
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materials.demo import WEBINAR_SLUG
from tests.registrations.conftest import text_of


def test_the_past_demo_webinar_has_a_survey_whose_results_show_charts(app, client, create_account, log_in):
    with app.app_context():
        seed_demo()
        event_id = db.session.scalar(select(Event.id).where(Event.slug == WEBINAR_SLUG))
    create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")
    html = client.get(f"/manage/events/{event_id}/survey/results").get_data(as_text=True)
    page = text_of(html)
    assert html.count('role="img"') == 4  # the 1-5 scale, would recommend, one choice, yes/no
    assert "Answers 6" in page
    assert "Average: 4.2" in page  # (5 + 4 + 4 + 3 + 5 + 4) / 6
    assert "Net Promoter Score: 33" in page  # three promoters (9, 10, 9), one detractor (6), of six
    assert "Eksempler fra mindre kommuner." in page
    survey_page = text_of(client.get(f"/manage/events/{event_id}/survey").get_data(as_text=True))
    assert "The survey closed " in survey_page  # 30 days after a webinar 45 days ago
