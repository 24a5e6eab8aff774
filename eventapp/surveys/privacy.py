"""What a survey keeps about a person goes with their personal data (erasure, and the retention purge):
their invitation row, and the link from a non-anonymous response to them. The response itself stays,
detached (no registration, no time) and without its free-text answers, which could name them, so the
survey's counts and averages stay true. Anonymous responses hold nothing about a person and stay."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from eventapp.extensions import db
from eventapp.registrations.privacy import also_anonymise
from eventapp.surveys.enums import SurveyQuestionKind
from eventapp.surveys.models import SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse


@also_anonymise
def forget(registration_ids: list[int]) -> None:
    """In the caller's transaction (flush only)."""
    responses = select(SurveyResponse.id).where(SurveyResponse.registration_id.in_(registration_ids))
    texts = select(SurveyQuestion.id).where(
        SurveyQuestion.kind.in_([SurveyQuestionKind.SHORT_TEXT, SurveyQuestionKind.LONG_TEXT])
    )
    db.session.execute(
        delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(responses), SurveyAnswer.question_id.in_(texts))
    )
    db.session.execute(
        update(SurveyResponse)
        .where(SurveyResponse.registration_id.in_(registration_ids))
        .values(registration_id=None, submitted_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(SurveyInvitation).where(SurveyInvitation.registration_id.in_(registration_ids)))
