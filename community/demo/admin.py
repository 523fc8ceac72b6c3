"""Demo site administration: one suspended account with its reason, and a few weeks of the
admin audit log (a suspension lifted, failed mail retried), so /admin/ reads like a real site."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.admin import services
from community.admin.models import AdminAction, AdminAuditEntry
from community.auth.models import User
from community.communities.models import Community
from community.communities.services import activate_membership
from community.core.models import utcnow
from community.extensions import db

SPAMMER_EMAIL = "sam.spammer@demo.example.org"
SPAM_REASON = "Sent the same advertising message to 40 Northfield members in one evening."


def load_demo_admin(logins: dict[str, User], crowd: list[User], password_hash: str) -> int:
    """Once: Sam Spammer, a Northfield member, suspended; an account suspended and restored two
    weeks ago; a retry of failed mail. Returns how many audit entries were added."""
    if db.session.scalar(select(AdminAuditEntry.id).limit(1)) is not None:
        return 0
    admin, taken_over = logins["admin"], crowd[7]
    northfield = db.session.scalar(select(Community).where(Community.slug == "northfield-alumni"))
    sam = User(email=SPAMMER_EMAIL, name="Sam Spammer", password_hash=password_hash)
    sam.email_verified_at = utcnow()
    db.session.add(sam)
    db.session.flush()
    if northfield is not None:
        activate_membership(northfield, sam)
    now = utcnow()
    done = []
    services.suspend_user(admin, taken_over, reason="Account taken over: links to a phishing page.")
    done.append(timedelta(days=15))
    services.restore_user(admin, taken_over, reason="The owner confirmed by phone and changed the password.")
    done.append(timedelta(days=14, hours=20))
    services.record(admin, AdminAction.RETRY_ALL_MAIL, detail="2")
    done.append(timedelta(days=3, hours=2))
    services.suspend_user(admin, sam, reason=SPAM_REASON)
    done.append(timedelta(hours=26))
    entries = db.session.scalars(select(AdminAuditEntry).order_by(AdminAuditEntry.id)).all()
    for entry, ago in zip(entries, done, strict=True):
        entry.created_at = now - ago
    db.session.flush()
    return len(entries)
