"""Addresses of recordings, boards and links: only https, and which videos get the privacy-friendly player."""

from __future__ import annotations

import pytest

from eventapp.errors import ValidationFailed
from eventapp.materials.links import check_url, video_embed


@pytest.mark.parametrize(
    "url",
    [
        "https://padlet.com/kommune/innovasjon",
        "https://miro.com/app/board/uXjVOabc123=/?share_link_id=42",
        "https://www.example.org/rapport.pdf#side=2",
        "https://bærum.example.org/opptak",
    ],
)
def test_https_addresses_are_kept_as_given(url):
    assert check_url(f"  {url} ") == url


def test_the_scheme_is_written_in_lower_case():
    assert check_url("HTTPS://Padlet.com/x") == "https://Padlet.com/x"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://padlet.com/x", "Please use the secure address: it starts with https://, not http://."),
        ("HTTP://padlet.com/x", "Please use the secure address"),
        ("javascript:alert(1)", "Only web addresses that start with https:// are accepted here."),
        ("JaVaScRiPt:alert(1)", "Only web addresses that start with https:// are accepted here."),
        ("data:text/html;base64,PHNjcmlwdD4=", "Only web addresses that start with https:// are accepted here."),
        ("ftp://files.example.org/x", "Only web addresses that start with https:// are accepted here."),
        ("padlet.com/x", "Only web addresses that start with https:// are accepted here."),
        ("https:padlet.com", "Only web addresses that start with https:// are accepted here."),
        ("https://localhost/x", "This is not a complete web address."),
        ("https://padlet.com:port/x", "This is not a complete web address."),
        ("https://user:secret@padlet.com/x", "The address has a user name or password in it."),
        ("https://padlet.com/a b", "The address has spaces or invisible characters in it."),
        ("https://padlet.com/\u0000", "The address has spaces or invisible characters in it."),
        ("https://padlet.com/" + "x" * 1000, "The address is longer than 1000 characters."),
        ("", "Give the address. It starts with https://."),
    ],
)
def test_other_addresses_are_refused_with_a_reason(url, message):
    with pytest.raises(ValidationFailed) as refused:
        check_url(url)
    assert refused.value.field == "url"
    assert refused.value.message.startswith(message)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/live/dQw4w9WgXcQ",
    ],
)
def test_youtube_addresses_play_from_youtube_nocookie(url):
    embed = video_embed(url)
    assert embed is not None
    assert embed.provider == "YouTube"
    assert embed.player_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert embed.watch_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "player", "watch"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1", "https://vimeo.com/76979871"),
        ("https://vimeo.com/76979871/8272103f6e", "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e",
         "https://vimeo.com/76979871/8272103f6e"),
        ("https://player.vimeo.com/video/76979871?h=8272103f6e", "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e",
         "https://vimeo.com/76979871/8272103f6e"),
    ],
)  # fmt: skip
def test_vimeo_addresses_play_without_tracking(url, player, watch):
    embed = video_embed(url)
    assert embed is not None
    assert (embed.provider, embed.player_url, embed.watch_url) == ("Vimeo", player, watch)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=too-short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22%3E%3Cscript%3E",
        "https://www.youtube.com/channel/UC123",
        "https://vimeo.com/channels/staffpicks",
        "https://evil.example.org/youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example.org/watch?v=dQw4w9WgXcQ",
        "https://padlet.com/kommune/innovasjon",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_other_addresses_are_only_linked(url):
    assert video_embed(url) is None
