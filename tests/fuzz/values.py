"""What the fuzzer types into a form. First one probe per control (probes()), then examples
(filled()) of three kinds: hostile values in one to three controls, or in all, with the others
as a careful person fills them, so that a bad value meets an otherwise valid form and reaches
the code behind the validation; and every control at an edge of its kind (edges()).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage

from tests.factories import DEFAULT_PASSWORD
from tests.fuzz.html_forms import Field, Form


class _Omitted:
    """The control is left out of the request altogether."""

    def __repr__(self) -> str:
        return "(left out)"


OMIT = _Omitted()

CONTROL = "".join(map(chr, range(0x20))) + "\x7f\x85\u200b\u200e\u2028\u2029\u202e\ufeff"
NASTY_TEXT = [
    "\x00", "a\x00b", "Poison\r\nBcc: x@evil.example", "line\nbreak", "carriage\rreturn", "tab\there",
    "\u2028", "\u202eevil\u202c", "\ufeffbom", "\u200b", "🎉🙂👩‍👩‍👧", "مرحبا بالعالم", "שלום",
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "{{ 7*7 }}", "${jndi:x}", "   ", "", " padded ",
    "../../etc/passwd", "NULL", "None", "true", "\\", "ｆｕｌｌｗｉｄｔｈ", "Z̸̡̢a̷l̵g̶o",
]  # fmt: skip
NASTY_NUMBERS = [
    "99999999999999999999", "-1", "0", "-0", "2147483648", str(2**63), str(-(2**63) - 1), "1e309",
    "1e-400", "NaN", "inf", "-inf", "1.5", "0x1F", "1_000", "١٢", "１２", " 7 ", "+5", "5\x00",
]  # fmt: skip
NASTY_DATES = [
    "0001-01-01", "0001-01-02", "1899-12-31", "1900-01-01", "2200-12-31", "2201-01-01", "9999-12-30",
    "9999-12-31", "2024-02-29", "2023-02-29", "2024-13-01", "0000-00-00", "10000-01-01", "-2024-01-01",
    "2024-1-1", "31/12/2024", "today", "9999-12-31T22:00",
]  # fmt: skip
NASTY_TIMES = [
    "00:00", "00:30", "23:59", "22:00", "24:00", "25:61", "12:60", "12:00:59.999999", "-01:00", "noon",
]  # fmt: skip
NASTY_EMAILS = [
    "a@b", "no-at-sign", "@example.org", "x@example.org\r\nBcc: y@evil.example", "nul\x00@example.org",
    "x" * 300 + "@example.org", "user@bücher.example", "\u202euser@example.org",
    "a@example.org, b@example.org", "MO@EXAMPLE.ORG", " mo@example.org ", "olive@example.org",
]  # fmt: skip
FILENAMES = [
    "alumni.csv", "", "../../etc/passwd", "a\x00b.csv", "x" * 300 + ".csv", "\u202evsc.exe", "logo.png",
]  # fmt: skip
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f80f0000010100051bd84e0000000049454e44ae426082"
)


#: Just past the usual limits (200, 500, 2,000, 20,000 characters), in one and several bytes.
LONG = [c * n for c in "x\x00\n" for n in (201, 501, 2001)] + ["x" * 20001, "é" * 501, "🎉" * 2001]
TEXT = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.text(st.sampled_from(CONTROL + "ab <>&\"'"), min_size=1, max_size=12),
    st.sampled_from(LONG),
)
NUMBER = st.one_of(
    st.sampled_from(NASTY_NUMBERS), st.integers(-(2**70), 2**70).map(str), st.floats().map(repr)
)
DATE = st.one_of(st.sampled_from(NASTY_DATES), st.dates().map(date.isoformat))
TIME = st.one_of(st.sampled_from(NASTY_TIMES), st.times().map(lambda t: t.isoformat(timespec="minutes")))
DATETIME = st.one_of(
    st.builds(lambda d, t: f"{d}T{t}", DATE, TIME),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
EMAIL = st.one_of(st.sampled_from(NASTY_EMAILS), st.builds("{}@example.org".format, TEXT))
ANYTHING = st.one_of(TEXT, NUMBER, DATE, TIME, EMAIL)


def _csv(rows: list[list[str]], header: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return (header + "\n" + out.getvalue()).encode(encoding, errors="replace")


CSV = st.builds(
    _csv,
    st.lists(st.lists(st.one_of(EMAIL, TEXT, NUMBER), min_size=1, max_size=4), min_size=1, max_size=4),
    st.sampled_from(["Email,Name,Class year", "email", "Name;Email", "\ufeffE-mail,First name", "", "\x00"]),
    st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
FILE = st.builds(
    lambda data, name: FileStorage(io.BytesIO(data), filename=name),
    st.one_of(
        CSV,
        st.binary(max_size=200),
        st.sampled_from([PNG, PNG[:20], b"GIF89a" + b"\x00" * 20, b"\xef\xbb\xbf", b"", b"\x00" * 100]),
    ),
    st.sampled_from(FILENAMES),
)

#: Plausible values for empty controls, by input type and then by a word in the name.
PLAUSIBLE_BY_KIND = {
    "email": "fuzz@example.org",
    "password": DEFAULT_PASSWORD,
    "number": "3",
    "range": "3",
    "date": (date.today() + timedelta(days=30)).isoformat(),
    "time": "18:30",
    "datetime-local": (date.today() + timedelta(days=30)).isoformat() + "T18:30",
    "url": "https://example.org/fuzz",
    "tel": "+44 20 7946 0000",
}
PLAUSIBLE_BY_NAME = {
    "email": "fuzz@example.org", "slug": "fuzz-club", "latitude": "51.5", "longitude": "-0.12",
}  # fmt: skip
HOSTILE_BY_KIND = {
    "number": NUMBER,
    "range": NUMBER,
    "date": DATE,
    "time": TIME,
    "datetime-local": DATETIME,
    "email": EMAIL,
    "file": FILE,
}

#: The ends of what each kind of control takes, for the "edges" examples.
EDGES = {
    "date": ["9999-12-31", "0001-01-01", "9999-12-30", "1900-01-01", "2200-12-31"],
    "time": ["23:59", "00:30", "22:00", "00:00"],
    "datetime-local": ["9999-12-31T23:59", "0001-01-01T00:30", "9999-12-31T22:00"],
    "number": ["99999999999999999999", "-1", "0", str(2**31), str(2**63)],
}

#: The one value per kind of control that most often gets past validation and breaks what is
#: behind it: a NUL (PostgreSQL refuses it in text), an id-sized integer past 64 bits, the
#: last day of the calendar. Every control gets it once, with the rest of the form sensible.
PROBES = {
    "number": str(2**63), "range": str(2**63), "date": "9999-12-31", "datetime-local": "9999-12-31T23:59",
}  # fmt: skip
UNPROBED = {"checkbox", "button", "time"}
GOOD_CSV = b"Email,Name\nann@example.org,Ann Lee\n"


def probe_value(field: Field):
    if field.kind == "file":  # a good file, with the NUL in its name
        return FileStorage(io.BytesIO(GOOD_CSV), filename="a\x00b.csv")
    return PROBES.get(field.kind, "a\x00b")


def probes(form: Form) -> list[tuple[str, object]]:
    return [(f.name, probe_value(f)) for f in form if f.name != "csrf_token" and f.kind not in UNPROBED]


def plausible(field: Field):
    """What a careful person would send: the page's own value, or for a required control left
    empty a sensible one (an optional one stays empty, as most people leave it)."""
    if field.kind == "button":
        return field.default[0] if field.default else OMIT  # the form's main button
    if field.kind in ("checkbox", "select-multiple"):
        return list(field.default) or (field.options[:1] if field.required else OMIT)
    if field.kind == "file":
        return OMIT  # the hostile files include good ones
    if field.default and field.default[0].strip():
        return field.default[0]
    if field.kind in ("radio", "select") and field.options:
        chosen = [option for option in field.options if option.strip()] if field.required else []
        return (chosen or field.options)[0]
    if not field.required:
        return field.default[0] if field.default else OMIT
    for word, value in PLAUSIBLE_BY_NAME.items():
        if word in field.name:
            return value
    return PLAUSIBLE_BY_KIND.get(field.kind, f"Plausible {field.name}")


def hostile(field: Field) -> st.SearchStrategy:
    """A value no careful person would send: out of range, the wrong type, left out, twice."""
    values = HOSTILE_BY_KIND.get(field.kind, ANYTHING if field.kind == "hidden" else TEXT)
    if field.options:
        values = st.one_of(st.sampled_from(field.options), values)
    return st.one_of(
        values,
        st.just(OMIT),
        st.lists(values, min_size=2, max_size=2),  # the same name twice
    )


@st.composite
def edges(draw, form: Form) -> dict[str, object]:
    """Every date at the same end of the calendar, every time at the same end of the day, every
    number at the same limit, and each choice at one of its own values: an otherwise sensible
    form, so that the edge gets past validation to the conversions behind it."""
    kinds = {f.kind for f in form}
    picked = {kind: draw(st.sampled_from(values)) for kind, values in EDGES.items() if kind in kinds}
    values: dict[str, object] = {}
    for f in form:
        if f.name == "csrf_token":
            continue
        if f.kind in picked:
            values[f.name] = picked[f.kind]
        elif f.kind in ("checkbox", "select-multiple") and f.options:
            values[f.name] = draw(st.lists(st.sampled_from(f.options), unique=True)) or OMIT
        elif f.kind in ("radio", "select", "button") and f.options:
            values[f.name] = draw(st.sampled_from(f.options))
        else:
            values[f.name] = plausible(f)
    return values


@st.composite
def filled(draw, form: Form) -> dict[str, object]:
    """Name -> value (a string, a list of strings, a file or OMIT) for every control but the token:
    hostile values in one to three controls (or in all), or every control at an edge."""
    names = [f.name for f in form if f.name != "csrf_token"]
    mode = draw(st.sampled_from(["some", "edges", "all"])) if names else "some"
    if mode == "edges":
        return draw(edges(form))
    chosen = names
    if mode == "some" and names:
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(3, len(names)), unique=True))
    values = {name: plausible(form.fields[name]) for name in names}
    for name in chosen:  # in the draw's order, so a shrunk example names the field that failed
        values[name] = draw(hostile(form.fields[name]))
    return values
