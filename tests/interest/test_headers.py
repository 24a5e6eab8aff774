"""The RFC 8058 headers of a list mail are built safely: only a plain http(s) address goes into them, and the
form of "Keep me informed" is rate-limited like sign-ups."""

from __future__ import annotations

import email
from email.policy import default as default_policy

import pytest

from eventapp.mail.transport import UnsafeHeader, build_mime
from tests.registrations.conftest import text_of
from tests.security.test_mail_injection import claimed

URL = "https://events.example.org/interest/AbCdEfGhIjKlMnOpQrStUvWxYz012345/unsubscribe"


def test_a_list_mail_carries_both_headers_and_parses():
    raw = build_mime(claimed(list_unsubscribe=URL))
    message = email.message_from_bytes(raw, policy=default_policy)

    assert message["List-Unsubscribe"] == f"<{URL}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert b"\r\nList-Unsubscribe: <" in raw


def test_other_mails_carry_neither():
    message = email.message_from_bytes(build_mime(claimed()), policy=default_policy)
    assert "List-Unsubscribe" not in message
    assert "List-Unsubscribe-Post" not in message


@pytest.mark.parametrize("bad", [
    URL + "\r\nBcc: victim@example.org", URL + "\n", "javascript:alert(1)", "mailto:x@example.org",
    URL + ">, <https://evil.example.org", URL + " x", "https://exämple.org/u", "ftp://example.org/u",
])  # fmt: skip
def test_anything_but_a_plain_http_url_is_refused(bad):
    with pytest.raises(UnsafeHeader):
        build_mime(claimed(list_unsubscribe=bad))


def test_keep_me_informed_is_rate_limited_like_sign_ups(app, client, ask, create_programme):
    programme = create_programme(slug="limited")
    app.config["RATELIMIT_SIGNUP"] = "3 per minute"
    try:
        answers = [ask(programme.slug, email=f"p{i}@example.org").status_code for i in range(4)]
        limited = ask(programme.slug, email="p9@example.org")
    finally:
        app.config["RATELIMIT_SIGNUP"] = "10 per minute;60 per hour"

    assert answers == [303, 303, 303, 429]
    assert "Too many attempts" in text_of(limited.get_data(as_text=True))
