"""Kinds of survey question (a leaf module). The first five are the kinds sign-up questions have
(``registrations.enums.QuestionKind``, same values); a survey adds two scales."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class SurveyQuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    #: 1 (lowest) to 5 (highest).
    SCALE = "scale"
    #: 0 to 10: "how likely are you to recommend ..." (the Net Promoter question).
    RECOMMEND = "recommend"

    @property
    def label(self) -> str:
        return str(_KIND_LABELS[self])

    @property
    def has_choices(self) -> bool:
        return self in (SurveyQuestionKind.SINGLE_CHOICE, SurveyQuestionKind.MULTIPLE_CHOICE)

    @property
    def is_text(self) -> bool:
        return self in (SurveyQuestionKind.SHORT_TEXT, SurveyQuestionKind.LONG_TEXT)

    @property
    def is_scale(self) -> bool:
        return self in (SurveyQuestionKind.SCALE, SurveyQuestionKind.RECOMMEND)

    @property
    def points(self) -> tuple[int, ...]:
        """The values a scale question is answered with (empty for the other kinds)."""
        if self is SurveyQuestionKind.SCALE:
            return (1, 2, 3, 4, 5)
        if self is SurveyQuestionKind.RECOMMEND:
            return tuple(range(11))
        return ()


_KIND_LABELS = {
    SurveyQuestionKind.SHORT_TEXT: _l("Short text"),
    SurveyQuestionKind.LONG_TEXT: _l("Long text"),
    SurveyQuestionKind.SINGLE_CHOICE: _l("One choice from a list"),
    SurveyQuestionKind.MULTIPLE_CHOICE: _l("Several choices from a list"),
    SurveyQuestionKind.YES_NO: _l("Yes or no"),
    SurveyQuestionKind.SCALE: _l("A scale from 1 to 5"),
    SurveyQuestionKind.RECOMMEND: _l("Would recommend, from 0 to 10"),
}
