"""Flask-Limiter without its app-wide ``before_request`` hook.

Only routes that carry ``@limiter.limit`` are limited here, and that decorator checks its limits itself.
The hook that ``Limiter.init_app`` adds would only look for limits that do not exist (no default limits,
no application limits), on every request: about a sixth of a cached page's time. The assumption:
``init_app`` registers that hook as a bound method of the limiter in ``app.before_request_funcs[None]``,
and the decorated routes do not need it.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter


def install(app: Flask, limiter: Limiter) -> None:
    """Take the limiter's own hook off the app's ``before_request`` functions (after ``init_app``)."""
    app.before_request_funcs[None] = [
        hook for hook in app.before_request_funcs.get(None, []) if getattr(hook, "__self__", None) is not limiter
    ]
