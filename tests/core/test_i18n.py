"""Language selection. Until a language has its catalogue, asking for it gives English throughout."""

from __future__ import annotations

from eventapp import i18n


def test_english_is_always_available_and_only_languages_with_a_catalogue_are_offered():
    offered = i18n.available_locales()

    assert "en" in offered
    for code in offered:
        assert code == "en" or (i18n.TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.mo").is_file()


def test_a_language_without_a_catalogue_falls_back_to_english_not_a_mix(client, create_event):
    event = create_event(title="Webinar")

    response = client.get(f"/events/{event.slug}?lang=xx", headers={"Accept-Language": "de-DE,de;q=0.9"})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Duration" in html
    assert "lang=" not in response.headers.get("Set-Cookie", "")  # an unknown choice is not remembered


def test_a_chosen_language_is_remembered_in_a_cookie(client, create_event):
    event = create_event()

    response = client.get(f"/events/{event.slug}?lang=en")

    assert response.headers["Set-Cookie"].startswith("lang=en;")
    assert "HttpOnly" in response.headers["Set-Cookie"]
