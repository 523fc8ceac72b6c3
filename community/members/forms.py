"""The profile editor and the directory's search form. They validate; the services write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from community.core import images
from community.core.converters import MAX_ID
from community.core.forms import Form, SubForm
from community.core.pagination import page_number
from community.core.text import single_spaced, stripped
from community.members.models import DEFAULT_VISIBILITY, Profile, Visibility
from community.members.queries import DirectoryQuery, Mode, Sort

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_LINES = 10
MAX_LINE_LENGTH = 100
MAX_LINKS = 5

INDUSTRY_SUGGESTIONS = (
    "Agriculture",
    "Architecture",
    "Arts and culture",
    "Consulting",
    "Education",
    "Energy",
    "Engineering",
    "Finance",
    "Government",
    "Healthcare",
    "Hospitality",
    "Law",
    "Manufacturing",
    "Media",
    "Non-profit",
    "Real estate",
    "Research",
    "Retail",
    "Software",
    "Transport",
)

#: What each visibility choice means, next to every field of the editor.
VISIBILITY_CHOICES = [SelectChoice(value=level.value, label=level.label) for level in Visibility]


def split_tags(text: str | None) -> list[str]:
    """ "Python,  data science, python" -> ["Python", "data science"]: trimmed, no repeats."""
    return _unique(part for part in (text or "").split(","))


def split_lines(text: str | None) -> list[str]:
    return _unique((text or "").splitlines())


def _unique(items) -> list[str]:
    seen, result = set(), []
    for item in items:
        item = " ".join(item.split())
        if item and item.lower() not in seen:
            seen.add(item.lower())
            result.append(item)
    return result


def _check_items(items: list[str], *, most: int, longest: int, noun: str) -> None:
    if len(items) > most:
        raise ValidationError(f"Up to {most} {noun}, please: you have {len(items)}.")
    for item in items:
        if len(item) > longest:
            raise ValidationError(f"Keep each one under {longest} characters: “{item[:longest]}…” is longer.")


def is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return (
        parts.scheme in ("http", "https")
        and "." in host
        and not host.startswith(".")
        and not host.endswith(".")
        and not any(c.isspace() for c in url)
    )


class LinkEntry(SubForm):
    label = StringField(
        "Label", filters=[single_spaced], validators=[Length(max=40, message="Keep it under 40 characters.")]
    )
    url = StringField(
        "Web address",
        filters=[stripped],
        validators=[Length(max=500, message="That address is too long.")],
        render_kw={
            "inputmode": "url",
            "spellcheck": "false",
            "autocapitalize": "off",
            "placeholder": "https://",
        },
    )

    #: Given to the people this person is introduced to (after both said yes), whoever else
    #: may see the links.
    share = BooleanField("Share when introduced")

    def validate_url(self, field: Field) -> None:
        if not field.data:
            if self.label.data:
                raise ValidationError("Add the web address, or clear the label.")
            return
        if not is_web_address(field.data):
            raise ValidationError("Enter a full web address starting with https:// (or http://).")

    def value(self) -> dict[str, str] | None:
        if not self.url.data:
            return None
        label = self.label.data or urlsplit(self.url.data).hostname or "Website"
        link = {"label": label, "url": self.url.data}
        return link | {"share": True} if self.share.data else link


class CohortEntry(SubForm):
    membership_id = HiddenField()
    cohort = StringField(
        "Cohort or class year",
        filters=[single_spaced],
        validators=[Length(max=60, message="Keep it under 60 characters.")],
    )

    def validate_membership_id(self, field: Field) -> None:
        """The editor writes these ids; any other value (a number past the id column's range
        would fail in the query) did not come from it."""
        value = str(field.data or "")
        if value and not (value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= MAX_ID):
            raise ValidationError("This form is out of date. Reload the page and try again.")


def _visibility_field(name: str) -> SelectField:
    return SelectField(
        "Who can see this",
        choices=VISIBILITY_CHOICES,
        default=DEFAULT_VISIBILITY[name].value,
        validate_choice=True,
    )


class ProfileForm(Form):
    name = StringField(
        "Your name",
        filters=[single_spaced],
        validators=[
            DataRequired("Tell us your name."),
            Length(max=120, message="Keep it under 120 characters."),
        ],
        render_kw={"autocomplete": "name"},
    )
    headline = StringField(
        "Headline",
        filters=[single_spaced],
        validators=[Length(max=160, message="Keep it under 160 characters.")],
        description="One line, e.g. “Product lead in climate tech, Class of 2014”.",
    )
    bio = TextAreaField(
        "About you",
        filters=[stripped],
        validators=[Length(max=4000, message="Keep it under 4,000 characters.")],
        description="A few sentences. Markdown works: **bold**, *italics*, lists and links.",
    )
    city = StringField(
        "City",
        filters=[single_spaced],
        validators=[Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )
    country = StringField(
        "Country",
        filters=[single_spaced],
        validators=[Length(max=100)],
        render_kw={"autocomplete": "country-name"},
    )
    organisation = StringField(
        "Organisation",
        filters=[single_spaced],
        validators=[Length(max=120)],
        render_kw={"autocomplete": "organization"},
    )
    job_title = StringField(
        "Role",
        filters=[single_spaced],
        validators=[Length(max=120)],
        render_kw={"autocomplete": "organization-title"},
    )
    industry = StringField(
        "Industry",
        filters=[single_spaced],
        validators=[Length(max=80)],
        render_kw={"list": "industry-suggestions"},
    )
    skills = StringField(
        "Skills",
        description=f"Separated by commas, up to {MAX_TAGS}: “Python, fundraising, public speaking”.",
    )
    interests = StringField(
        "Interests",
        description=f"Separated by commas, up to {MAX_TAGS}: “Climbing, urban planning”.",
    )
    can_help_with = TextAreaField(
        "I can help with",
        description=f"One per line, up to {MAX_LINES}. We use these to suggest introductions.",
        render_kw={"rows": 4},
    )
    looking_for = TextAreaField(
        "I am looking for",
        description=f"One per line, up to {MAX_LINES}: a mentor, a co-founder, advice on…",
        render_kw={"rows": 4},
    )
    links = FieldList(FormField(LinkEntry), min_entries=MAX_LINKS, max_entries=MAX_LINKS)
    cohorts = FieldList(FormField(CohortEntry))
    photo = FileField(
        "Choose a photo",
        description=f"A picture of you, so people recognise you at events. PNG, JPEG, WebP or GIF, "
        f"up to {images.PHOTO.size_limit}; we cut it to a square of {images.PHOTO.box[0]} pixels.",
        render_kw={"accept": images.ACCEPT},
    )
    remove_photo = BooleanField("Remove my photo")

    #: The checked and redrawn photo, once validated.
    photo_image: images.StoredImage | None = None

    def validate_photo(self, field: FileField) -> None:
        data = images.read_upload(field.data, images.PHOTO)
        if data is None:
            return
        try:
            self.photo_image = images.prepare(data, images.PHOTO)
        except images.ImageError as error:
            raise ValidationError(error.message) from None

    def validate_skills(self, field: Field) -> None:
        _check_items(split_tags(field.data), most=MAX_TAGS, longest=MAX_TAG_LENGTH, noun="skills")

    def validate_interests(self, field: Field) -> None:
        _check_items(split_tags(field.data), most=MAX_TAGS, longest=MAX_TAG_LENGTH, noun="interests")

    def validate_can_help_with(self, field: Field) -> None:
        _check_items(split_lines(field.data), most=MAX_LINES, longest=MAX_LINE_LENGTH, noun="lines")

    def validate_looking_for(self, field: Field) -> None:
        _check_items(split_lines(field.data), most=MAX_LINES, longest=MAX_LINE_LENGTH, noun="lines")

    # -- between the form and the service ------------------------------------------------

    def visibility_field(self, name: str) -> SelectField:
        return self[f"{name}_visibility"]

    def profile_fields(self) -> dict[str, Any]:
        """The edited profile columns, parsed and normalised."""
        return {
            "headline": self.headline.data or "",
            "bio": self.bio.data or "",
            "city": self.city.data or "",
            "country": self.country.data or "",
            "organisation": self.organisation.data or "",
            "job_title": self.job_title.data or "",
            "industry": self.industry.data or "",
            "skills": split_tags(self.skills.data),
            "interests": split_tags(self.interests.data),
            "can_help_with": split_lines(self.can_help_with.data),
            "looking_for": split_lines(self.looking_for.data),
            "links": [link for entry in self.links if (link := entry.form.value())],
            # A new photo (checked and redrawn), or removing the one there is.
            "photo": self.photo_image,
            "remove_photo": bool(self.remove_photo.data),
        }

    def visibility(self) -> dict[str, str]:
        return {name: self.visibility_field(name).data for name in DEFAULT_VISIBILITY}

    def cohorts_by_membership(self) -> dict[int, str]:
        result = {}
        for entry in self.cohorts:
            membership_id = entry.form.membership_id.data
            if membership_id and str(membership_id).isdigit():
                result[int(membership_id)] = entry.form.cohort.data or ""
        return result

    @classmethod
    def initial_data(cls, name: str, profile: Profile, memberships) -> dict[str, Any]:
        """What the editor shows before any change."""
        data: dict[str, Any] = {
            "name": name,
            "headline": profile.headline,
            "bio": profile.bio,
            "city": profile.city,
            "country": profile.country,
            "organisation": profile.organisation,
            "job_title": profile.job_title,
            "industry": profile.industry,
            "skills": ", ".join(profile.skills or []),
            "interests": ", ".join(profile.interests or []),
            "can_help_with": "\n".join(profile.can_help_with or []),
            "looking_for": "\n".join(profile.looking_for or []),
            "links": list(profile.links or []),
            "cohorts": [{"membership_id": str(m.id), "cohort": m.cohort or ""} for m in memberships],
        }
        for field in DEFAULT_VISIBILITY:
            data[f"{field}_visibility"] = profile.visibility_of(field).value
        return data


for _field in DEFAULT_VISIBILITY:
    setattr(ProfileForm, f"{_field}_visibility", _visibility_field(_field))


def directory_query(args: Mapping[str, str]) -> DirectoryQuery:
    """The directory's query string (search box, filters, sort, page), cleaned up.

    :raises NotFound: for a page number no list has (see core.pagination).
    """

    def text(name: str, longest: int) -> str:
        return " ".join(str(args.get(name, "")).split())[:longest]

    sort, mode = args.get("sort", ""), args.get("mode", "")
    return DirectoryQuery(
        text=text("q", 200),
        cohort=text("cohort", 60),
        location=text("location", 100),
        industry=text("industry", 80),
        tag=text("tag", 60),
        # Nothing, or nonsense: the default, best match (by name when there are no words).
        sort=Sort(sort) if sort in Sort._value2member_map_ else Sort.BEST,
        page=page_number(args.get("page")),
        mode=Mode.HELP if mode == Mode.HELP.value else Mode.EVERYTHING,
    )
