"""Adjustments to libraries' internals, one named module each. Each rests on an assumption about the
library's inside that its public API does not promise; tests/core/test_tweaks.py checks every assumption
and that the adjustment took effect, so an upgrade that breaks one fails a test instead of passing
unnoticed. ``create_app`` calls each module's ``install``."""
