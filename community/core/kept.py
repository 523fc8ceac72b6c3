"""Parts of signed-in pages that are the same for a whole audience, kept in this process under
the community's page version (core.page_versions) they were built from.

Who organizes a community, how many seats an event has left and who's going, as its members
see them, are the same for every member: a member's event page need not ask the database for
them on every request. A kept value's key names the version it was built from, and every
change those parts could show raises that version, so a kept value is never stale, however
many app servers there are. They stay in the process, not in the shared cache: they may hold
what only members see, and the shared cache is for what is the same for everyone.

Only a request that has changed nothing may use them: its own changes raise the version only
when it commits (`page_versions.settled_version`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, current_app, has_app_context

from community.core import page_versions

T = TypeVar("T")

#: Enough for the parts of a few hundred busy pages; the least recently used go first.
MOST_KEPT = 1024
_KEY = "core.kept"
_lock = threading.Lock()


def _store(app: Flask) -> OrderedDict:
    """Each app its own (two apps in one process may read different databases)."""
    store = app.extensions.get(_KEY)
    if store is None:
        with _lock:
            store = app.extensions.setdefault(_KEY, OrderedDict())
    return store


def kept(key: Hashable, build: Callable[[], T]) -> T:
    """The value kept under `key` (which names the version it is built from), or `build()`,
    then kept. Building runs outside the lock: two requests may build the same value."""
    if not has_app_context():
        return build()
    store = _store(current_app)
    with _lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
    value = build()
    with _lock:
        store[key] = value
        while len(store) > MOST_KEPT:
            store.popitem(last=False)
    return value


def kept_in_community(community_id: int, key: tuple, build: Callable[[], T]) -> T:
    """`build()`, kept under the community's page version; built afresh, and not kept, in a
    request that has changed something (its changes raise the version only at commit)."""
    version = page_versions.settled_version(community_id)
    if version is None:
        return build()
    return kept((*key, community_id, version), build)


def forget_all(app: Flask) -> None:
    """Tests start from nothing kept (another test's database had the same ids and versions)."""
    store = _store(app)
    with _lock:
        store.clear()
