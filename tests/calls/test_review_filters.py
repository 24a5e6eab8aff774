"""The review list (issue 14, "Reviewing"): filter and sort by each column the organiser compares, and the
accepted organisations counted by country."""

from __future__ import annotations

import dataclasses
import io

from eventapp.accounts.models import User
from eventapp.calls import letters, services, setup
from eventapp.calls.enums import ApplicationStatus
from eventapp.extensions import db
from eventapp.materials.pdf import tiny_pdf
from eventapp.registrations.enums import OrganisationType
from tests.calls.conftest import next_number
from tests.calls.test_back_office import _data
from tests.registrations.conftest import text_of

#: Numbers that pass each country's check (those of the demo's fictional organisations).
_NUMBERS = {"SE": ["2120000142", "2120001124"], "DK": ["29190623"], "FI": ["0201256-6"]}
NAMES = ("Alfa kommune", "Beta myndighet", "Gamma kommune", "Delta kommun", "Epsilon kaupunki")


def _order(page: str, names=NAMES) -> list[str]:
    shown = [name for name in names if name in page]
    return sorted(shown, key=page.index)


def test_the_review_list_filters_and_sorts_by_each_column_and_counts_accepted_by_country(
    app, client, create_account, log_in, create_programme, create_call
):
    owner = create_account("owner@example.org")
    call = create_call(programme=create_programme(created_by_id=owner.id), letter_policy="optional",
                       requirements=("Management anchoring",), target_min=2, target_max=4)  # fmt: skip
    numbers = {country: list(values) for country, values in _NUMBERS.items()}
    with app.app_context():
        actor = db.session.get(User, owner.id)

        def apply(name: str, country: str, org_type=OrganisationType.MUNICIPALITY, *, letter=True) -> int:
            number = numbers[country].pop() if country in numbers else next_number()
            data = dataclasses.replace(_data(number, country=country, name=name), organisation_type=org_type)
            if not letter:  # neither a file nor a typed letter (the call asks for one, optionally)
                data = dataclasses.replace(
                    data, letter_statement="", letter_signatory_name="", letter_signatory_role=""
                )
            upload = (
                letters.Upload(io.BytesIO(tiny_pdf("Letter", name)), "letter.pdf") if name == "Alfa kommune" else None
            )
            return services.apply(call.id, data, upload).application_id

        apply("Alfa kommune", "NO")
        apply("Beta myndighet", "SE", OrganisationType.STATE, letter=False)
        for accepted in (apply("Gamma kommune", "DK"), apply("Delta kommun", "SE")):
            services.decide(accepted, ApplicationStatus.ACCEPTED, message="", actor=db.session.get(User, owner.id))
        current = setup.lock_call(call.id)
        setup.update_call(call.id, setup.CallData(
            kind=current.kind, title=current.title, opens_at=current.opens_at, closes_at=current.closes_at,
            target_min=2, target_max=4, letter_policy=current.letter_policy, timezone="Europe/Oslo", language="en",
            requirements=("Management anchoring", "A need to buy"),
        ), actor=actor)  # fmt: skip
        apply("Epsilon kaupunki", "FI")  # the only one that confirmed the statement added later

    log_in(client, "owner@example.org")

    def listed(query: str) -> str:
        response = client.get(f"/manage/calls/{call.id}/applications{query}")
        assert response.status_code == 200
        return text_of(response.get_data(as_text=True))

    everything = listed("")
    assert "2 accepted of 2–4" in everything
    assert "By country: Denmark 1, Sweden 1" in everything
    assert _order(listed("?type=state")) == ["Beta myndighet"]
    assert _order(listed("?letter=no")) == ["Beta myndighet"]
    assert "Beta myndighet" not in listed("?letter=yes")
    assert _order(listed("?requirements=all")) == ["Epsilon kaupunki"]
    assert "Epsilon kaupunki" not in listed("?requirements=missing")
    assert _order(listed("?sort=country")) == ["Gamma kommune", "Epsilon kaupunki", "Alfa kommune", "Beta myndighet",
                                               "Delta kommun"]  # fmt: skip
    assert _order(listed("?sort=letter"))[-1] == "Beta myndighet"
    assert _order(listed("?sort=requirements"))[0] == "Epsilon kaupunki"
    assert _order(listed("?sort=type"))[-1] == "Beta myndighet"  # "state" after "municipality"
    assert _order(listed("?status=accepted&sort=organisation")) == ["Delta kommun", "Gamma kommune"]
