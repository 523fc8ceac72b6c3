"""Community forms. They validate (and read, to check a slug is free); the services write."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from community.communities import lists
from community.communities.models import CommunityKind, JoinPolicy
from community.communities.services import (
    JOIN_ANSWER_MAX,
    CommunityError,
    free_slug_like,
    prepare_logo,
    slug_problem,
    slug_taken,
    suggest_slug,
)
from community.core import audit, images
from community.core.forms import Form
from community.core.text import stripped
from community.core.timezones import is_timezone, timezone_choices

KIND_CHOICES = [
    SelectChoice(kind.value, kind.label if kind != CommunityKind.OTHER else "Other") for kind in CommunityKind
]
POLICY_CHOICES = [
    SelectChoice(JoinPolicy.OPEN.value, "Open: anyone signed in can join"),
    SelectChoice(JoinPolicy.APPROVAL.value, "Approval: people answer a question and an organizer decides"),
    SelectChoice(JoinPolicy.INVITATION.value, "Invitation only: people join through an invitation"),
]


class _CommunityFields(Form):
    name = StringField(
        "Name",
        filters=[stripped],
        validators=[
            DataRequired("Give the community a name."),
            Length(max=120, message="Keep it under 120 characters."),
        ],
        render_kw={"autocomplete": "off"},
    )
    tagline = StringField(
        "Tagline",
        filters=[stripped],
        validators=[Optional(), Length(max=160, message="Keep it under 160 characters.")],
        description="One line that says who it is for, e.g. “Graduates of the Lyon campus, 1990 to today”.",
    )
    description = TextAreaField(
        "Description",
        filters=[stripped],
        validators=[Optional(), Length(max=20000, message="Keep it under 20,000 characters.")],
        description="Markdown works: **bold**, *italic*, [links](https://example.org), lists.",
        render_kw={"rows": 8},
    )
    kind = SelectField("Kind", choices=KIND_CHOICES, default=CommunityKind.ALUMNI.value)
    timezone = SelectField(
        "Home time zone",
        default="UTC",
        description="Events are shown in this zone unless an event says otherwise.",
        validate_choice=False,
    )
    join_policy = RadioField("Who can join", choices=POLICY_CHOICES, default=JoinPolicy.OPEN.value)
    logo = FileField(
        "Logo (optional)",
        description="A square PNG, JPEG, WebP or GIF, up to 512 KB. We shrink it to 512 pixels.",
        render_kw={"accept": images.ACCEPT},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.logo_bytes: bytes | None = None

    def validate_timezone(self, field: SelectField) -> None:
        if not is_timezone(field.data):
            raise ValidationError("Choose a time zone from the list.")

    def validate_logo(self, field: FileField) -> None:
        data = images.read_upload(field.data, images.LOGO)
        if data is None:
            return
        try:
            prepare_logo(data)
        except CommunityError as error:
            raise ValidationError(error.message) from None
        self.logo_bytes = data

    def community_fields(self) -> dict:
        """The fields the services take, by name."""
        return {
            "name": self.name.data,
            "tagline": self.tagline.data or "",
            "description": self.description.data or "",
            "kind": self.kind.data,
            "timezone": self.timezone.data,
            "join_policy": self.join_policy.data,
        }


class CreateCommunityForm(_CommunityFields):
    slug = StringField(
        "Web address",
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        description="Your community lives at /c/<address>. Leave it blank and we make one from the name. "
        "It can't be changed later.",
        render_kw={
            "autocomplete": "off",
            "spellcheck": "false",
            "autocapitalize": "off",
            "placeholder": "lyon-alumni",
        },
    )

    field_order = ("name", "slug", "tagline", "description", "kind", "timezone", "join_policy", "logo")

    def __iter__(self):
        return iter([self[name] for name in ("csrf_token", *self.field_order) if name in self])

    def validate_slug(self, field: StringField) -> None:
        if not field.data:
            if not self.name.data:
                return
            field.data = suggest_slug(self.name.data)
            if slug_problem(field.data):
                raise ValidationError("We couldn't make an address from the name. Please choose one.")
        problem = slug_problem(field.data)
        if problem:
            raise ValidationError(problem)
        if slug_taken(field.data):
            raise ValidationError(taken_message(field.data))


def taken_message(slug: str) -> str:
    message = f"/c/{slug} is already taken."
    alternative = free_slug_like(slug)
    return f"{message} How about “{alternative}”?" if alternative else f"{message} Please choose another."


class SettingsForm(_CommunityFields):
    join_question = StringField(
        "Question for people asking to join",
        filters=[stripped],
        validators=[Optional(), Length(max=300, message="Keep it under 300 characters.")],
        description="Used when joining needs approval, e.g. “Which year did you graduate?”",
    )
    directory_public = BooleanField(
        "Anyone signed in may browse the member directory",
        description="Otherwise only members see it. Each person still chooses what their profile shows.",
    )
    remove_logo = BooleanField("Remove the current logo")

    field_order = (
        "name", "tagline", "description", "kind", "timezone", "join_policy", "join_question",
        "directory_public", "logo", "remove_logo",
    )  # fmt: skip

    def __iter__(self):
        return iter([self[name] for name in ("csrf_token", *self.field_order) if name in self])

    def community_fields(self) -> dict:
        fields = super().community_fields()
        fields["join_question"] = self.join_question.data or ""
        fields["directory_public"] = bool(self.directory_public.data)
        return fields


class JoinRequestForm(Form):
    answer = TextAreaField(
        "Your answer",
        filters=[stripped],
        validators=[
            DataRequired("Please answer the question."),
            Length(max=JOIN_ANSWER_MAX, message=f"Please keep it under {JOIN_ANSWER_MAX} characters."),
        ],
        description="Only the organizers see this.",
        render_kw={"rows": 5, "maxlength": JOIN_ANSWER_MAX},
    )


EMAIL_SEPARATORS = re.compile(r"[\s,;]+")
MAX_INVITES_AT_ONCE = 500


class InviteEmailsForm(Form):
    emails = TextAreaField(
        "Email addresses",
        validators=[DataRequired("Paste at least one email address.")],
        description="One or many, separated by commas, semicolons, spaces or new lines.",
        render_kw={"rows": 5, "spellcheck": "false", "autocapitalize": "off",
                   "placeholder": "ada@example.org, grace@example.org"},
    )  # fmt: skip
    cohort = StringField(
        "Cohort (optional)",
        filters=[stripped],
        validators=[Optional(), Length(max=60, message="Keep it under 60 characters.")],
        description="E.g. “Class of 2014”, given to everyone in this batch.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses: list[str] = []

    def validate_emails(self, field: TextAreaField) -> None:
        parts = [part.strip("<>\"'") for part in EMAIL_SEPARATORS.split(field.data or "") if part]
        bad, good = [], []
        for part in parts:
            try:
                checked = validate_email(part, check_deliverability=False, allow_smtputf8=False)
                good.append(checked.normalized.lower())
            except EmailNotValidError:
                bad.append(part)
        if bad:
            shown = ", ".join(bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
            noun = (
                "This doesn't look like an email address"
                if len(bad) == 1
                else ("These don't look like email addresses")
            )
            raise ValidationError(f"{noun}: {shown}. Nothing was sent; correct it and try again.")
        if not good:
            raise ValidationError("Paste at least one email address.")
        if len(good) > MAX_INVITES_AT_ONCE:
            raise ValidationError(f"Invite up to {MAX_INVITES_AT_ONCE} people at a time, or use an import.")
        self.addresses = list(dict.fromkeys(good))


class InviteLinkForm(Form):
    expires_in_days = IntegerField(
        "Expires after (days)",
        validators=[Optional(), NumberRange(1, 365, "Between 1 and 365 days, or blank for no expiry.")],
        description="Blank: the link works until you revoke it.",
        render_kw={"inputmode": "numeric", "min": 1, "max": 365},
    )
    max_uses = IntegerField(
        "Maximum uses",
        validators=[Optional(), NumberRange(1, 10000, "Between 1 and 10,000, or blank for no limit.")],
        description="Blank: any number of people.",
        render_kw={"inputmode": "numeric", "min": 1},
    )


class TransferForm(Form):
    new_owner = SelectField("New owner", coerce=int, validate_choice=True)
    confirm = BooleanField(
        "I understand I will become an organizer and the new owner can remove me",
        validators=[DataRequired("Tick the box to confirm.")],
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        options = [(0, "Choose a member…"), *choices]
        self.new_owner.choices = [SelectChoice(value, label) for value, label in options]

    def validate_new_owner(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Choose who should own the community.")


# -- the query strings of the organizer lists (GET forms) ---------------------------------------


def _text(args: Mapping[str, str], name: str, longest: int) -> str:
    return " ".join(str(args.get(name, "")).split())[:longest]


@dataclass(frozen=True)
class AuditQuery:
    """The audit log's filters: a person (part of a name, who did it or whom it was about) and a kind."""

    person: str = ""
    kind: str = ""  # a key of audit.KINDS, or "" for every kind

    @property
    def filtered(self) -> bool:
        return bool(self.person or self.kind)

    def args(self) -> dict[str, str]:
        """The filters as query-string values (for the page links), leaving out empty ones."""
        return {key: value for key, value in (("person", self.person), ("kind", self.kind)) if value}


