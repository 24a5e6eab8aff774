"""The sign-up helpers of the registration tests, for the security tests."""

from tests.registrations.conftest import outbox, registrations, sign_up  # noqa: F401 - fixtures, used by name
