"""Walking the app's URL map: a small world of real rows to point every route at, a URL for every
rule, the query parameters each GET view reads, and a snapshot of every table to prove nothing changed.

Used by the walks in tests/security (CSRF, markup, property-based): every route the app has is walked,
so a new route is covered without a list to keep up to date.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.registrations import services as registration_services
from eventapp.registrations.enums import OrganisationType
from eventapp.speakers import services as speaker_services
from eventapp.speakers.models import Speaker

ADMIN = "walker.admin@example.org"

#: The hostile value of the markup walks: it closes an attribute, opens a script and a link.
HOSTILE = '"><script>alert(1)</script><a href=//evil.example>x</a>'
#: What must never reach a page as markup (the same tags, unescaped).
UNESCAPED = ("<script>alert(1)", "<a href=//evil.example>")

#: Keyword arguments of ``url_for`` itself: query parameters of these names once broke the language switcher.
URL_FOR_NAMES = ("endpoint", "_method", "_external", "_anchor", "_scheme", "values", "lang")

_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?(\w+)>")
_ARGS_READ = re.compile(r"request\.args\.(?:get|getlist)\(\s*[\"'](\w+)[\"']|request\.args\[[\"'](\w+)[\"']\]")
_FORM_FROM_ARGS = re.compile(r"(\w+Form)\(\s*request\.args")


@dataclass
class World:
    """Ids, slugs and tokens of real rows, so each route reaches its view rather than a 404."""

    admin_id: int
    programme_id: int
    programme_slug: str
    event_id: int
    event_slug: str
    item_id: int
    speaker_id: int
    speaker_token: str
    registration_id: int
    registration_token: str
    call_id: int = 1
    call_question_id: int = 1
    application_id: int = 1
    application_token: str = "not-a-valid-token"
    extra: dict[str, Any] = field(default_factory=dict)

    def value_for(self, rule: Rule, argument: str) -> Any:
        path = rule.rule
        if argument == "slug":
            return self.programme_slug if path.startswith("/programmes/") else self.event_slug
        if argument == "token":
            if path.startswith("/r/"):
                return self.registration_token
            if path.startswith("/speaker/"):
                return self.speaker_token
            if path.startswith("/calls/a/"):
                return self.application_token
            return "not-a-valid-token"
        return {
            "event_id": self.event_id,
            "programme_id": self.programme_id,
            "item_id": self.item_id,
            "speaker_id": self.speaker_id,
            "registration_id": self.registration_id,
            "user_id": self.admin_id,
            "call_id": self.call_id,
            "call_question_id": self.call_question_id,
            "application_id": self.application_id,
            "action": "confirm",
            "name": "slides.pdf",
            "filename": "css/eventapp.css",
        }.get(argument, 1)


def url_of(rule: Rule, world: World, overrides: dict[str, str] | None = None) -> str:
    """The rule's path with every argument filled from ``world`` (or, percent-encoded, from ``overrides``)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if overrides and name in overrides:
            return quote(overrides[name], safe="")
        return str(world.value_for(rule, name))

    return _ARGUMENT.sub(value, rule.rule)


def rules(app: Flask, method: str) -> list[Rule]:
    """Every rule that answers ``method`` (static files aside), in a stable order."""
    return sorted(
        (rule for rule in app.url_map.iter_rules() if method in (rule.methods or ()) and rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )


def query_parameters(app: Flask, rule: Rule) -> list[str]:
    """The query parameters the rule's view reads (found in its source: ``request.args`` and forms built
    from it), the rule's own argument names, and ``url_for``'s keyword names."""
    view = app.view_functions[rule.endpoint]
    source = inspect.getsource(inspect.unwrap(view))
    names = {a or b for a, b in _ARGS_READ.findall(source)}
    module = inspect.getmodule(inspect.unwrap(view))
    for form_name in _FORM_FROM_ARGS.findall(source):
        form_class = getattr(module, form_name)
        names.update(name for name, value in vars(form_class).items() if hasattr(value, "field_class"))
    names.update(rule.arguments)
    names.update(URL_FOR_NAMES)
    return sorted(names)


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of every table, as text: equal snapshots mean the request changed nothing stored."""
    with app.app_context():
        try:
            return {
                table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
                for table in db.metadata.sorted_tables
            }
        finally:
            db.session.remove()


def changed_tables(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def unescaped_markup(body: str) -> list[str]:
    return [tag for tag in UNESCAPED if tag in body]


@pytest.fixture
def world(app, create_programme, create_event, create_account) -> World:
    """A programme with a published event (agenda, an invited speaker), one person signed up, and an
    administrator (password: tests.account_fixtures.PASSWORD)."""
    admin = create_account(ADMIN, Role.ADMIN)
    programme = create_programme()
    event = create_event(agenda=2, speakers_per_item=1, programme=programme, created_by_id=admin.id)
    with app.app_context():
        speaker = db.session.scalars(select(Speaker).where(Speaker.event_id == event.id)).first()
        speaker_id, item_id = speaker.id, speaker.agenda_links[0].agenda_item_id
        speaker_token = speaker_services.invite(speaker_id, actor=db.session.get(User, admin.id))
        signed_up = registration_services.register(
            event.id,
            registration_services.RegistrationData(
                name="Åsa Lindqvist",
                email="asa.lindqvist@example.org",
                organisation="Region Skåne",
                organisation_type=OrganisationType.COUNTY,
                country="SE",
                accept_privacy=True,
                locale="en",
            ),
        )
        registration_id, registration_token = signed_up.registration_id, signed_up.token
        call = _open_call(programme.id)
        db.session.remove()
    return World(
        admin_id=admin.id,
        programme_id=programme.id,
        programme_slug=programme.slug,
        event_id=event.id,
        event_slug=event.slug,
        item_id=item_id,
        speaker_id=speaker_id,
        speaker_token=speaker_token,
        registration_id=registration_id,
        registration_token=registration_token,
        **call,
    )


def _open_call(programme_id: int) -> dict[str, Any]:
    """An open call on the programme with a question, and one application (a typed letter) with its link."""
    from datetime import timedelta

    from eventapp.calls import services as call_services
    from eventapp.calls.enums import CallKind, LetterPolicy
    from eventapp.calls.models import Call, CallQuestion
    from eventapp.db import utcnow
    from eventapp.registrations.enums import QuestionKind

    now = utcnow()
    call = Call(programme_id=programme_id, kind=CallKind.PARTICIPATION, title="Buyer dialogue", language="en",
                timezone="Europe/Oslo", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9),
                target_min=1, target_max=2, letter_policy=LetterPolicy.OPTIONAL)  # fmt: skip
    call.questions = [CallQuestion(label="Why?", kind=QuestionKind.SHORT_TEXT)]
    db.session.add(call)
    db.session.commit()
    applied = call_services.apply(call.id, call_services.ApplicationData(
        organisation="Bergen kommune", organisation_number="974760673", organisation_type=OrganisationType.MUNICIPALITY,
        country="NO", contact_name="Kari", contact_role="Adviser", contact_email="kari.n@example.org",
        contact_phone="", locale="en", consent_public=True, accept_privacy=True,
    ))  # fmt: skip
    return {"call_id": call.id, "call_question_id": call.questions[0].id, "application_id": applied.application_id,
            "application_token": applied.token}  # fmt: skip
