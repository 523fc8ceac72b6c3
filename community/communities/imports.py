"""Alumni-list import: keep the parsed file, preview it row by row, then invite in chunks.

Nothing is written until the organizer has seen the preview, and the preview only reads.
Running the import goes through invitations.invite(), which is idempotent per address, so a
re-imported file invites nobody twice. Services flush; the request commits.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, select

from community.auth.models import User
from community.communities.import_csv import (
    TARGETS,
    ImportRefused,
    ParsedFile,
    email_key,
    email_problem,
    guess_mapping,
    invitee_for,
    name_of,
    row_cell,
)
from community.communities.invitations import invite
from community.communities.models import (
    Community,
    ImportBatch,
    ImportStatus,
    Invitation,
    Membership,
    MembershipStatus,
)
from community.core import audit
from community.core.models import utcnow
from community.core.text import one_line
from community.extensions import db

CHUNK_SIZE = 500
#: Previews nobody ran are cleared after this long.
PREVIEW_KEPT_FOR = timedelta(days=7)


class RowStatus(enum.StrEnum):
    NEW = "new"
    MEMBER = "member"
    INVITED = "invited"
    BAD = "bad"
    DUPLICATE = "duplicate"

    @property
    def label(self) -> str:
        return {
            "new": "New invitation",
            "member": "Already a member",
            "invited": "Already invited",
            "bad": "Bad email",
            "duplicate": "Duplicate",
        }[self.value]


@dataclass(frozen=True)
class PreviewRow:
    #: As in the spreadsheet: the header is row 1, the first person row 2.
    number: int
    email: str
    name: str
    cohort: str
    status: RowStatus
    problem: str = ""
    duplicate_of: int | None = None

    @property
    def label(self) -> str:
        if self.status == RowStatus.DUPLICATE:
            return f"Duplicate of row {self.duplicate_of}"
        return self.status.label


@dataclass
class Preview:
    rows: list[PreviewRow]
    counts: Counter[RowStatus] = field(default_factory=Counter)


@dataclass(frozen=True)
class Outcome:
    invited: int
    already_members: int
    already_invited: int
    bad: int
    duplicates: int


# -- the batch ----------------------------------------------------------------------------


def create_batch(community: Community, actor: User, filename: str, parsed: ParsedFile) -> ImportBatch:
    """Keep a parsed file for its preview, with guessed columns (and clear stale previews)."""
    db.session.execute(
        delete(ImportBatch).where(
            ImportBatch.community_id == community.id,
            ImportBatch.status == ImportStatus.PREVIEW,
            ImportBatch.created_at < utcnow() - PREVIEW_KEPT_FOR,
        )
    )
    batch = ImportBatch(
        community_id=community.id,
        created_by_id=actor.id,
        filename=one_line(filename or "")[-255:],  # a browser sends any name it likes
        header=parsed.header,
        rows=parsed.rows,
        mapping=guess_mapping(parsed.header),
        status=ImportStatus.PREVIEW,
        total=len(parsed.rows),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def batch_for(community: Community, batch_id: int, *, lock: bool = False) -> ImportBatch | None:
    """The community's batch with that id; `lock` holds its row until the request ends."""
    query = select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.community_id == community.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def recent_batches(community: Community, limit: int = 5) -> list[ImportBatch]:
    """Imports that were run (not mere previews), newest first."""
    return list(
        db.session.scalars(
            select(ImportBatch)
            .where(ImportBatch.community_id == community.id, ImportBatch.status != ImportStatus.PREVIEW)
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
            .limit(limit)
        )
    )


def set_mapping(batch: ImportBatch, mapping: dict[str, int]) -> None:
    """:raises ImportRefused: once the import has started, its columns are fixed."""
    if batch.status != ImportStatus.PREVIEW:
        raise ImportRefused("This import has already started, so its columns can't change.")
    batch.mapping = {target: index for target, index in mapping.items() if target in TARGETS}
    db.session.flush()


def discard(batch: ImportBatch) -> None:
    """Forget a file that was only previewed (a started import stays, for its record)."""
    if batch.status == ImportStatus.PREVIEW:
        db.session.delete(batch)
        db.session.flush()


# -- preview ------------------------------------------------------------------------------


def _member_emails(community: Community, emails: Collection[str]) -> set[str]:
    """Which addresses belong to active members: one query (a file has at most 20,000 rows)."""
    if not emails:
        return set()
    return set(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == community.id,
                Membership.status == MembershipStatus.ACTIVE,
                User.email.in_(list(emails)),
            )
        )
    )


def _invited_emails(community: Community, emails: Collection[str], *, since=None) -> set[str]:
    """Which addresses have an invitation (made `since` then, when given): one query."""
    if not emails:
        return set()
    query = select(Invitation.email).where(
        Invitation.community_id == community.id, Invitation.email.in_(list(emails))
    )
    if since is not None:
        query = query.where(Invitation.created_at >= since)
    return set(db.session.scalars(query))


