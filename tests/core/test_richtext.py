from __future__ import annotations

from eventapp.programmes.models import Programme
from eventapp.richtext import plain_text, render_markdown


def test_markdown_is_rendered():
    html = render_markdown("## Agenda\n\n- one\n- two\n\n**bold** and [link](https://example.org)")

    assert "<h2>Agenda</h2>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html


def test_dangerous_markup_does_not_survive():
    html = render_markdown(
        '<img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>'
        '<a href="javascript:alert(1)" onclick="x()">x</a>'
    )

    assert "onerror" not in html
    assert "<iframe" not in html
    assert "javascript:" not in html
    assert "onclick" not in html


def test_description_is_stored_rendered_on_assignment():
    programme = Programme(description_md="Hei **alle**")

    assert programme.description_html == "<p>Hei <strong>alle</strong></p>"
    programme.description_md = ""
    assert programme.description_html == ""


def test_plain_text_keeps_structure_and_drops_markup():
    html = render_markdown(
        "## Program\n\n"
        "- Innledning\n    - Velkommen\n- Panel med [NTNU](https://ntnu.no)\n\n"
        "Linje én  \nLinje to <script>alert(1)</script> & mer\n\n"
        "    kode  med  mellomrom\n\n"
        "| Tid | Hva |\n|---|---|\n| 10:00 | Start |\n"
    )

    assert plain_text(html) == (
        "Program\n\n"
        "- Innledning\n  - Velkommen\n- Panel med NTNU (https://ntnu.no)\n\n"
        "Linje én\nLinje to & mer\n\n"
        "kode  med  mellomrom\n\n"
        "Tid | Hva\n10:00 | Start"
    )
