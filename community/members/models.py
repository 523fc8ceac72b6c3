"""A person's profile: what they do, can help with and are looking for, and who may see each part."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship, validates

from community.communities.models import Membership
from community.core import page_versions
from community.core.models import TimestampMixin
from community.extensions import db
from community.members.search import attach_full_text_index

if TYPE_CHECKING:
    from community.auth.models import User


class Visibility(enum.StrEnum):
    EVERYONE = "everyone"
    MEMBERS = "members"  # people who share an active community with the profile's owner
    NOBODY = "nobody"  # only the person themselves

    @property
    def label(self) -> str:
        return {
            "everyone": "Everyone",
            "members": "Members of my communities",
            "nobody": "Only me",
        }[self.value]


#: Each profile field that has its own visibility, and its default.
DEFAULT_VISIBILITY: dict[str, Visibility] = {
    "name": Visibility.MEMBERS,
    "headline": Visibility.MEMBERS,
    "bio": Visibility.MEMBERS,
    "location": Visibility.MEMBERS,
    "organisation": Visibility.MEMBERS,
    "job_title": Visibility.MEMBERS,
    "industry": Visibility.MEMBERS,
    "skills": Visibility.MEMBERS,
    "interests": Visibility.MEMBERS,
    "can_help_with": Visibility.MEMBERS,
    "looking_for": Visibility.MEMBERS,
    "links": Visibility.MEMBERS,
    "photo": Visibility.MEMBERS,
    "email": Visibility.NOBODY,  # never shown unless the person opts in
}


#: The profile field each kind of tag comes from.
TAG_FIELDS = {"skill": "skills", "interest": "interests"}


def level_in(visibility: dict[str, str] | None, field: str) -> Visibility:
    """The level a visibility mapping gives `field`: its default when unset or not a level."""
    value = (visibility or {}).get(field)
    return Visibility(value) if value in Visibility._value2member_map_ else DEFAULT_VISIBILITY[field]


class Profile(TimestampMixin, db.Model):
    __tablename__ = "member_profile"
    __table_args__ = (
        # The directory finds the few people hiding their name (or those showing it to
        # everyone) from this index alone.
        Index("ix_member_profile_name_visibility", "name_visibility", "user_id"),
        {"info": {"erase_with_user": "user_id"}},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    headline: Mapped[str] = mapped_column(String(160), default="")
    bio: Mapped[str] = mapped_column(Text, default="")  # Markdown
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(120), default="")
    job_title: Mapped[str] = mapped_column(String(120), default="")
    #: Filtered case-insensitively through an index on lower(industry) (see search.py).
    industry: Mapped[str] = mapped_column(String(80), default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Short phrases; they feed introductions ("someone who can help with what you look for").
    can_help_with: Mapped[list[str]] = mapped_column(JSON, default=list)
    looking_for: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: [{"label": "LinkedIn", "url": "https://..."}], URLs validated.
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    #: The photo as stored (core.images.PHOTO: a square of at most 400 pixels, no metadata),
    #: loaded only when served; who may see it is the "photo" field's visibility.
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_content_type: Mapped[str | None] = mapped_column(String(40))
    #: Field name -> Visibility value; fields not listed use DEFAULT_VISIBILITY.
    visibility: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: visibility_of("name"), copied from `visibility` whenever it is set: the directory
    #: filters every member on it, and a plain indexed column is far cheaper than JSON.
    name_visibility: Mapped[str] = mapped_column(
        String(10), default=DEFAULT_VISIBILITY["name"].value, server_default=DEFAULT_VISIBILITY["name"].value
    )
    #: What members may find by searching: the text of every field visible to members.
    #: Full-text indexed (SQLite FTS5 / PostgreSQL GIN, on its tsvector in search.SEARCH_TABLE,
    #: which triggers keep in step); kept in step with the fields by services.
    search_members: Mapped[str] = mapped_column(Text, default="")
    #: The same for fields visible to everyone (a public directory searched by outsiders).
    search_public: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()
    tags: Mapped[list[ProfileTag]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Profile {self.user_id}>"

    def visibility_of(self, field: str) -> Visibility:
        return level_in(self.visibility, field)

    @validates("visibility")
    def _keep_levels_in_step(self, key: str, value: dict[str, str] | None) -> dict[str, str] | None:
        """Keep name_visibility, and the level of each tag, in step with every assignment
        of `visibility` (a plain copy the directory can filter on with an index)."""
        self.name_visibility = level_in(value, "name").value
        for tag in self.tags:
            tag.level = level_in(value, TAG_FIELDS[tag.kind]).value
        return value


class ProfileTag(db.Model):
    """A skill or interest, normalised, so the directory can filter by tag with an index."""

    __tablename__ = "profile_tag"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "tag"),
        # Who has a tag that a given audience may see, from the index alone.
        Index("ix_profile_tag_tag_level_user", "tag", "level", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("member_profile.user_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "skill" or "interest"
    #: Lower-cased, trimmed: "Product management".
    tag: Mapped[str] = mapped_column(String(60))
    #: The profile's visibility of the field the tag comes from (skills or interests),
    #: copied by Profile's visibility validator and services.sync_tags.
    level: Mapped[str] = mapped_column(
        String(10), default=Visibility.MEMBERS.value, server_default=Visibility.MEMBERS.value
    )

    profile: Mapped[Profile] = relationship(back_populates="tags")

    def __repr__(self) -> str:
        return f"<ProfileTag {self.user_id} {self.kind}:{self.tag}>"


attach_full_text_index(Profile.__table__)


# Names, photos and headlines of organizers and attendees are on visitors' pages, and the
# directory's results kept by version read profiles and their tags.
page_versions.watch(
    Profile, lambda profile: select(Membership.community_id).where(Membership.user_id == profile.user_id)
)
page_versions.watch(
    ProfileTag, lambda tag: select(Membership.community_id).where(Membership.user_id == tag.user_id)
)
