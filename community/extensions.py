"""Extensions, created unbound and bound to the app in create_app()."""

import logging
import threading

from flask import request
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Stable constraint names, so that Alembic migrations name things the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _reading_is_never_limited() -> bool:
    """Every limit guards a form's POST (logging in, signing up, resetting a password): a page
    read asks the store nothing, which saves each page view a limiter check."""
    return request.method in ("GET", "HEAD", "OPTIONS")


#: What a request that was already asking the store logs when it fails (checking the limit,
#: counting a hit, or writing the X-RateLimit headers): let through, as the outage's warning said.
_SWALLOWED_DURING_AN_OUTAGE = (
    "Failed to rate limit",
    "Failed to deduct rate limit",
    "Failed to update rate limit headers",
)


class _OneWarningPerOutage(logging.Filter):
    """One warning per process when the rate-limit store goes away, however many threads notice.

    Flask-Limiter warns when it falls back to counting in memory, but threads that notice at the
    same moment each warn, and a request that was already asking the store fails too and is let
    through (RATELIMIT_SWALLOW_ERRORS) with a traceback of its own, be it checking the limit,
    counting the hit or writing the headers. They are all the same outage: only the first
    warning is kept until the limiter says the store has recovered."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.warned = False

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        with self.lock:
            if message.startswith("Rate limit storage recovered"):
                self.warned = False
            elif message.startswith("Rate limit storage unreachable"):
                first, self.warned = not self.warned, True
                return first
            elif message.startswith(_SWALLOWED_DURING_AN_OUTAGE):
                return not self.warned
        return True


limiter_warnings = _OneWarningPerOutage()
logging.getLogger("flask-limiter").addFilter(limiter_warnings)

cache = Cache()
