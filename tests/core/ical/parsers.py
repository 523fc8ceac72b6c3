"""Run an iCalendar document through three real parsers and describe what each one saw, in
one shape, so a test can assert the same things against all three.

- "icalendar": the Python package the builders use (Calendar.from_ical);
- "ical": the strict Python parser (pydantic models; refuses a missing UID/DTSTAMP, bad
  values, a DTEND before DTSTART...);
- "icaljs": Mozilla's ical.js, the parser inside Thunderbird, run by Node.js
  (tests/core/ical/icaljs/parse.js).

Times are described the way a calendar shows them: `start`/`end` are wall-clock values in
the zone the document names ("2027-03-26T18:00:00", or "2027-03-26" for a DATE), and
`start_utc`/`end_utc` are the instants computed from the document's OWN VTIMEZONE (not
the parser's time-zone database), so a wrong VTIMEZONE shows up as a wrong instant.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import icalendar
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo

ICALJS_DIR = Path(__file__).parent / "icaljs"
PARSERS = ("icalendar", "ical", "icaljs")


@dataclass
class Address:
    value: str  # "mailto:..."
    cn: str | None = None
    partstat: str | None = None
    rsvp: str | None = None


@dataclass
class ParsedEvent:
    uid: str
    sequence: int
    summary: str
    description: str | None
    location: str | None
    url: str | None
    status: str
    start: str
    end: str
    start_zone: str | None  # TZID, "UTC", or None for a DATE
    start_utc: datetime | None
    end_utc: datetime | None
    all_day: bool
    organizer: Address | None
    attendees: list[Address] = field(default_factory=list)
    geo: tuple[float, float] | None = None


@dataclass
class ParsedCalendar:
    parser: str
    method: str | None
    name: str | None  # X-WR-CALNAME
    timezone: str | None  # X-WR-TIMEZONE
    timezones: list[str]  # the TZIDs of the VTIMEZONE components
    events: list[ParsedEvent]

    def event(self, uid: str) -> ParsedEvent:
        return next(event for event in self.events if event.uid == uid)


def parse(parser: str, document: bytes, tmp_path: Path | None = None) -> ParsedCalendar:
    """What `parser` makes of `document`; raises whatever the parser raises on bad input."""
    if parser == "icalendar":
        return parse_icalendar(document)
    if parser == "ical":
        return parse_ical(document)
    if parser == "icaljs":
        assert tmp_path is not None, "ical.js reads the document from a file"
        return parse_icaljs(document, tmp_path)
    raise ValueError(parser)


def _local(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    return value.isoformat()


def _instant(value: date | datetime, zones: dict[str, tzinfo]) -> tuple[str | None, datetime | None]:
    """The zone name and the UTC instant of a DTSTART/DTEND, through the document's VTIMEZONE."""
    if not isinstance(value, datetime):
        return None, None
    assert value.tzinfo is not None, f"floating time {value!r}: every time must have a zone"
    key = getattr(value.tzinfo, "key", None) or str(value.tzinfo)
    if key == "UTC":
        return "UTC", value.astimezone(UTC)
    assert key in zones, f"{key!r} has no VTIMEZONE in the document"
    return key, value.replace(tzinfo=zones[key]).astimezone(UTC)


# -- icalendar ---------------------------------------------------------------------------


def parse_icalendar(document: bytes) -> ParsedCalendar:
    calendar = icalendar.Calendar.from_ical(document)
    zones = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in calendar.walk("VTIMEZONE")}
    events = []
    for component in calendar.walk("VEVENT"):
        start, end = component.decoded("DTSTART"), component.decoded("DTEND")
        start_zone, start_utc = _instant(start, zones)
        _, end_utc = _instant(end, zones)
        geo = component.get("GEO")
        events.append(
            ParsedEvent(
                uid=str(component["UID"]),
                sequence=int(component["SEQUENCE"]),
                summary=str(component["SUMMARY"]),
                description=_text(component.get("DESCRIPTION")),
                location=_text(component.get("LOCATION")),
                url=_text(component.get("URL")),
                status=str(component["STATUS"]),
                start=_local(start),
                end=_local(end),
                start_zone=start_zone,
                start_utc=start_utc,
                end_utc=end_utc,
                all_day=not isinstance(start, datetime),
                organizer=_icalendar_address(component.get("ORGANIZER")),
                attendees=[_icalendar_address(a) for a in _as_list(component.get("ATTENDEE"))],
                geo=(geo.latitude, geo.longitude) if geo is not None else None,
            )
        )
    return ParsedCalendar(
        parser="icalendar",
        method=_text(calendar.get("METHOD")),
        name=_text(calendar.get("X-WR-CALNAME")),
        timezone=_text(calendar.get("X-WR-TIMEZONE")),
        timezones=list(zones),
        events=events,
    )


