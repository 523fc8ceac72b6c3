"""The organizers' audit log: every organizer action is recorded here."""

from __future__ import annotations

from community.auth.models import User
from community.communities.models import AuditEntry, Community
from community.extensions import db


def record(
    community: Community, actor: User | None, action: str, *, subject: User | None = None, detail: str = ""
) -> AuditEntry:
    entry = AuditEntry(
        community_id=community.id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_user_id=subject.id if subject is not None else None,
        detail=detail[:500],
    )
    db.session.add(entry)
    return entry
