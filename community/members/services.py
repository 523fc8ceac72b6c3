"""Profiles: creating them, and keeping their search text and tags in step with their fields."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import IMPORTABLE_PROFILE_FIELDS, Membership, MembershipStatus
from community.core.images import StoredImage
from community.extensions import db
from community.members.models import DEFAULT_VISIBILITY, TAG_FIELDS, Profile, ProfileTag, Visibility

TEXT_FIELDS = ("headline", "bio", "organisation", "job_title", "industry")
LIST_FIELDS = ("skills", "interests", "can_help_with", "looking_for")


def ensure_profile(user: User) -> Profile:
    """The user's profile, created empty (and indexed) if they have none yet."""
    profile = db.session.get(Profile, user.id)
    if profile is None:
        profile = Profile(user_id=user.id, user=user)
        refresh_search(profile)
        db.session.add(profile)
        db.session.flush()
    return profile


def profile_for_member(
    membership: Membership, *, profile_data: dict[str, Any] | None = None, **_: Any
) -> None:
    """On joining a community (core.hooks.member_joined): the person gets a profile, and the
    fields an accepted invitation carried fill its empty parts."""
    profile = ensure_profile(membership.user)
    if profile_data is not None:
        apply_imported_fields(profile, profile_data)


def normalise_tag(tag: str) -> str:
    return " ".join(tag.split()).lower()[:60]


def _field_text(profile: Profile, field: str) -> str:
    if field == "name":
        return profile.user.name if profile.user is not None else ""
    if field == "location":
        return " ".join(part for part in (profile.city, profile.country) if part)
    value = getattr(profile, field)
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return value or ""


SEARCHABLE_FIELDS = ("name", "location", *TEXT_FIELDS, *LIST_FIELDS)


def refresh_search(profile: Profile) -> None:
    """Rebuild the text that directory search sees, field by field as visibility allows.

    A field hidden from members is never searchable by them: a search must not reveal
    what the profile page would not show.
    """
    members, public = [], []
    for field in SEARCHABLE_FIELDS:
        level = profile.visibility_of(field)
        text = _field_text(profile, field)
        if not text or level == Visibility.NOBODY:
            continue
        members.append(text)
        if level == Visibility.EVERYONE:
            public.append(text)
    profile.search_members = "\n".join(members)
    profile.search_public = "\n".join(public)


def sync_tags(profile: Profile) -> None:
    """Make profile.tags match its skills and interests (normalised, no duplicates), each
    with the visibility of the field it comes from."""
    wanted = {("skill", normalise_tag(t)) for t in profile.skills or [] if t.strip()}
    wanted |= {("interest", normalise_tag(t)) for t in profile.interests or [] if t.strip()}
    existing = {(tag.kind, tag.tag): tag for tag in profile.tags}
    for key, tag in existing.items():
        if key not in wanted:
            profile.tags.remove(tag)
    for kind, name in sorted(wanted - existing.keys()):
        profile.tags.append(ProfileTag(kind=kind, tag=name))
    for tag in profile.tags:
        tag.level = profile.visibility_of(TAG_FIELDS[tag.kind]).value


def apply_imported_fields(profile: Profile, data: dict[str, Any] | None) -> None:
    """Fill empty profile fields from an alumni-list import; never overwrite what the person wrote."""
    for field, value in (data or {}).items():
        if field not in IMPORTABLE_PROFILE_FIELDS or not value:
            continue
        if field in ("skills", "interests"):
            items = value if isinstance(value, list) else [v.strip() for v in str(value).split(",")]
            if not getattr(profile, field):
                setattr(profile, field, [item for item in items if item][:30])
        elif not getattr(profile, field):
            setattr(profile, field, str(value).strip()[:120])
    sync_tags(profile)
    refresh_search(profile)
    db.session.flush()


def profiles_for(user_ids: list[int]) -> dict[int, Profile]:
    """Profiles by user id, in one query."""
    if not user_ids:
        return {}
    return {p.user_id: p for p in db.session.scalars(select(Profile).where(Profile.user_id.in_(user_ids)))}


#: Profile columns the person edits on /profile (the name lives on the account).
EDITABLE_FIELDS = (
    "headline",
    "bio",
    "city",
    "country",
    "organisation",
    "job_title",
    "industry",
    "skills",
    "interests",
    "can_help_with",
    "looking_for",
    "links",
)


def set_photo(profile: Profile, photo: StoredImage | None, *, remove: bool = False) -> None:
    """A new photo (checked and redrawn by core.images) replaces the old; `remove` takes it away."""
    if photo is not None:
        profile.photo, profile.photo_content_type = photo.data, photo.content_type
    elif remove:
        profile.photo = profile.photo_content_type = None


def update_profile(
    user: User,
    *,
    name: str,
    fields: dict[str, Any],
    visibility: dict[str, str],
    cohorts: dict[int, str] | None = None,
) -> Profile:
    """Save what the person wrote on their profile, who may see each part, and their cohort
    in each community (`cohorts`: membership id -> cohort; ids not theirs are ignored).

    Tags and the search text follow, so the directory finds the new words and not the old.
    `fields` may hold "photo" (a new one, from core.images) and "remove_photo".
    """
    profile = ensure_profile(user)
    user.name = " ".join(name.split())
    for field in EDITABLE_FIELDS:
        if field in fields:
            setattr(profile, field, fields[field])
    set_photo(profile, fields.get("photo"), remove=bool(fields.get("remove_photo")))
    profile.visibility = {
        field: Visibility(value).value
        for field, value in visibility.items()
        if field in DEFAULT_VISIBILITY and value in Visibility._value2member_map_
    }
    if cohorts:
        memberships = db.session.scalars(
            select(Membership).where(
                Membership.user_id == user.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.id.in_(list(cohorts)),
            )
        )
        for membership in memberships:
            membership.cohort = " ".join(cohorts[membership.id].split())[:60] or None
    sync_tags(profile)
    refresh_search(profile)
    db.session.flush()
    return profile
