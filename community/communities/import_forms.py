"""Forms for the alumni-list import: the upload, and the column mapping. They validate; services write."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField
from wtforms.validators import StopValidation

from community.communities.import_csv import MAX_BYTES, MAX_ROWS, TARGETS
from community.communities.models import IMPORTABLE_PROFILE_FIELDS
from community.core.forms import Form

NOT_IN_FILE = ""

HELP = {
    "email": "Required: where the invitations go.",
    "name": "Used to greet them in the invitation.",
    "first_name": "Only if your file splits names; joined with the last name.",
    "last_name": "Only if your file splits names.",
    "cohort": "Saved as their cohort when they join, e.g. Class of 2014.",
    "skills": "Separated by commas in the cell.",
    "interests": "Separated by commas in the cell.",
}


class UploadForm(Form):
    file = FileField(
        "Your alumni list (CSV)",
        validators=[FileRequired("Choose a CSV file to upload.")],
        description=(
            f"One row per person, with a header row naming the columns. Up to {MAX_ROWS:,} people "
            f"and {MAX_BYTES // 1024 // 1024} MB per file."
        ),
        render_kw={"accept": ".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"},
    )


class MappingForm(Form):
    """One select per target field, listing the file's columns; built by mapping_form()."""

    def mapping(self) -> dict[str, int]:
        return {
            target: int(getattr(self, target).data)
            for target in TARGETS
            if getattr(self, target).data not in (None, NOT_IN_FILE)
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen: dict[str, str] = {}
        for target in TARGETS:
            select = getattr(self, target)
            if select.data in (None, NOT_IN_FILE):
                continue
            if select.data in chosen:
                column = next(choice.label for choice in select.choices if choice.value == select.data)
                select.errors.append(
                    f"“{column}” is already used for {TARGETS[chosen[select.data]]}. Use each column once."
                )
                valid = False
            else:
                chosen[select.data] = target
        return valid

    def person_fields(self) -> list:
        return [getattr(self, target) for target in ("email", "name", "first_name", "last_name", "cohort")]

    def profile_fields(self) -> list:
        return [getattr(self, target) for target in IMPORTABLE_PROFILE_FIELDS]


def mapping_form(header: list[str], mapping: dict[str, int], **kwargs) -> MappingForm:
    """A MappingForm for this file's header, pre-selected from `mapping` (target -> column)."""

    class FileMappingForm(MappingForm):
        pass

    choices = [SelectChoice(NOT_IN_FILE, "— not in this file —")]
    choices += [SelectChoice(str(index), name) for index, name in enumerate(header)]
    for target, label in TARGETS.items():
        validators = []
        if target == "email":
            validators.append(_email_chosen)
        setattr(
            FileMappingForm,
            target,
            SelectField(
                label,
                choices=choices,
                default=str(mapping[target]) if target in mapping else NOT_IN_FILE,
                validators=validators,
                description=HELP.get(target, ""),
            ),
        )
    return FileMappingForm(**kwargs)


def _email_chosen(form: Form, field: SelectField) -> None:
    if field.data in (None, NOT_IN_FILE):
        raise StopValidation("Choose the column that holds email addresses: every invitation needs one.")
