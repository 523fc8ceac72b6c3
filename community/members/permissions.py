"""Who may see which part of a profile. Plain predicates; templates use them through ProfileView.

Three audiences: the person themselves, members (people who share an active community
with the person) and the public (everyone else, logged in or not).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from flask import url_for

from community.members.models import DEFAULT_VISIBILITY, Profile, Visibility

if TYPE_CHECKING:
    from community.auth.models import User


class Audience(enum.StrEnum):
    SELF = "self"
    MEMBERS = "members"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return {"self": "you", "members": "a member", "public": "the public"}[self.value]


#: The visibility levels each audience may see.
LEVELS_SEEN: dict[Audience, tuple[Visibility, ...]] = {
    Audience.SELF: (Visibility.EVERYONE, Visibility.MEMBERS, Visibility.NOBODY),
    Audience.MEMBERS: (Visibility.EVERYONE, Visibility.MEMBERS),
    Audience.PUBLIC: (Visibility.EVERYONE,),
}


def level_of(profile: Profile | None, field: str) -> Visibility:
    """The visibility of `field`; a person without a profile row has the defaults."""
    return profile.visibility_of(field) if profile is not None else DEFAULT_VISIBILITY[field]


def can_see(profile: Profile | None, field: str, audience: Audience) -> bool:
    """Whether `audience` may see `field` of this profile (the name too: field "name")."""
    return level_of(profile, field) in LEVELS_SEEN[audience]


def can_see_person(profile: Profile | None, audience: Audience) -> bool:
    """Someone whose name a viewer may not see does not exist for that viewer."""
    return can_see(profile, "name", audience)


def can_see_photo(profile: Profile | None, audience: Audience) -> bool:
    """Whether `audience` may see this person's photo: there is one, and the person (their
    name) and the photo are both shown to it."""
    return (
        profile is not None
        and bool(profile.photo_content_type)
        and can_see_person(profile, audience)
        and can_see(profile, "photo", audience)
    )


def photo_address(profile: Profile) -> str:
    """The photo's address, with a version: a new photo is a new address, fetched afresh."""
    version = int(profile.updated_at.timestamp()) if profile.updated_at else None
    return url_for("members.photo", user_id=profile.user_id, v=version)


class ProfileView:
    """A person as one audience sees them: each accessor returns "" or [] for what is hidden."""

    def __init__(self, user: User, profile: Profile | None, audience: Audience):
        self.user = user
        self.profile = profile
        self.audience = audience

    def shows(self, field: str) -> bool:
        return can_see(self.profile, field, self.audience)

    def _value(self, field: str):
        empty = [] if field in LIST_VALUED else ""
        if self.profile is None or not self.shows(field):
            return empty
        return getattr(self.profile, field) or empty

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name if self.shows("name") else ""

    @property
    def initials(self) -> str:
        words = [word for word in self.name.split() if word[:1].isalnum()]
        return "".join(word[0] for word in (words[:1] + words[1:][-1:])).upper() or "?"

    @property
    def photo_url(self) -> str:
        """The photo's address if this audience may see it, else "" (the initials show)."""
        return photo_address(self.profile) if can_see_photo(self.profile, self.audience) else ""

    @property
    def email(self) -> str:
        return self.user.email if self.shows("email") else ""

    @property
    def location(self) -> str:
        if self.profile is None or not self.shows("location"):
            return ""
        return ", ".join(part for part in (self.profile.city, self.profile.country) if part)

    @property
    def role_line(self) -> str:
        """ "Job title at Organisation", as far as both are visible."""
        title, organisation = self._value("job_title"), self._value("organisation")
        if title and organisation:
            return f"{title} at {organisation}"
        return title or organisation

    @property
    def role_beside_headline(self) -> str:
        """The role line, unless the headline already says it (people often write their job
        as their headline): a card or a profile shows each line once."""
        role, headline = self.role_line, self.headline
        return "" if role and role.casefold() in headline.casefold() else role

    def __getattr__(self, field: str):
        """headline, bio, organisation, job_title, industry, skills, interests, can_help_with,
        looking_for, links: the value if this audience may see it, else empty."""
        if field in PROFILE_ATTRIBUTES:
            return self._value(field)
        raise AttributeError(field)

    def tags(self, limit: int | None = None) -> list[str]:
        """Skills then interests, as far as visible, without repeats."""
        seen, result = set(), []
        for tag in [*self._value("skills"), *self._value("interests")]:
            if tag.lower() not in seen:
                seen.add(tag.lower())
                result.append(tag)
        return result[:limit] if limit else result


LIST_VALUED = {"skills", "interests", "can_help_with", "looking_for", "links"}
PROFILE_ATTRIBUTES = set(DEFAULT_VISIBILITY) - {"name", "email", "location", "photo"}
