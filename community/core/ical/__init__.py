"""iCalendar documents: pure builders, values in, bytes out (RFC 5545, RFC 7986, iTIP RFC 5546).

Knows nothing of events or RSVPs: callers describe what a calendar shows as a
`CalendarEntry` (entry.py); `vevent.py` serialises one entry, `document.py` wraps entries
in a VCALENDAR (a download, a feed, an invitation) and `timezones.py` builds the VTIMEZONEs
from zoneinfo. Everything is written by the `icalendar` package, never by hand, so escaping,
parameter quoting and line folding at 75 octets are the RFC's. Lines end in CRLF.
"""
