"""Kinds, formats and states of an event (a leaf module: imports nothing of the app but Babel)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class EventKind(StrEnum):
    WEBINAR = "webinar"
    WORKSHOP = "workshop"
    DIALOGUE_MEETING = "dialogue_meeting"
    NETWORK_MEETING = "network_meeting"
    CONFERENCE = "conference"

    @property
    def label(self) -> str:
        return str(_KIND_LABELS[self])


_KIND_LABELS = {
    EventKind.WEBINAR: _l("Webinar"),
    EventKind.WORKSHOP: _l("Workshop"),
    EventKind.DIALOGUE_MEETING: _l("Dialogue meeting"),
    EventKind.NETWORK_MEETING: _l("Network meeting"),
    EventKind.CONFERENCE: _l("Conference"),
}


class EventFormat(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return str(_FORMAT_LABELS[self])


_FORMAT_LABELS = {
    EventFormat.ONLINE: _l("Online"),
    EventFormat.IN_PERSON: _l("In person"),
    EventFormat.HYBRID: _l("Hybrid: in person and online"),
}


class AttendanceMode(StrEnum):
    """How a person takes part in a hybrid event: each mode has its own seats and its own waiting list."""

    ON_SITE = "on_site"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return str(_ATTENDANCE_LABELS[self])


_ATTENDANCE_LABELS = {
    AttendanceMode.ON_SITE: _l("On site"),
    AttendanceMode.ONLINE: _l("Online"),
}


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
}

#: States in which the public may see an event (a cancelled event keeps its page, marked cancelled,
#: so that people who saved the link learn what happened).
PUBLIC_STATUSES = frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED})


class SlidesPublish(StrEnum):
    """When speakers' uploaded slides become visible (an event's choice)."""

    #: They wait as drafts until an organiser publishes them (one by one, or "publish all that is ready").
    REVIEW = "review"
    #: Each upload is visible at once (on the pages once the materials section is published).
    AT_UPLOAD = "at_upload"
    #: They are published together with the materials section (and at once, after it).
    WITH_MATERIALS = "with_materials"

    @property
    def label(self) -> str:
        return str(_SLIDES_PUBLISH_LABELS[self])


_SLIDES_PUBLISH_LABELS = {
    SlidesPublish.REVIEW: _l("They wait for my review: I publish them myself"),
    SlidesPublish.AT_UPLOAD: _l("They publish themselves when the speaker uploads them"),
    SlidesPublish.WITH_MATERIALS: _l("They publish themselves when the materials are published"),
}


class WaitlistMode(StrEnum):
    #: The first person waiting gets the seat at once, and an invitation.
    AUTOMATIC = "automatic"
    #: The first person waiting is offered the seat by mail and has a deadline to accept it.
    OFFER = "offer"
