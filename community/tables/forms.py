"""The Tables tab's forms: the plan's settings and "Re-plan from round N". They validate and
never write."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from community.core.forms import Form
from community.tables.models import Seated
from community.tables.planner import MAX_ROUNDS, MAX_SIZE, MIN_SIZE

MAX_TABLES = 200
MAX_TABLE_NAME = 40


class PlanForm(Form):
    arrange = SelectField(
        "Arrange by",
        choices=[
            SelectChoice("size", "People per table"),
            SelectChoice("count", "Number of tables"),
            SelectChoice("named", "Named tables"),
        ],
        default="size",
    )
    table_size = IntegerField(
        "People per table",
        default=6,
        validators=[
            Optional(),
            NumberRange(MIN_SIZE, MAX_SIZE, f"Between {MIN_SIZE} and {MAX_SIZE} people."),
        ],
        description=f"{MIN_SIZE} to {MAX_SIZE}; tables differ by at most one person.",
    )
    table_count = IntegerField(
        "Number of tables",
        validators=[Optional(), NumberRange(1, MAX_TABLES, f"Between 1 and {MAX_TABLES} tables.")],
        description="Used when arranging by number of tables.",
    )
    named_tables = TextAreaField(
        "Named tables",
        validators=[Length(max=4000)],
        description="When arranging by named tables: one a line, its name and seats, e.g. “Window: 6”.",
    )
    rounds = IntegerField(
        "Rounds",
        default=3,
        validators=[
            InputRequired("Say how many rounds."),
            NumberRange(1, MAX_ROUNDS, f"Between 1 and {MAX_ROUNDS} rounds."),
        ],
        description="People move to new tables between rounds.",
    )
    seated = SelectField(
        "Who is seated",
        choices=[
            SelectChoice(Seated.GOING.value, "Everyone going (guests sit with their host)"),
            SelectChoice(Seated.CHECKED_IN.value, "Only those checked in"),
        ],
        default=Seated.GOING.value,
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.named: list[tuple[str, int]] | None = None
        # Optional() ends a blank field's checks, so the one the organizer chose is checked here.
        if self.arrange.data == "size" and self.table_size.data is None and not self.table_size.errors:
            self.table_size.errors = [*self.table_size.errors, "Say how many people sit at a table."]
            valid = False
        if self.arrange.data == "count" and self.table_count.data is None and not self.table_count.errors:
            self.table_count.errors = [*self.table_count.errors, "Say how many tables there are."]
            valid = False
        if self.arrange.data == "named" and not self.named_tables.errors:
            try:
                self.named = parse_named_tables(self.named_tables.data or "")
            except ValueError as error:
                self.named_tables.errors = [*self.named_tables.errors, str(error)]
                valid = False
        return valid


def parse_named_tables(text: str) -> list[tuple[str, int]]:
    """ "Window: 6" lines -> [("Window", 6)]; raises ValueError with a message for the organizer."""
    tables: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, seats = line.rpartition(":")
        name = " ".join(name.split())
        if not colon or not name or not (seats.strip().isascii() and seats.strip().isdigit()):
            raise ValueError(f"Line {number}: write a name, a colon and the seats, e.g. “Window: 6”.")
        if len(name) > MAX_TABLE_NAME:
            raise ValueError(f"Line {number}: a table's name is at most {MAX_TABLE_NAME} characters.")
        if not MIN_SIZE <= int(seats) <= MAX_SIZE:
            raise ValueError(f"Line {number}: a table seats between {MIN_SIZE} and {MAX_SIZE}.")
        if any(name.casefold() == other.casefold() for other, _ in tables):
            raise ValueError(f"Line {number}: there is already a table called “{name}”.")
        tables.append((name, int(seats)))
    if not tables:
        raise ValueError("Name at least one table, e.g. “Window: 6”.")
    if len(tables) > MAX_TABLES:
        raise ValueError(f"At most {MAX_TABLES} tables.")
    return tables


class ReplanFromForm(Form):
    from_round = IntegerField(
        "Re-plan from round",
        validators=[
            InputRequired("Say from which round."),
            NumberRange(2, MAX_ROUNDS, f"A round from 2 to {MAX_ROUNDS}."),
        ],
        description="Earlier rounds stay as they were; later ones seat the people now present.",
    )


def _people_choices(people: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", "Choose someone…"), *(SelectChoice(key, name) for key, name in people)]


class PinForm(Form):
    """Pin one person to a table in a round; `people` is [(planner id, name)], `rounds` and
    `tables` the current plan's counts."""

    pin_person = SelectField("Person", validators=[InputRequired("Choose someone to pin.")])
    pin_round = SelectField("Round", coerce=int)
    pin_table = SelectField("Table", coerce=int)

    def __init__(self, *args, people=(), rounds: int = 1, tables: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.pin_person.choices = _people_choices(list(people))
        self.pin_round.choices = [SelectChoice(r, f"Round {r}") for r in range(1, rounds + 1)]
        self.pin_table.choices = [SelectChoice(t, name) for t, name in enumerate(tables, start=1)]


class PairForm(Form):
    """Keep two people together in every round, or apart."""

    pair_first = SelectField("First person", validators=[InputRequired("Choose the first person.")])
    pair_second = SelectField("Second person", validators=[InputRequired("Choose the second person.")])
    pair_how = SelectField(
        "Keep them",
        choices=[SelectChoice("apart", "Apart (never at one table)"), SelectChoice("together", "Together")],
        default="apart",
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pair_first.choices = _people_choices(list(people))
        self.pair_second.choices = _people_choices(list(people))

    def validate_pair_second(self, field) -> None:
        if field.data and field.data == self.pair_first.data:
            raise ValidationError("Choose two different people.")