def audit_query(args: Mapping[str, str]) -> AuditQuery:
    """The audit log's query string, cleaned up: nonsense in a field means no filter."""
    kind = str(args.get("kind", ""))
    return AuditQuery(person=_text(args, "person", 100), kind=kind if kind in audit.KINDS else "")


@dataclass(frozen=True)
class MemberQuery:
    """Manage -> Members' filters (lists.MEMBER_FILTERS, JOINED, LAST_ATTENDED keys; "" for any)."""

    show: str = "members"
    search: str = ""  # part of a name or an email address
    cohort: str = ""
    joined: str = ""
    attended: str = ""

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the role's list."""
        return bool(self.search or self.cohort or self.joined or self.attended)

    def args(self) -> dict[str, str]:
        """The filters as query-string values (for the page links), leaving out empty ones."""
        values = (("show", self.show), ("q", self.search), ("cohort", self.cohort))
        values += (("joined", self.joined), ("attended", self.attended))
        return {key: value for key, value in values if value}


def member_query(args: Mapping[str, str], *, cohorts: list[str], attended: bool) -> MemberQuery:
    """The member list's query string, cleaned up: a value not offered means no filter (the role:
    everyone); `attended` says whether the "last came" filter is offered at all."""

    def offered(name: str, choices) -> str:
        value = str(args.get(name, ""))
        return value if value in choices else ""

    return MemberQuery(
        show=offered("show", lists.MEMBER_FILTERS) or "members",
        search=_text(args, "q", 100),
        cohort=offered("cohort", cohorts),
        joined=offered("joined", lists.JOINED),
        attended=offered("attended", lists.LAST_ATTENDED) if attended else "",
    )
