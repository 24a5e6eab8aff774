"""Building MIME: the hand-written builder (eventapp.mail.transport.build_mime) against the standard
library's ``email`` package with a strict policy, measured in the same run on the same mails.

    .venv/bin/python bench/mail_mime.py [--mails 2000] [--rounds 5]

No database or server: it builds realistic mails (Norwegian name and subject, text and HTML bodies of
about 2 KB, a calendar attachment on every other mail) both ways, alternating the two in each round, and
prints mails per second for each way per round, then the medians and their ratio. Both ways refuse CR and
LF in header values (the hand-written one raises ``UnsafeHeader``; ``email.policy.SMTP`` raises
``ValueError``), and the script checks that first, so the figures compare two safe builders.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, parseaddr
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventapp.mail.enums import CalendarMethod
from eventapp.mail.services import ClaimedMail
from eventapp.mail.transport import UnsafeHeader, build_mime

STRICT = SMTP.clone(raise_on_defect=True)
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//eventapp//bench//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:bench@eventapp\r\nDTSTAMP:20300101T080000Z\r\nDTSTART:20300101T080000Z\r\nDTEND:20300101T100000Z\r\n"
    "SUMMARY:Innovative anskaffelser og bærekraftsmål\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()
TEXT = "Hei Ærlig Åsmund Øvrebø,\n\nDu er påmeldt «Innovative anskaffelser i kommunene».\n\n" + (
    "Tid: tirsdag 3. mars 2030 kl. 09.00–11.00 (Europe/Oslo). Sted: Bærum rådhus, Arnold Haukelands plass 10.\n" * 15
)
HTML = "<p>" + TEXT.replace("\n\n", "</p><p>") + "</p>"


def sample_mails(count: int) -> list[ClaimedMail]:
    return [
        ClaimedMail(
            id=index,
            message_id=f"<{index:032x}@example.org>",
            recipient_email=f"person{index}@example.org",
            recipient_name="Ærlig Åsmund Øvrebø",
            sender="Innovasjonsprogrammet <noreply@example.org>",
            subject="Påmelding bekreftet: Innovative anskaffelser i kommunene – bærekraft og sirkulærøkonomi",
            body_text=TEXT,
            body_html=HTML,
            calendar=CALENDAR if index % 2 else None,
            calendar_method=CalendarMethod.REQUEST if index % 2 else None,
            attempts=1,
            created_at=datetime(2030, 1, 1, tzinfo=UTC),
        )
        for index in range(count)
    ]


def build_with_email_package(mail: ClaimedMail) -> bytes:
    """The same mail through ``email.message.EmailMessage`` with ``email.policy.SMTP`` (CRLF, strict)."""
    message = EmailMessage(policy=STRICT)
    sender_name, sender_address = parseaddr(mail.sender)
    message["From"] = Address(sender_name, addr_spec=sender_address)
    message["To"] = Address(mail.recipient_name, addr_spec=mail.recipient_email)
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = formatdate(usegmt=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body_text, cte="quoted-printable")
    message.add_alternative(mail.body_html, subtype="html", cte="quoted-printable")
    if mail.calendar is not None and mail.calendar_method is not None:
        message.add_alternative(
            mail.calendar, maintype="text", subtype="calendar", params={"method": mail.calendar_method.value}
        )
        message.make_mixed()
        message.add_attachment(mail.calendar, maintype="application", subtype="ics", filename="invite.ics")
    return message.as_bytes()


WAYS = {"hand-written": build_mime, "email package (policy SMTP)": build_with_email_package}


def check_both_refuse_injection() -> None:
    hostile = dataclasses.replace(sample_mails(1)[0], recipient_name="Eve\r\nBcc: x@evil.example")
    for name, build in WAYS.items():
        try:
            build(hostile)
        except (UnsafeHeader, ValueError):
            continue
        sys.exit(f"{name} built a mail with CR/LF in a header: the comparison would not be fair")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    check_both_refuse_injection()
    mails = sample_mails(args.mails)
    for build in WAYS.values():  # warm up imports and caches
        for mail in mails[:50]:
            build(mail)
    rates: dict[str, list[float]] = {name: [] for name in WAYS}
    for round_number in range(1, args.rounds + 1):
        line = []
        for name, build in WAYS.items():
            start = time.perf_counter()
            size = sum(len(build(mail)) for mail in mails)
            rate = len(mails) / (time.perf_counter() - start)
            rates[name].append(rate)
            line.append(f"{name}: {rate:8.0f} mails/s ({size // len(mails)} bytes each)")
        print(f"round {round_number}: " + "; ".join(line))
    medians = {name: statistics.median(values) for name, values in rates.items()}
    for name, median in medians.items():
        print(f"median {name}: {median:.0f} mails/s")
    hand, package = medians.values()
    print(f"hand-written / email package: {hand / package:.1f}x")


if __name__ == "__main__":
    main()
