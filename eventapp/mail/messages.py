"""What every mail builder shares: ``render`` draws ``templates/mail/<name>.txt`` and ``.html`` in the
recipient's language, ``compose`` makes the ``RenderedMail`` that ``enqueue`` takes. The builders stand
beside the reason to write, in the domain packages (``registrations/messages.py``,
``speakers/messages.py``, ``accounts/messages.py``, ...): mail imports none of them.
"""

from __future__ import annotations

from typing import Protocol

from flask import render_template
from flask_babel import force_locale

from eventapp.mail.enums import CalendarMethod
from eventapp.mail.services import RenderedMail


class Recipient(Protocol):
    """A registration, a speaker, an organiser account or a calendar person."""

    email: str
    name: str


def compose(
    kind: str,
    to: Recipient,
    *,
    locale: str,
    subject: str,
    text: str,
    html: str,
    calendar: bytes | None = None,
    method: CalendarMethod | None = None,
) -> RenderedMail:
    """A rendered mail to ``to`` (a registration, a speaker, an organiser account or a calendar person)."""
    return RenderedMail(
        kind=kind,
        recipient_email=to.email,
        recipient_name=to.name,
        locale=locale,
        subject=subject,
        body_text=text,
        body_html=html,
        calendar=calendar,
        calendar_method=method,
        about=to if getattr(to, "__tablename__", None) in ("registrations", "speakers") else None,
    )


def render(template: str, *, locale: str, **context: object) -> tuple[str, str]:
    """``mail/<template>.txt`` and ``.html`` rendered in ``locale``."""
    with force_locale(locale):
        text = render_template(f"mail/{template}.txt", **context) + render_template("mail/_footer.txt")
        html = render_template(f"mail/{template}.html", **context)
    return text, html