def file_statuses(rows: list[list[str]], mapping: dict[str, int]) -> list[tuple[str, RowStatus | None, str]]:
    """(email, status, detail) per row from the file alone: bad and duplicate rows get a status
    (detail: the reason, or the row number duplicated); rows to look up in the database get None."""
    first_row: dict[str, int] = {}
    result: list[tuple[str, RowStatus | None, str]] = []
    for index, row in enumerate(rows):
        key = email_key(row, mapping)
        if (problem := email_problem(key)) is not None:
            result.append((key, RowStatus.BAD, problem))
        elif key in first_row:
            result.append((key, RowStatus.DUPLICATE, str(first_row[key])))
        else:
            first_row[key] = index + 2
            result.append((key, None, ""))
    return result


def preview(community: Community, batch: ImportBatch) -> Preview:
    """What running the import would do to each row; reads only (two queries beyond the batch)."""
    mapping = batch.mapping
    statuses = file_statuses(batch.rows, mapping)
    candidates = [key for key, status, _ in statuses if status is None]
    members = _member_emails(community, candidates)
    invited = _invited_emails(community, candidates)
    result = Preview(rows=[])
    for index, (row, (key, status, detail)) in enumerate(zip(batch.rows, statuses, strict=True)):
        if status is None:
            status = (
                RowStatus.MEMBER if key in members else RowStatus.INVITED if key in invited else RowStatus.NEW
            )
        result.rows.append(
            PreviewRow(
                number=index + 2,
                email=row_cell(row, mapping, "email"),
                name=name_of(row, mapping),
                cohort=row_cell(row, mapping, "cohort"),
                status=status,
                problem=detail if status == RowStatus.BAD else "",
                duplicate_of=int(detail) if status == RowStatus.DUPLICATE else None,
            )
        )
        result.counts[status] += 1
    return result


# -- running ------------------------------------------------------------------------------


def run_chunk(community: Community, batch: ImportBatch, actor: User, *, size: int | None = None) -> None:
    """Invite the next `size` rows of the file (bad and duplicate rows are skipped); idempotent
    once done. The last chunk marks the batch done and records the import in the audit log.

    :raises ImportRefused: when no email column has been chosen.
    """
    if batch.status == ImportStatus.DONE:
        return
    mapping = batch.mapping
    if "email" not in mapping:
        raise ImportRefused("Choose which column holds the email addresses first.")
    rows = batch.rows
    start = batch.processed
    end = min(start + (size or CHUNK_SIZE), batch.total)
    seen = {email_key(row, mapping) for row in rows[:start]}
    invitees = []
    for row in rows[start:end]:
        key = email_key(row, mapping)
        if key not in seen and email_problem(key) is None:
            invitees.append(invitee_for(row, mapping))
        seen.add(key)
    invited = len(invite(community, actor, invitees, source="import").invited) if invitees else 0
    batch.status = ImportStatus.RUNNING
    batch.invited += invited
    batch.skipped += (end - start) - invited
    batch.processed = end
    if batch.processed >= batch.total:
        batch.status = ImportStatus.DONE
        result = outcome(community, batch)
        audit.record(
            community,
            actor,
            "import.completed",
            detail=(
                f"{batch.filename or 'CSV file'}: {result.invited} invited, "
                f"{result.already_members} already members, {result.already_invited} already invited, "
                f"{result.bad} bad emails, {result.duplicates} duplicates"
            ),
        )
    db.session.flush()


def run_all(community: Community, batch: ImportBatch, actor: User) -> None:
    """Every remaining chunk, in this one transaction (the page without JavaScript)."""
    while batch.status != ImportStatus.DONE:
        run_chunk(community, batch, actor)


def progress(batch: ImportBatch) -> dict[str, int | bool]:
    return {
        "processed": batch.processed,
        "total": batch.total,
        "invited": batch.invited,
        "skipped": batch.skipped,
        "done": batch.status == ImportStatus.DONE,
    }


def outcome(community: Community, batch: ImportBatch) -> Outcome:
    """What the import did to the rows it has processed.

    Bad and duplicate rows follow from the file; the rest were invited by this import (its
    invitations are the ones made since the upload), were members, or had been invited before.
    """
    statuses = file_statuses(batch.rows[: batch.processed], batch.mapping)
    kinds = Counter(status for _, status, _ in statuses)
    candidates = {key for key, status, _ in statuses if status is None}
    invited_now = _invited_emails(community, candidates, since=batch.created_at)
    members = len(_member_emails(community, candidates) - invited_now)
    return Outcome(
        invited=batch.invited,
        already_members=members,
        already_invited=max(0, len(candidates) - batch.invited - members),
        bad=kinds[RowStatus.BAD],
        duplicates=kinds[RowStatus.DUPLICATE],
    )
