"""The sign-up's rows, written with Core inserts: on PostgreSQL one statement for all three.

A sign-up writes a registration, its link token and its mail draft. Through the ORM's unit of work that
was three INSERTs in two flushes and about a third of the sign-up's CPU (bench/signup_profile.py --profile);
here the three rows are one statement on PostgreSQL (data-modifying CTEs: the registration's INSERT
returns its id, the token and the draft take it from there) and three plain Core INSERTs on SQLite (whose
statements cost no round trip). The rows are exactly those the ORM wrote (``registration_values``
gives every column its model's default); the seat counter's triggers fire on the registration's INSERT
as on any other, and the partial unique index (one active registration per address) refuses a second
one with IntegrityError as before.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, insert, select

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.models import Registration, RegistrationToken

_REGISTRATIONS = cast(Table, Registration.__table__)
_TOKENS = cast(Table, RegistrationToken.__table__)
_OUTBOX = cast(Table, OutboxMessage.__table__)


def with_defaults(table: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` and, for every other column of ``table`` with a default in the model, that default (what
    the ORM's flush would have written): the statement then names the same columns every time."""
    row = dict(values)
    for column in table.c:
        default = column.default
        if column.name not in row and default is not None and not column.primary_key:
            row[column.name] = default.arg(None) if default.is_callable else default.arg
    return row


@cache
def _one_statement(registration_columns: tuple[str, ...], mail_columns: tuple[str, ...]) -> Select[Any]:
    """WITH new_registration AS (INSERT ... RETURNING id), new_token AS (INSERT ... SELECT id ...),
    new_mail AS (INSERT ... SELECT id ...) SELECT id FROM new_registration; parameters ``r_<column>``,
    ``token_hash``, ``token_created_at`` and ``m_<column>``. Built once per set of columns."""
    new = (
        insert(_REGISTRATIONS)
        .values({name: bindparam(f"r_{name}", type_=_REGISTRATIONS.c[name].type) for name in registration_columns})
        .returning(_REGISTRATIONS.c.id)
        .cte("new_registration")
    )
    token = insert(_TOKENS).from_select(
        ["registration_id", "token_hash", "created_at"],
        select(
            new.c.id,
            bindparam("token_hash", type_=_TOKENS.c.token_hash.type),
            bindparam("token_created_at", type_=_TOKENS.c.created_at.type),
        ),
        include_defaults=False,
    )
    mail = insert(_OUTBOX).from_select(
        ["registration_id", *mail_columns],
        select(new.c.id, *(bindparam(f"m_{name}", type_=_OUTBOX.c[name].type) for name in mail_columns)),
        include_defaults=False,
    )
    return select(new.c.id).add_cte(token.cte("new_token"), mail.cte("new_mail"))


def insert_sign_up(registration: dict[str, Any], *, token_hash: str, mail: dict[str, Any]) -> int:
    """Insert the registration (its columns), its token (``token_hash``) and its mail draft (the outbox
    row's columns but ``registration_id``) in the session's transaction, each with its model's defaults;
    returns the registration's id. IntegrityError when the address already has an active registration."""
    connection = db.session.connection()
    registration = with_defaults(_REGISTRATIONS, registration)
    mail = with_defaults(_OUTBOX, mail)
    now = registration["created_at"]
    if connection.dialect.name == "postgresql":
        params = {f"r_{name}": value for name, value in registration.items()}
        params.update({f"m_{name}": value for name, value in mail.items()})
        params.update(token_hash=token_hash, token_created_at=now)
        statement = _one_statement(tuple(registration), tuple(mail))
        return int(connection.execute(statement, params).scalar_one())
    key = connection.execute(insert(_REGISTRATIONS), registration).inserted_primary_key
    assert key is not None
    registration_id = int(key[0])
    connection.execute(insert(_TOKENS), {"registration_id": registration_id, "token_hash": token_hash,
                                         "created_at": now})  # fmt: skip
    connection.execute(insert(_OUTBOX), {**mail, "registration_id": registration_id})
    return registration_id
