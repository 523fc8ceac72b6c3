"""Email preferences in one place: every kind of non-transactional email with its switch (the
registry in core.mail.unsubscribe), and the digest's frequency."""

from __future__ import annotations

from collections.abc import Iterable

from community.core.mail import unsubscribe
from community.engagement import digests
from community.engagement.models import DigestFrequency


def switchable_kinds() -> list[unsubscribe.EmailKind]:
    """The kinds with an on/off switch; the digest has its frequency instead."""
    return [kind for kind in unsubscribe.kinds() if kind.name != digests.KIND]


def wanted_kinds(user_id: int) -> list[str]:
    return [kind.name for kind in switchable_kinds() if unsubscribe.wants(user_id, kind.name)]


def save_preferences(user_id: int, wanted: Iterable[str], frequency: DigestFrequency) -> None:
    """Switch each kind on or off and set the digest (flushes); honoured by the next email."""
    chosen = set(wanted)
    for kind in switchable_kinds():
        on = kind.name in chosen
        if unsubscribe.wants(user_id, kind.name) != on:
            unsubscribe.set_wanted(user_id, kind.name, on)
    row = digests.digest_settings(user_id)
    paused = row is not None and row.paused_at is not None
    if digests.frequency_of(user_id) != frequency or (paused and frequency != DigestFrequency.OFF):
        digests.set_frequency(user_id, frequency)


def account_part(user) -> dict:
    """The account page's "Email" card: the digest's frequency and how many kinds are off."""
    off = [kind.label for kind in switchable_kinds() if not unsubscribe.wants(user.id, kind.name)]
    return {"template": "engagement/_account_email.html", "digest": digests.frequency_of(user.id), "off": off}
