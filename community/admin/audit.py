"""The admin audit log in plain sentences ("Ada Admin suspended Sam Spammer's account.")."""

from __future__ import annotations

from community.admin.models import AdminAction, AdminAuditEntry

_UNKNOWN = "someone"


def _name(person) -> str:
    return person.name if person is not None else _UNKNOWN


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def sentence(entry: AdminAuditEntry) -> str:
    """What happened, as a sentence without the reason (shown beside it)."""
    actor = _name(entry.actor)
    person = _name(entry.subject)
    community = entry.community.name if entry.community is not None else "a community"
    match entry.action:
        case AdminAction.SUSPEND_USER:
            return f"{actor} suspended {_possessive(person)} account."
        case AdminAction.RESTORE_USER:
            return f"{actor} restored {_possessive(person)} account."
        case AdminAction.SUSPEND_COMMUNITY:
            return f"{actor} suspended {community}."
        case AdminAction.RESTORE_COMMUNITY:
            return f"{actor} restored {community}."
        case AdminAction.RETRY_MAIL:
            return f"{actor} retried the failed email {entry.detail}."
        case AdminAction.RETRY_ALL_MAIL:
            count = int(entry.detail) if entry.detail.isdigit() else 0
            emails = "email" if count == 1 else "emails"
            return f"{actor} retried all {count} failed {emails}."
    return f"{actor}: {entry.action}."
