"""The member's forms for introductions: opting in at an event (with the organizers' topics),
asking for an introduction, and the one-button answers. They validate and never write."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from community.core.forms import Form
from community.introductions.models import NOTE_LENGTH, TALK_ABOUT_LENGTH, OptIn, Topic, TopicSide

TOPIC_MESSAGE = "Pick topics from the list: one you ticked isn't offered here any more."
NOTE_MESSAGE = "Add a short note: say why you'd like to meet."


def _one_kind_of_line_break(value):
    """Browsers send CR LF; count a line break as the one character the text box showed."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class TopicsField(SelectMultipleField):
    """Checkboxes for the community's topics; the values are topic ids."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            self.data = []
            return
        try:
            self.data = [int(value) for value in valuelist]
        except ValueError as error:
            self.data = []
            raise ValueError(TOPIC_MESSAGE) from error

    def pre_validate(self, form) -> None:
        allowed = {value for value, _ in self.choices or ()}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(TOPIC_MESSAGE)


class OptInForm(Form):
    """ "Introduce me to others at this event", what they'd like to talk about and the topics
    they can help with or look for. `topics`: the choices (active topics, and archived ones
    the person had already ticked, whose choice stands)."""

    introduce = BooleanField("Introduce me to others at this event")
    talk_about = StringField(
        "I'd like to talk about …",
        validators=[
            Optional(),
            Length(max=TALK_ABOUT_LENGTH, message=f"Please keep this to {TALK_ABOUT_LENGTH} characters."),
        ],
        description=f"Optional, one line (up to {TALK_ABOUT_LENGTH} characters): "
        "for example “moving from engineering into product”.",
        render_kw={"maxlength": TALK_ABOUT_LENGTH},
    )
    offers = TopicsField("I can help with", coerce=int)
    seeks = TopicsField("I'm looking for", coerce=int)
    #: Where to go back to: the event page, the ticket or the meet page (checked by the route).
    next = HiddenField()
    #: Sent by the one-button switch (event page): it changes the switch only, keeping any
    #: line and topics chosen before.
    quick = HiddenField()

    def __init__(self, *args, topics: Iterable[Topic] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(topic.id, topic.name + (" (archived)" if topic.archived else "")) for topic in topics]
        self.offers.choices = choices
        self.seeks.choices = list(choices)

    @classmethod
    def for_opt_in(cls, record: OptIn | None, topics: Iterable[Topic], **kwargs) -> OptInForm:
        """The form showing what `record` chose (nothing ticked for someone not opted in)."""
        if record is None:
            return cls(formdata=None, topics=topics, **kwargs)
        return cls(
            formdata=None,
            topics=topics,
            introduce=True,
            talk_about=record.talk_about,
            offers=sorted(record.topic_ids(TopicSide.OFFERS)),
            seeks=sorted(record.topic_ids(TopicSide.SEEKS)),
            **kwargs,
        )

    @property
    def is_quick(self) -> bool:
        return self.quick.data == "1"


class OptOutForm(Form):
    next = HiddenField()


class AskForm(Form):
    """Asking for an introduction: a short note saying why."""

    note = TextAreaField(
        "Your note",
        filters=[_one_kind_of_line_break],
        validators=[
            DataRequired(message=NOTE_MESSAGE),
            Length(max=NOTE_LENGTH, message=f"Please keep the note to {NOTE_LENGTH} characters."),
        ],
        description=f"Say why you'd like to meet: up to {NOTE_LENGTH} characters. "
        "They read it before deciding.",
        render_kw={"maxlength": NOTE_LENGTH, "rows": 3},
    )
    #: How many suggestions the page showed, so the answer comes back to the same list.
    show = HiddenField()
