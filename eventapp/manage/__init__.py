"""The back office at /manage: views and forms over every package below it, one module per area, all
adding their routes to the one blueprint (``blueprint.bp``). ``register`` is the one place that loads
the areas and registers the blueprint; ``create_app`` calls it once."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Load every area of the back office (importing a view module adds its routes to ``bp``) and
    register the blueprint on ``app``."""
    from eventapp.manage import (
        accounts_views,
        audit_views,
        call_views,
        interest_views,
        mail_problem_views,
        mailing_views,
        material_views,
        privacy_views,
        programme_parts_views,
        programme_views,
        questions_views,
        site_views,
        slides_views,
        speaker_views,
        statistics_views,
        survey_views,
        translation_views,
        views,
    )
    from eventapp.manage.blueprint import bp

    areas = (
        views, accounts_views, programme_views, programme_parts_views, translation_views, questions_views,
        speaker_views, material_views, mailing_views, mail_problem_views, statistics_views, privacy_views, site_views,
        interest_views, survey_views, slides_views, call_views, audit_views,
    )  # fmt: skip
    assert all(area.bp is bp for area in areas), "every area adds its routes to the one back-office blueprint"
    app.register_blueprint(bp)
