"""A version number per community that any change a visitor could see raises: the state that
visitors' pages are stored under (core.public_pages). A change is a new version, so a stored
page is never served stale, however many app servers there are.

Features say which of their rows show on visitors' pages, and in which communities, with
`watch()`; rows that also show in calendars (`calendar=True`) raise a second version, the
calendar version, which community feeds are answered from: an RSVP or a new member changes
pages, not calendars. The versions are raised once per transaction, just before it commits:
the row lock that raising takes is then the transaction's last, so it cannot take part in a
deadlock (every other lock was already held), and two transactions in one community queue
only for the length of a commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Select, bindparam, case, event, func, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from community.core.models import UTCDateTime, utcnow
from community.core.per_request import forget, once
from community.core.reads import read_first
from community.extensions import db

#: What a watcher says about a changed row: its community, several, or a query for them.
Communities = int | Iterable[int] | Select | None


class PageVersion(db.Model):
    __tablename__ = "page_version"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(default=0)
    calendar_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When the calendar version last rose (None: never).
    calendar_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class _Watch:
    communities_of: Callable[[object], Communities]
    #: Only a change to one of these attributes counts (None: any change).
    attributes: frozenset[str] | None
    #: The row shows in calendar feeds too.
    calendar: bool


_watched: dict[type, _Watch] = {}
#: session.info key: the communities whose pages this transaction changed.
_CHANGED = "page_versions_changed"
#: session.info key: the communities whose calendars this transaction changed (a subset).
_CALENDAR_CHANGED = "page_versions_calendar_changed"
#: A bulk INSERT, UPDATE or DELETE of a watched table cannot say which communities it touched.
_ALL = "all"


def watch(
    model: type,
    communities_of: Callable[[object], Communities],
    attributes: Iterable[str] | None = None,
    *,
    calendar: bool = False,
) -> None:
    """Raise the pages' version of the communities `communities_of(row)` names whenever a row of
    `model` is added, deleted, or changed (in one of `attributes`, when given); with
    `calendar`, their calendar version too."""
    _watched[model] = _Watch(
        communities_of, frozenset(attributes) if attributes is not None else None, calendar
    )


def note_change(community_id: int) -> None:
    """Raise the community's version when this transaction commits, for a change no watched
    row shows (a watch on a table that is also bulk-updated would raise every community's)."""
    _pending(db.session()).add(community_id)


def _watch_of(instance: object) -> _Watch | None:
    for cls in type(instance).__mro__:
        found = _watched.get(cls)
        if found is not None:
            return found
    return None


def _changed(instance: object, watch_: _Watch) -> bool:
    state = inspect(instance)
    if watch_.attributes is None:
        return any(state.attrs[key].history.has_changes() for key in state.mapper.column_attrs.keys())
    return any(state.attrs[key].history.has_changes() for key in watch_.attributes)


def _pending(session: Session, *, calendar: bool = False) -> set:
    return session.info.setdefault(_CALENDAR_CHANGED if calendar else _CHANGED, set())


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, flush_context, instances) -> None:
    # Kept until after the flush: a new row's foreign keys are only set then.
    noted = session.info.setdefault("page_versions_rows", [])
    for instance in session.deleted:
        if (found := _watch_of(instance)) is not None:
            noted.append((instance, found))
    for instance in session.new:
        if (found := _watch_of(instance)) is not None:
            noted.append((instance, found))
    for instance in session.dirty:
        if (found := _watch_of(instance)) is not None and _changed(instance, found):
            noted.append((instance, found))


@event.listens_for(Session, "after_flush")
def _collect_communities(session: Session, flush_context) -> None:
    rows = session.info.pop("page_versions_rows", [])
    if not rows:
        return
    changed, calendars = _pending(session), _pending(session, calendar=True)
    connection = session.connection()
    asked: dict[str, list[int]] = {}  # 500 RSVPs to one event ask for its community once
    for instance, found in rows:
        communities = found.communities_of(instance)
        if communities is None:
            continue
        if isinstance(communities, int):
            ids = [communities]
        elif isinstance(communities, Select):
            question = str(communities.compile(connection, compile_kwargs={"literal_binds": True}))
            if question not in asked:
                asked[question] = list(connection.scalars(communities))
            ids = asked[question]
        else:
            ids = list(communities)
        changed.update(ids)
        if found.calendar:
            calendars.update(ids)


