"""Flask extensions, created unbound; ``create_app`` binds them to an app."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from eventapp.db import Base

db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    #: The base class of every model. Flask-SQLAlchemy makes ``db.Model`` from ``Base`` at run time, which a
    #: type checker cannot follow; to it the models derive from the typed declarative base itself.
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
#: Rate limits (RATELIMIT_STORAGE_URI: memory for one process, redis:// when several share the limits).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.session_protection = "strong"
