"""Links that put Roundtable calendars into calendar apps. Pure functions of URLs and times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo


def webcal(url: str) -> str:
    """The subscribe link calendar apps (Apple, Outlook, Thunderbird) open: webcal://..."""
    return "webcal://" + url.split("://", 1)[-1]


def google_subscribe(url: str) -> str:
    return "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal(url)})


def outlook_subscribe(url: str, name: str) -> str:
    return "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": webcal(url), "name": name})


def _google_dates(starts_at: datetime, ends_at: datetime, all_day: bool, local_start, local_end) -> str:
    if all_day:
        return f"{local_start:%Y%m%d}/{local_end:%Y%m%d}"
    return f"{starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}/{ends_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def google_add_event(
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    all_day: bool,
    zone: str,
    details: str,
    location: str,
) -> str:
    """Google Calendar's "add this event" page, pre-filled."""

    local_start, local_end = starts_at.astimezone(ZoneInfo(zone)), ends_at.astimezone(ZoneInfo(zone))
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": _google_dates(starts_at, ends_at, all_day, local_start, local_end),
        "details": details,
        "location": location,
        "ctz": zone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query, quote_via=quote)


def outlook_add_event(
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    all_day: bool,
    zone: str,
    details: str,
    location: str,
) -> str:
    """Outlook on the web's "new event" page, pre-filled."""

    if all_day:
        local_start = starts_at.astimezone(ZoneInfo(zone))
        last_day = (ends_at.astimezone(ZoneInfo(zone)) - timedelta(days=1)).date()
        start, end = local_start.date().isoformat(), last_day.isoformat()
    else:
        start = starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        end = ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": start,
        "enddt": end,
        "allday": "true" if all_day else "false",
        "body": details,
        "location": location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query, quote_via=quote)
