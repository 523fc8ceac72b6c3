"""Calendar feeds: the .ics routes (one event, a community, a person), the documents they
serve (built with community.core.ical from events.calendar's entries), the stored-VEVENT
cache, personal feed tokens and the per-attendee join link."""
