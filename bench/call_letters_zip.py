"""Memory of the letters ZIP (issue #14): peak Python memory while the ZIP of a call's letters is streamed,
for 30 and for 300 letters of about 200 kB each (SQLite in a temporary folder; tracemalloc counts what
Python allocates while the response is consumed chunk by chunk, as a WSGI server does).

    .venv/bin/python bench/call_letters_zip.py [--letters 30 300] [--kb 200]

A streamed ZIP keeps the peak flat: it does not grow with the number of letters."""

from __future__ import annotations

import argparse
import io
import os
import secrets
import sys
import tempfile
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = secrets.token_urlsafe(16)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--kb", type=int, default=200)
    args = parser.parse_args()
    for count in args.letters:
        with tempfile.TemporaryDirectory() as folder:
            peak, size = measure(Path(folder), count, args.kb)
        print(f"{count:4d} letters of ~{args.kb} kB: ZIP {size / 1e6:7.1f} MB, peak Python memory while streaming "
              f"{peak / 1e6:6.2f} MB")  # fmt: skip


def measure(folder: Path, count: int, kb: int) -> tuple[int, int]:
    os.environ["EVENTAPP_INSTANCE_PATH"] = str(folder)
    from eventapp import create_app
    from eventapp.accounts.enums import Role
    from eventapp.accounts.services import create_user
    from eventapp.calls import services
    from eventapp.calls.enums import CallKind, LetterPolicy
    from eventapp.calls.letters import Upload
    from eventapp.calls.models import Call
    from eventapp.db import utcnow
    from eventapp.extensions import db
    from eventapp.materials.pdf import tiny_pdf
    from eventapp.programmes.models import Programme
    from eventapp.registrations.enums import OrganisationType
    from tests.calls.conftest import norwegian_number
    from tests.registrations.conftest import csrf_token

    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench-only-" + "x" * 40, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.sqlite",
        "UPLOAD_FOLDER": str(folder / "up"), "EVENTAPP_BASE_URL": "http://bench.test", "MAX_UPLOAD_MB": 50,
    })  # fmt: skip
    with app.app_context():
        db.create_all()
        create_user(email="owner@example.org", password=PASSWORD, role=Role.ADMIN, name="Owner")
        programme = Programme(slug="bench", title="Bench")
        db.session.add(programme)
        now = utcnow()
        call = Call(programme=programme, kind=CallKind.PARTICIPATION, title="Bench", language="en", timezone="UTC",
                    opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1), target_min=0,
                    target_max=count, letter_policy=LetterPolicy.OPTIONAL)  # fmt: skip
        db.session.add(call)
        db.session.commit()
        call_id = call.id
        for i in range(count):
            pdf = tiny_pdf(f"Letter {i}")
            pdf = pdf[:-6] + os.urandom(kb * 1024) + pdf[-6:]  # incompressible padding, as scanned letters are
            data = services.ApplicationData(
                organisation=f"Organisation {i}", organisation_number=norwegian_number(i * 7), country="NO",
                organisation_type=OrganisationType.MUNICIPALITY, contact_name="C", contact_role="R",
                contact_email=f"c{i}@example.org", contact_phone="", locale="en", consent_public=False,
                accept_privacy=True,
            )  # fmt: skip
            services.apply(call_id, data, Upload(io.BytesIO(pdf), "letter.pdf"))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "owner@example.org",
                                "password": PASSWORD})  # fmt: skip
    tracemalloc.start()
    response = client.get(f"/manage/calls/{call_id}/letters.zip", buffered=False)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    with app.app_context():
        db.engine.dispose()
    return peak, size


if __name__ == "__main__":
    main()
