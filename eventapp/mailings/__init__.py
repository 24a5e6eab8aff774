"""Mailings: an organiser's own message to a chosen set of an event's attendees, sent through the outbox."""
