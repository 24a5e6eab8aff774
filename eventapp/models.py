"""Every model of every domain, imported in one place so the metadata (and Alembic) sees all tables.

Import models from their own domain package (``eventapp.events.models``); this module exists only
so that ``create_app`` can load them all before the first query or migration.
"""

from eventapp.about.models import SiteSettings
from eventapp.accounts.models import AuditEntry, EventManager, User
from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker, AgendaItemTranslation
from eventapp.calls.models import (
    Application,
    ApplicationAnswer,
    ApplicationConfirmation,
    ApplicationToken,
    Call,
    CallEvent,
    CallQuestion,
    CallRequirement,
)
from eventapp.events.models import Event, EventTranslation
from eventapp.interest.models import InterestAnnouncement, InterestSubscription, InterestToken
from eventapp.mail.models import OutboxMessage
from eventapp.mailings.models import Mailing
from eventapp.materialnews.models import MaterialAnnouncement, MaterialNewsDigest, MaterialNewsOptOut
from eventapp.materials.models import Material, MaterialFile
from eventapp.pagecache.models import ContentVersion
from eventapp.programmes.models import ContactPerson, Programme
from eventapp.registrations.models import (
    CustomQuestion,
    ParticipationRequirement,
    Registration,
    RegistrationAnswer,
    RegistrationToken,
    RequirementConfirmation,
)
from eventapp.speakers.models import Speaker, SpeakerToken
from eventapp.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

__all__ = [
    "AgendaItem",
    "AgendaItemSpeaker",
    "AgendaItemTranslation",
    "Application",
    "ApplicationAnswer",
    "ApplicationConfirmation",
    "ApplicationToken",
    "AuditEntry",
    "Call",
    "CallEvent",
    "CallQuestion",
    "CallRequirement",
    "ContactPerson",
    "ContentVersion",
    "CustomQuestion",
    "Event",
    "EventManager",
    "EventTranslation",
    "InterestAnnouncement",
    "InterestSubscription",
    "InterestToken",
    "Mailing",
    "Material",
    "MaterialAnnouncement",
    "MaterialFile",
    "MaterialNewsDigest",
    "MaterialNewsOptOut",
    "OutboxMessage",
    "ParticipationRequirement",
    "Programme",
    "Registration",
    "RegistrationAnswer",
    "RegistrationToken",
    "RequirementConfirmation",
    "SiteSettings",
    "Speaker",
    "SpeakerToken",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "User",
]
