"""The interest list in the browser: someone asks for news on a programme page (first sending the form
empty), gets the confirmation mail, confirms, changes the language of their mail on their own page and
leaves the list. Every page and form state of it is axe-clean and valid HTML in all six languages."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import follow, mail_text

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

PROGRAMME = "nordic-buyer-dialogues"  # a demo programme


def _links(stack, email: str) -> tuple[str, str]:
    """A confirmed subscription of ``email`` to the demo programme: (confirm token, page token)."""
    from eventapp.extensions import db
    from eventapp.interest.enums import SubscriptionStatus, TokenPurpose
    from eventapp.interest.models import InterestSubscription
    from eventapp.interest.services import mint_token
    from eventapp.programmes.models import Programme

    def _make() -> tuple[str, str]:
        programme = db.session.scalars(db.select(Programme).where(Programme.slug == PROGRAMME)).one()
        subscription = InterestSubscription(programme=programme, email=email, name="Aino Virtanen", locale="fi",
                                            status=SubscriptionStatus.CONFIRMED, privacy_version="x")  # fmt: skip
        db.session.add(subscription)
        tokens = mint_token(subscription, TokenPurpose.CONFIRM), mint_token(subscription, TokenPurpose.MANAGE)
        db.session.commit()
        return tokens

    return stack.run(_make)


def _send_the_form(page) -> None:
    page.wait_for_timeout(2100)  # a person takes longer than the bot check's 2 s to fill it in
    follow(page, page.locator("section.interest form button[type=submit]"))


@pytest.mark.a11y_check("axe-public", "axe-forms", "html-valid")
def test_ask_confirm_change_language_and_leave(page, stack, shoot, check_a11y):
    email = "sofia.lind@example.org"
    page.goto(f"/programmes/{PROGRAMME}")
    form = page.locator("section.interest form")
    assert form.get_by_label("Your name").is_visible()
    assert page.locator("input[name=website]").is_hidden()  # the field for bots is not shown to people
    shoot(page, "programme-page")

    follow(page, form.locator("button[type=submit]"))  # empty: the problems are listed, next to each field
    assert page.url.endswith(f"/programmes/{PROGRAMME}/interest")
    assert page.locator(".error-summary").count() == 1
    check_a11y(page, "the interest form with errors")
    shoot(page, "form-errors")

    page.locator("#name").fill("Sofia Lind")
    page.locator("#email").fill(email)
    page.locator("#organisation").fill("Region Skåne")
    page.locator("#language").select_option("sv")
    _send_the_form(page)
    assert page.url.endswith(f"/programmes/{PROGRAMME}/interest/sent")
    check_a11y(page, "check your inbox")

    [mail] = stack.mails_to(email)
    assert "Bekräfta" in mail["Subject"]  # in the language chosen on the form
    confirm = re.search(r"http://127\.0\.0\.1:\d+/interest/confirm/[A-Za-z0-9_-]+", mail_text(mail)).group(0)
    page.goto(confirm)
    check_a11y(page, "the confirmation page")
    follow(page, page.get_by_role("button", name="Yes, keep me informed"))
    assert "/interest/" in page.url
    assert "confirmed=1" in page.url
    assert "Nordic Buyer Dialogues" in page.locator("#following-heading + ul").inner_text()
    check_a11y(page, "the subscriber's page")
    shoot(page, "subscriber-page")

    page.locator("#language").select_option("da")
    follow(page, page.get_by_role("button", name="Save the language"))
    assert page.locator(".notice[role=status]").count() == 1
    check_a11y(page, "the subscriber's page, saved")

    follow(page, page.get_by_role("button", name=re.compile("^Stop news about Nordic Buyer Dialogues")))
    assert page.url.endswith("/interest/left")
    check_a11y(page, "left the list")
    shoot(page, "left")


@pytest.mark.parametrize("language", ["en", "nb", "nn", "sv", "da", "fi"])
@pytest.mark.a11y_check("axe-public", "axe-forms", "html-valid")
def test_every_interest_page_and_form_state_in_every_language(page, stack, check_a11y, language):
    confirm, own = _links(stack, f"aino.{language}@example.org")
    page.goto(f"/programmes/{PROGRAMME}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    check_a11y(page, f"the programme page with its form ({language})")
    pages = [
        f"/programmes/{PROGRAMME}/interest",
        f"/programmes/{PROGRAMME}/interest/sent",
        f"/interest/confirm/{confirm}",
        f"/interest/{own}",
        f"/interest/{own}/unsubscribe",
        "/interest/left",
    ]
    for path in pages:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        check_a11y(page, f"{path} ({language})")
    page.goto(f"/programmes/{PROGRAMME}/interest")
    follow(page, page.locator("section.interest form button[type=submit]"))
    assert page.locator(".error-summary").count() == 1
    check_a11y(page, f"the interest form with errors ({language})")
    page.goto(f"/interest/{own}/unsubscribe")
    follow(page, page.locator("main form button[type=submit]"))
    check_a11y(page, f"after unsubscribing ({language})")