@event.listens_for(Session, "do_orm_execute")
def _bulk_changes(orm_execute_state) -> None:
    if not (orm_execute_state.is_update or orm_execute_state.is_delete or orm_execute_state.is_insert):
        return
    mapper = orm_execute_state.bind_mapper
    watches = [_watched[cls] for cls in mapper.class_.__mro__ if cls in _watched] if mapper else []
    if watches:
        _pending(orm_execute_state.session).add(_ALL)
        if any(found.calendar for found in watches):
            _pending(orm_execute_state.session, calendar=True).add(_ALL)


@event.listens_for(Session, "before_commit")
def _raise_versions(session: Session) -> None:
    nothing_pending = not (session.new or session.deleted or session.identity_map.check_modified())
    if not session.info.get(_CHANGED) and nothing_pending:
        return
    session.flush()  # commit flushes after this hook: collect what is still pending first
    changed = session.info.pop(_CHANGED, set())
    calendars = session.info.pop(_CALENDAR_CHANGED, set())
    if not changed:
        return
    forget(_KNOWN)
    connection = session.connection()
    now = utcnow()
    if _ALL in changed:
        everything = {"version": PageVersion.version + 1}
        if _ALL in calendars:
            everything.update(calendar_version=PageVersion.calendar_version + 1, calendar_changed_at=now)
        connection.execute(update(PageVersion).values(everything))
        changed.discard(_ALL)
    ids = sorted(community_id for community_id in changed if community_id is not None)
    if not ids:
        return
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    # From the community table, so that a community deleted in this transaction is skipped.
    community = db.metadata.tables["community"]
    in_calendars = community.c.id.in_(sorted(i for i in calendars if isinstance(i, int)))
    raised = (
        select(
            community.c.id,
            bindparam("one", 1),
            case((in_calendars, 1), else_=0),
            case((in_calendars, bindparam("now", now, type_=UTCDateTime)), else_=None),
        )
        .where(community.c.id.in_(ids))
        .order_by(community.c.id)
    )
    statement = insert(PageVersion).from_select(
        ["community_id", "version", "calendar_version", "calendar_changed_at"], raised
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[PageVersion.community_id],
            set_={
                "version": PageVersion.version + 1,
                "calendar_version": PageVersion.calendar_version + statement.excluded.calendar_version,
                "calendar_changed_at": func.coalesce(
                    statement.excluded.calendar_changed_at, PageVersion.calendar_changed_at
                ),
            },
        )
    )


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_CALENDAR_CHANGED, None)
    session.info.pop("page_versions_rows", None)


#: per_request key: the versions this request read (forgotten once it raises any).
_KNOWN = "page_versions"
_VERSION_OF = select(PageVersion.version).where(PageVersion.community_id == bindparam("community_id"))


def version_of(community_id: int) -> int:
    """The community's pages' version (0 until its first change), read once per request."""
    known = once(_KNOWN, dict)
    if community_id not in known:
        known[community_id] = db.session.connection().scalar(_VERSION_OF, {"community_id": community_id}) or 0
    return known[community_id]


def note_version(community_id: int, version: int) -> None:
    """A version read beside a page's own rows (`version_column`): `version_of` knows it then."""
    once(_KNOWN, dict).setdefault(community_id, version)


def settled_version(community_id: int) -> int | None:
    """The community's version, for values kept under it (core.kept), or None while this
    request has changed anything: its changes raise the version only when it commits, so
    until then what it reads may be newer than the version says."""
    session = db.session()
    if session.info.get(_CHANGED) or session.new or session.deleted or session.identity_map.check_modified():
        return None
    return version_of(community_id)


def version_column(community_id_column) -> Select:
    """The version as a scalar subquery, to read beside a page's own row in one statement."""
    return (
        select(func.coalesce(func.max(PageVersion.version), 0))
        .where(PageVersion.community_id == community_id_column)
        .scalar_subquery()
    )


_SITE_VERSION = select(func.coalesce(func.sum(PageVersion.version), 0), func.count())


def site_version() -> tuple[int, int]:
    """What pages listing every community's events (the front page) are stored under: the
    sum rises with any community's version, the count with a new community."""
    total, count = read_first(_SITE_VERSION, {})
    return int(total), int(count)