def _text(value) -> str | None:
    return None if value is None else str(value)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _icalendar_address(value) -> Address | None:
    if value is None:
        return None
    params = value.params
    return Address(str(value), params.get("CN"), params.get("PARTSTAT"), params.get("RSVP"))


# -- ical (strict) -----------------------------------------------------------------------


def parse_ical(document: bytes) -> ParsedCalendar:
    calendar = IcsCalendarStream.calendar_from_ics(document.decode("utf-8"))
    zones = {tz.tz_id: IcsTimezoneInfo.from_timezone(tz) for tz in calendar.timezones}
    events = []
    for event in calendar.events:
        start_zone, start_utc = _instant(event.dtstart, zones)
        _, end_utc = _instant(event.dtend, zones)
        events.append(
            ParsedEvent(
                uid=event.uid,
                sequence=event.sequence,
                summary=event.summary,
                description=event.description,
                location=event.location,
                url=event.url,
                status=str(event.status.value),
                start=_local(event.dtstart),
                end=_local(event.dtend),
                start_zone=start_zone,
                start_utc=start_utc,
                end_utc=end_utc,
                all_day=not isinstance(event.dtstart, datetime),
                organizer=_ical_address(event.organizer),
                attendees=[_ical_address(a) for a in event.attendees],
                geo=(event.geo.lat, event.geo.lng) if event.geo else None,
            )
        )
    return ParsedCalendar(
        parser="ical",
        method=calendar.method,
        name=next((x.value for x in calendar.extras if x.name == "x-wr-calname"), None),
        timezone=calendar.x_wr_timezone,
        timezones=list(zones),
        events=events,
    )


def _ical_address(value) -> Address | None:
    if value is None:
        return None
    partstat = None if value.status is None else str(getattr(value.status, "value", value.status))
    rsvp = None if value.rsvp is None else ("TRUE" if value.rsvp else "FALSE")
    return Address(value.uri, value.common_name, partstat, rsvp)


# -- ical.js -----------------------------------------------------------------------------


def node() -> str | None:
    return shutil.which("node")


def install_icaljs() -> None:
    """Install ical.js from the npm registry (package-lock.json pins it) if it is missing."""
    if (ICALJS_DIR / "node_modules" / "ical.js" / "package.json").exists():
        return
    npm = shutil.which("npm")
    assert npm, "ical.js is not installed and there is no npm to install it"
    # pytest-xdist workers share the folder: one installs while the others wait.
    with open(Path(tempfile.gettempdir()) / "roundtable-icaljs-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (ICALJS_DIR / "node_modules" / "ical.js" / "package.json").exists():
            command = [npm, "ci", "--no-audit", "--no-fund"]
            result = subprocess.run(command, cwd=ICALJS_DIR, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"


def parse_icaljs(document: bytes, tmp_path: Path) -> ParsedCalendar:
    path = tmp_path / "document.ics"
    path.write_bytes(document)
    result = subprocess.run(
        [node(), str(ICALJS_DIR / "parse.js"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"ical.js could not parse the document:\n{result.stderr}"
    (data,) = json.loads(result.stdout)
    return ParsedCalendar(
        parser="icaljs",
        method=data["method"],
        name=data["name"],
        timezone=data["timezone"],
        timezones=data["timezones"],
        events=[_icaljs_event(event) for event in data["events"]],
    )


def _icaljs_event(data: dict) -> ParsedEvent:
    start, end = data["start"], data["end"]

    def utc(value: str | None) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value).astimezone(UTC)

    def address(value: dict | None) -> Address | None:
        if value is None:
            return None
        return Address(value["value"], value["cn"], value["partstat"], value["rsvp"])

    return ParsedEvent(
        uid=data["uid"],
        sequence=data["sequence"],
        summary=data["summary"],
        description=data["description"],
        location=data["location"],
        url=data["url"],
        status=data["status"],
        start=start["local"].removesuffix("Z"),
        end=end["local"].removesuffix("Z"),
        start_zone=None if start["isDate"] else start["zone"],
        start_utc=utc(start["utc"]),
        end_utc=utc(end["utc"]),
        all_day=data["allDay"],
        organizer=address(data["organizer"]),
        attendees=[address(a) for a in data["attendees"]],
        geo=tuple(data["geo"]) if data["geo"] else None,
    )
