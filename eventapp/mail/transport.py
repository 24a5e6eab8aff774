"""Turning a claimed mail into MIME, and handing it to SMTP (smtplib, with time-outs) or to a file.

MIME structure (ARCHITECTURE.md, RFC 6047): a mail without a calendar is multipart/alternative (text,
HTML). With a calendar it is multipart/mixed holding multipart/alternative (text, HTML, then
``text/calendar; method=...; charset=UTF-8``) and the same calendar bytes as an ``invite.ics``
attachment. The calendar is passed as bytes so its CRLF line ends survive.

Headers are safe by construction: every value that goes into a header (names, addresses, subject,
Message-ID) is checked first, and one carrying CR, LF or any other control character (the single-line
rule of ``eventapp.controlchars``) raises ``UnsafeHeader``; nothing is stripped silently here. The worker
then marks that mail failed for good, with the reason, instead of sending it. Non-ASCII text is written as
RFC 2047 encoded words of at most 75 characters, on lines of at most 76.

Decision: the MIME stays hand-written rather than built with ``email.message.EmailMessage`` and a strict
policy (``email.policy.SMTP``, which also refuses CR and LF in header values). bench/mail_mime.py builds
the same mails both ways in one run: the hand-written builder is several times faster (see its output),
and the worker's throughput target depends on it; the tests parse every kind of mail with the standard
library, and check header safety and encoded-word lengths on the raw bytes.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
import smtplib
import socket
import tempfile
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path
from typing import Protocol

from flask import current_app

from eventapp.controlchars import describe, first_forbidden
from eventapp.mail.services import ClaimedMail

CRLF = b"\r\n"
#: RFC 2047 section 2: a line holding encoded words is at most 76 characters long.
MAX_ENCODED_LINE = 76


class PermanentFailure(Exception):
    """The server refused this mail for good (5xx), or it cannot be built: retrying will not help."""


class UnsafeHeader(PermanentFailure, ValueError):
    """A header value carries CR, LF or another control character: the mail is not built."""


def _safe(header: str, value: str) -> str:
    character = first_forbidden(value)
    if character is not None:
        raise UnsafeHeader(f"the {header} header would carry the control character {describe(character)}; "
                           "the mail was not built (change the text that holds it, then send it again)")  # fmt: skip
    return value


#: The characters a "Q" encoded word may carry as themselves in any header, a phrase included (RFC 2047
#: section 5 (3)); a space is written "_", every other byte "=XX".
_Q_LITERAL = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
_Q_BYTE = [chr(b) if b in _Q_LITERAL else "_" if b == 0x20 else f"={b:02X}" for b in range(256)]
_Q_PREFIX, _B_PREFIX, _SUFFIX = "=?utf-8?q?", "=?utf-8?b?", "?="


class _QCharacters(dict[str, str]):
    """A character's "Q" form (all its UTF-8 bytes), worked out once per character (at most 20,000 kept)."""

    def __missing__(self, character: str) -> str:
        if len(self) >= 20_000:
            self.clear()
        piece = self[character] = "".join(_Q_BYTE[b] for b in character.encode("utf-8"))
        return piece


_Q_CHARACTERS = _QCharacters()


