"""Templates compare states, kinds and statuses with the enums (``RegistrationStatus.CONFIRMED``), never
with their values as strings: a renamed member then breaks the page loudly instead of making a branch
quietly false."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import TemplateRuntimeError

from eventapp.registrations.enums import RegistrationStatus
from eventapp.templating import TEMPLATE_ENUMS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: A member named in a template: ``RegistrationStatus.CONFIRMED``.
MEMBER = re.compile(r"\b(" + "|".join(cls.__name__ for cls in TEMPLATE_ENUMS) + r")\.([A-Za-z_]+)\b")
#: An enum's value compared as a string: ``x.status.value == "confirmed"``, ``state == 'open'``,
#: ``status in ('cancelled', ...)``.
STRING_COMPARISON = re.compile(
    r"""(\.value|\b(status|state|kind|format|visibility|policy|problem))\s*(==|!=|(not\s+)?in)\s*[(\[]?\s*['"]"""
)
#: Templates whose "state" is a view's own word, not an enum (the survey page's, chosen by its view). Mail
#: templates compare their ``reason`` (a MailReason value) as a string still: not matched here.
NOT_ENUMS = {"surveys/answer.html"}


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


def test_no_template_compares_an_enum_with_a_string():
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()[:120]}"
        for path in _templates()
        if str(path.relative_to(TEMPLATES)) not in NOT_ENUMS
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STRING_COMPARISON.search(line)
    ]
    assert not found, "compare with the enum (see templating.TEMPLATE_ENUMS):\n" + "\n".join(found)


def test_every_member_a_template_names_exists():
    by_name = {cls.__name__: cls for cls in TEMPLATE_ENUMS}
    named = {(m.group(1), m.group(2)) for path in _templates() for m in MEMBER.finditer(path.read_text("utf-8"))}
    missing = sorted(f"{cls}.{member}" for cls, member in named if member not in by_name[cls].__members__)
    assert named, "the templates name no enum member: the pattern no longer finds them"
    assert not missing, missing


def test_a_member_that_does_not_exist_fails_the_page_loudly(app):
    with app.app_context():
        good = app.jinja_env.from_string("{{ status == RegistrationStatus.CONFIRMED }}")
        renamed = app.jinja_env.from_string("{{ status == RegistrationStatus.ACCEPTED }}")

        assert good.render(status=RegistrationStatus.CONFIRMED) == "True"
        with pytest.raises(TemplateRuntimeError, match="RegistrationStatus has no member 'ACCEPTED'"):
            renamed.render(status=RegistrationStatus.CONFIRMED)