def _encoded_words(value: str, first_room: int) -> str:
    """``value`` as RFC 2047 encoded words in UTF-8, each at most 75 characters and each whole characters
    (a word never ends inside a UTF-8 sequence), joined by folding whitespace so that no line is longer
    than 76; ``first_room``: the characters the first line has left for its word.

    "Q" (readable, as for Norwegian text with a few letters beyond ASCII) or "B" (base64), whichever is
    shorter for the whole value, as the standard library chooses for UTF-8. Written by hand:
    ``email.header.Header`` measures each candidate split by summing over every byte again, which made
    it about 80 % of ``build_mime``'s time, 0.09 ms for one subject (bench/mail_mime.py; PERFORMANCE.md,
    "Fourth round")."""
    pieces = [_Q_CHARACTERS[character] for character in value]
    data = value.encode("utf-8")
    words: list[str] = []
    room = min(first_room, 75)
    if sum(map(len, pieces)) <= (len(data) + 2) // 3 * 4:
        word: list[str] = []
        length = len(_Q_PREFIX) + len(_SUFFIX)
        for piece in pieces:
            if word and length + len(piece) > room:
                words.append(f"{_Q_PREFIX}{''.join(word)}{_SUFFIX}")
                word, length, room = [], len(_Q_PREFIX) + len(_SUFFIX), MAX_ENCODED_LINE - 1
            word.append(piece)
            length += len(piece)
        words.append(f"{_Q_PREFIX}{''.join(word)}{_SUFFIX}")
    else:
        start = 0
        while start < len(data):
            budget = max(6, (room - len(_B_PREFIX) - len(_SUFFIX)) // 4 * 3)  # bytes; 6 hold any character
            end = min(len(data), start + budget)
            while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte: back to the character's start
                end -= 1
            words.append(f"{_B_PREFIX}{base64.b64encode(data[start:end]).decode('ascii')}{_SUFFIX}")
            start, room = end, MAX_ENCODED_LINE - 1
    return "\r\n ".join(words)


def _header(name: str, value: str) -> str:
    """``Name: value``, the value RFC 2047-encoded when it is not plain ASCII (words of at most 75
    characters: the header name counts on the first line)."""
    value = _safe(name, value)
    if value.isascii():
        return f"{name}: {value}"
    return f"{name}: {_encoded_words(value, MAX_ENCODED_LINE - len(name) - 2)}"


def _address(header: str, name: str, address: str) -> str:
    """``To: Name <address>``; a non-ASCII name as encoded words, the address folded onto its own line
    when it would make the last line longer than 76 characters."""
    address = _safe(header, address)
    name = _safe(header, name)
    if not name:
        return f"{header}: {address}"
    if name.isascii():
        return f"{header}: {formataddr((name, address))}"
    encoded = _encoded_words(name, MAX_ENCODED_LINE - len(header) - 2)
    last_line = f"{header}: {encoded}".rpartition("\r\n")[2]
    separator = " " if len(last_line) + 2 + len(address) + 1 <= MAX_ENCODED_LINE else "\r\n "
    return f"{header}: {encoded}{separator}<{address}>"


def _list_unsubscribe(url: str) -> list[str]:
    """The RFC 2369 and RFC 8058 headers of a list mail: ``List-Unsubscribe: <url>`` and the one-click
    ``List-Unsubscribe-Post``. The URL must be a plain http(s) address of printable ASCII without spaces,
    angle brackets or commas (which would end the bracketed URI or start a second one); anything else
    raises ``UnsafeHeader``."""
    url = _safe("List-Unsubscribe", url)
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("https", "http") or not url.isascii() or any(c in url for c in ' <>,"\\') or len(url) > 900:
        raise UnsafeHeader("the List-Unsubscribe address is not a plain http(s) URL; the mail was not built")
    return [f"List-Unsubscribe: <{url}>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]


def _quoted_printable(text: str) -> bytes:
    """UTF-8 text as quoted-printable with CRLF line ends (soft breaks keep lines under 76 octets). A bare
    CR or LF never reaches the wire (it would let text smuggle SMTP or MIME lines): each is a line end."""
    body = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return binascii.b2a_qp(body, quotetabs=False, istext=True).replace(b"\n", CRLF)


def _base64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", CRLF)


def _part(headers: list[str], body: bytes) -> bytes:
    return CRLF.join(h.encode("ascii") for h in headers) + CRLF + CRLF + body


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    # "=_" never occurs in quoted-printable or base64 output, so the boundary cannot clash with content.
    boundary = f"=_{secrets.token_hex(16)}"
    delimiter = f"--{boundary}".encode("ascii")
    body = b"".join(delimiter + CRLF + part + CRLF for part in parts) + delimiter + b"--" + CRLF
    return f'multipart/{subtype}; boundary="{boundary}"', body


def build_mime(mail: ClaimedMail) -> bytes:
    """The mail as it goes on the wire (CRLF line ends, 7-bit clean).

    Written directly rather than through ``email.message``: the structure is fixed and simple, and it
    is several times faster (bench/mail_mime.py), which is what lets one worker send hundreds of mails
    a second. The tests parse every message with the standard library to prove it is well-formed.
    Raises ``UnsafeHeader`` (before any body is encoded) when a header value carries a control character.
    """
    sender_name, sender_address = parseaddr(_safe("From", mail.sender))
    headers = [
        _address("From", sender_name, sender_address),
        _address("To", mail.recipient_name, mail.recipient_email),
        _header("Subject", mail.subject),
        _header("Message-ID", mail.message_id),
        f"Date: {formatdate(usegmt=True)}",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
    ]
    if mail.list_unsubscribe:
        headers[5:5] = _list_unsubscribe(mail.list_unsubscribe)
    text_parts = [
        _part(
            [f'Content-Type: text/{subtype}; charset="utf-8"', "Content-Transfer-Encoding: quoted-printable"],
            _quoted_printable(content),
        )
        for subtype, content in (("plain", mail.body_text), ("html", mail.body_html))
    ]
    if mail.calendar is not None and mail.calendar_method is not None:
        method = mail.calendar_method.value
        calendar_part = _part(
            [f'Content-Type: text/calendar; method={method}; charset="UTF-8"', "Content-Transfer-Encoding: base64"],
            _base64(mail.calendar),
        )
        alternative_type, alternative_body = _multipart("alternative", [*text_parts, calendar_part])
        attachment = _part(
            [
                'Content-Type: application/ics; name="invite.ics"',
                'Content-Disposition: attachment; filename="invite.ics"',
                "Content-Transfer-Encoding: base64",
            ],
            _base64(mail.calendar),
        )
        content_type, body = _multipart(
            "mixed", [_part([f"Content-Type: {alternative_type}"], alternative_body), attachment]
        )
    else:
        content_type, body = _multipart("alternative", text_parts)
    return _part([*headers, f"Content-Type: {content_type}"], body)


class Transport(Protocol):
    def __enter__(self) -> Transport: ...
    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None: ...
    def send(self, mail: ClaimedMail) -> None: ...


class SmtpTransport:
    """One SMTP connection (configured by MAIL_*) for a batch of mails.

    Every network step (connect, STARTTLS, login, each command, QUIT) has a time-out of
    ``MAIL_TIMEOUT_SECONDS``: a server that accepts the connection and never answers raises
    ``TimeoutError`` (an ``OSError``), which the worker treats like a 4xx: the mail is retried later.
    """

    def __init__(self) -> None:
        self._host: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        # Settings are read from the config now (not frozen at start-up), so a changed MAIL_* applies.
        config = current_app.config
        timeout = float(config["MAIL_TIMEOUT_SECONDS"])
        server, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        host = smtp_class(server, port, timeout=timeout)
        self._host = host
        try:
            if config.get("MAIL_USE_TLS"):
                host.starttls()
            if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
                host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            self.close()
            raise
        # smtplib writes each command as a small packet; with Nagle's algorithm and delayed ACKs every
        # mail would wait tens of milliseconds for the server's ACK. Send small packets at once.
        if host.sock is not None:
            host.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        host = self._host
        if host is None:
            return
        if exc_type is None and host.sock is not None:
            # A polite QUIT, but never a long wait for it: the mails are already accepted.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                host.sock.settimeout(min(float(current_app.config["MAIL_TIMEOUT_SECONDS"]), 5.0))
                host.quit()
        self.close()

    def close(self) -> None:
        """Drop the connection without a word to the server (it failed, or the worker is stopping)."""
        if self._host is not None:
            with contextlib.suppress(OSError):
                self._host.close()
            self._host = None

    def send(self, mail: ClaimedMail) -> None:
        if self._host is None:
            raise smtplib.SMTPServerDisconnected("not connected")
        data = build_mime(mail)
        _, sender = parseaddr(mail.sender)
        try:
            self._host.sendmail(sender, [mail.recipient_email], data)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                answers = "; ".join(f"{code} {_server_text(text)}" for code, text in exc.recipients.values())
                raise PermanentFailure(f"recipient refused: {answers}") from exc
            raise
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600 and exc.smtp_code not in (500, 502, 503):  # not command errors
                raise PermanentFailure(f"{exc.smtp_code} {_server_text(exc.smtp_error)}") from exc
            raise


def _server_text(answer: bytes | str) -> str:
    """An SMTP server's answer as readable text for the organiser (no control characters)."""
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


class FileTransport:
    """Writes each mail as an .eml file (no MAIL_SERVER configured): a person can open it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> FileTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, mail: ClaimedMail) -> None:
        data = build_mime(mail)
        name = f"{mail.created_at:%Y%m%dT%H%M%S}-{mail.id:08d}.eml"
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self.folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
